import ModelZoo
import XCTest

final class ModelCatalogTests: XCTestCase {
  func testDefaultModelIsInTheCatalog() {
    XCTAssertTrue(ModelCatalog.entries.contains { $0.name == ModelCatalog.defaultModelName })
  }
}
