import Engine
import ModelImport
import Network
import TestSupport
import XCTest

/// One finite-difference check of an op, built through its ONNX builder so the attribute
/// parsing is exercised too.
struct GradientCase {
  /// Shown on failure, e.g. "Conv depthwise stride 2 asymmetric pads".
  var label: String
  var node: ONNXNode
  /// Every input of the node, in order (nil for an omitted optional input).
  var inputs: [Value?]
  /// Inputs handed to the builder as constants (weights, shapes, axes).
  var constantInputs: Set<Int> = []
  /// Float inputs whose gradient is checked; nil: every float input not in `constantInputs`.
  var checkInputs: [Int]? = nil
  var opset: Int64 = 18
  var step: Float = 1e-2
  var tolerance: Double = 1e-2

  var opType: String { node.opType }
}

/// Builds the case's operator and checks its backward pass; fails the test with the details.
func runGradientCase(_ testCase: GradientCase, file: StaticString = #filePath, line: UInt = #line) {
  do {
    let context = ONNXNodeContext(
      node: testCase.node, opset: testCase.opset,
      constantInputs: testCase.inputs.indices.map {
        testCase.constantInputs.contains($0) ? testCase.inputs[$0] : nil
      },
      tensorValue: { _ in throw ModelImportError.badTensor(name: "", message: "no file in tests") })
    guard let builder = OperatorTable.builders[testCase.opType] else {
      XCTFail("\(testCase.label): no builder for \(testCase.opType)", file: file, line: line)
      return
    }
    let op = try builder(context)
    let checked = testCase.checkInputs
      ?? testCase.inputs.indices.filter {
        testCase.inputs[$0]?.floatTensor != nil && !testCase.constantInputs.contains($0)
      }
    let result = try checkGradient(
      of: op, inputs: testCase.inputs, checkInputs: checked, step: testCase.step)
    XCTAssertGreaterThan(result.checked, 0, "\(testCase.label): nothing checked", file: file, line: line)
    XCTAssertLessThan(
      result.worstError, testCase.tolerance, "\(testCase.label): \(result)", file: file, line: line)
  } catch {
    XCTFail("\(testCase.label): \(error)", file: file, line: line)
  }
}

/// Every family's cases; the coverage test checks that together they cover every op.
var allGradientCases: [GradientCase] { convolutionGradientCases + elementwiseGradientCases }

/// Ops with no gradient to check (their outputs are int64 or do not depend on float inputs
/// differentiably), each family listing its own.
var allShapeOnlyOps: Set<String> { convolutionShapeOnlyOps.union(elementwiseShapeOnlyOps) }
