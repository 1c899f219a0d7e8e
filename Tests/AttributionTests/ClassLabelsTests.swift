import Attribution
import Engine
import XCTest

final class ClassLabelsTests: XCTestCase {
  func testParsesTheImageNetListLayout() throws {
    let labels = try ClassLabels(tsv: "index\twnid\tkeras_name\tnames\n0\tn01440764\ttench\ttench, Tinca tinca\n1\tn01443537\tgoldfish\tgoldfish\n")
    XCTAssertEqual(labels.count, 2)
    XCTAssertEqual(labels[1], ClassLabel(index: 1, wnid: "n01443537", name: "goldfish", synonyms: ["goldfish"]))
    XCTAssertEqual(labels[0].synonyms, ["tench", "Tinca tinca"])
  }

  func testAcceptsOneNamePerLineAndRejectsGaps() throws {
    XCTAssertEqual(try ClassLabels(tsv: "cat\ndog\n").labels.map(\.name), ["cat", "dog"])
    XCTAssertThrowsError(try ClassLabels(tsv: "0\tn1\ta\n2\tn2\tb\n")) { error in
      XCTAssertEqual(error as? ClassLabelsError, .badLine(2, "2\tn2\tb"))
    }
  }

  func testTopClassesRanksBySoftmax() {
    let labels = ClassLabels.numbered(4)
    let logits = Tensor(shape: [2, 4], storage: [0, 2, 1, -1, 5, 5, 0, 0])
    let top = topClasses(logits: logits, labels: labels, k: 2)
    XCTAssertEqual(top[0].map(\.label.index), [1, 2])
    let e = [1.0, 7.38905609893065, 2.718281828459045, 0.36787944117144233]
    XCTAssertEqual(Double(top[0][0].probability), e[1] / e.reduce(0, +), accuracy: 1e-6)
    XCTAssertEqual(top[1].map(\.label.index), [0, 1], "ties keep index order")
    XCTAssertEqual(top[1][0].probability, top[1][1].probability)
  }

  /// A dominant logit underflows every other probability to 0; the rest still rank by logit.
  func testTopClassesRankBeyondSoftmaxUnderflow() {
    let logits = Tensor(shape: [1, 5], storage: [0, 50_000, -3, 7, 2])
    let top = topClasses(logits: logits, labels: ClassLabels.numbered(5), k: 4)[0]
    XCTAssertEqual(top.map(\.label.index), [1, 3, 4, 0])
    XCTAssertEqual(top[1].probability, 0)
    XCTAssertEqual(top[1].logit, 7)
  }

  func testPredictionTableText() {
    let labels = try! ClassLabels(tsv: "0\tn02124075\tEgyptian_cat\tEgyptian cat\n1\tn02123045\ttabby\ttabby\n")
    let rows = topClasses(logits: Tensor(shape: [1, 2], storage: [2, 0]), labels: labels, k: 2)[0]
    XCTAssertEqual(
      PredictionTable(rows).text,
      """
      rank  index  wnid       name          probability
         1      0  n02124075  Egyptian_cat       0.8808
         2      1  n02123045  tabby              0.1192
      """)
  }
}
