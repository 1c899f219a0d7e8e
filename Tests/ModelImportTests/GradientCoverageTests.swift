import ModelImport
import XCTest

/// Fails when a supported op has neither a gradient-check case nor a reason to have none.
final class GradientCoverageTests: XCTestCase {
  func testEverySupportedOpHasAGradientCase() {
    let covered = Set(allGradientCases.map(\.opType))
    let missing = OperatorTable.supportedOps.filter {
      !covered.contains($0) && !allShapeOnlyOps.contains($0)
    }
    XCTAssertEqual(missing, [], "ops without a gradient-check case")
  }

  func testShapeOnlyOpsAreSupported() {
    let unsupported = allShapeOnlyOps.subtracting(OperatorTable.supportedOps)
    XCTAssertEqual(unsupported, [], "exempt ops that are not in the table")
  }
}
