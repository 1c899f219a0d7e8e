// The HDF5 wrapper on plain.h5 (made by Tests/Fixtures/generate/make_keras_h5_fixtures.py).
import Engine
import Foundation
import KerasImport
import XCTest

/// Paths of the committed HDF5 fixtures.
enum H5Fixture {
  static func path(_ name: String) -> String {
    Bundle.module.resourceURL!.appendingPathComponent("Fixtures/h5/\(name)").path
  }
}

final class HDF5Tests: XCTestCase {
  private func plain() throws -> HDF5Group {
    try HDF5File.open(path: H5Fixture.path("plain.h5")).root
  }

  func testListsMembersAndAttributesInNameOrder() throws {
    let root = try plain()
    XCTAssertEqual(
      try root.members(), ["double", "group", "half", "ints", "random", "scalar", "text"])
    XCTAssertEqual(
      try root.group("group").attributeNames(),
      ["fixed", "fixed_array", "number", "vlen", "vlen_array"])
    XCTAssertTrue(root.containsGroup("group"))
    XCTAssertFalse(root.containsGroup("random"), "a dataset is not a group")
    XCTAssertTrue(root.contains("random"))
    XCTAssertFalse(root.contains("missing/deeper"), "a missing intermediate group answers no")
  }

  func testReadsFixedAndVariableLengthStrings() throws {
    let group = try plain().group("group")
    XCTAssertEqual(try group.string(attribute: "vlen"), "variable-length é")
    XCTAssertEqual(try group.string(attribute: "fixed"), "fixed")
    XCTAssertEqual(try group.strings(attribute: "fixed_array"), ["a/kernel:0", "bias:0", ""])
    XCTAssertEqual(try group.strings(attribute: "vlen_array"), ["x", "yz"])
    XCTAssertNil(try group.strings(attribute: "absent"))
  }

  func testNumericAttributeIsNotAString() throws {
    let group = try plain().group("group")
    XCTAssertThrowsError(try group.strings(attribute: "number")) { error in
      XCTAssertEqual(
        error as? KerasFileError,
        .unreadable(
          path: H5Fixture.path("plain.h5"), object: "attribute 'number' of group '/group'",
          detail: "it holds numbers, not strings"))
    }
    XCTAssertThrowsError(try group.string(attribute: "vlen_array"))
  }

  func testConvertsFloat16Float64AndIntegersToFloat() throws {
    let root = try plain()
    // The generator's grid: arange(12) reshaped [3, 4], then (g - 6) / 4, / 3, and g - 6.
    let grid = (0..<12).map { Double($0 - 6) }
    let half = try root.dataset("half").readTensor()
    XCTAssertEqual(half.shape, [3, 4])
    XCTAssertEqual(half.storage, grid.map { Float($0 / 4) })
    let double = try root.dataset("double").readTensor()
    XCTAssertEqual(double.storage, grid.map { Float($0 / 3) }, "rounded from float64")
    XCTAssertEqual(try root.dataset("ints").readTensor().storage, grid.map { Float($0) })
    let scalar = try root.dataset("scalar").readTensor()
    XCTAssertEqual(scalar.shape, [])
    XCTAssertEqual(scalar.storage, [2.5])
    XCTAssertEqual(try root.dataset("random").shape(), [4, 5])
  }

  func testStringDatasetIsNotNumbers() throws {
    XCTAssertThrowsError(try plain().dataset("text").readTensor()) { error in
      XCTAssertEqual(
        error as? KerasFileError,
        .unreadable(
          path: H5Fixture.path("plain.h5"), object: "dataset '/text'",
          detail: "it holds strings, not numbers"))
    }
  }

  func testMissingMembersThrowWithHDF5sReason() throws {
    let root = try plain()
    XCTAssertThrowsError(try root.group("nope")) { error in
      let message = "\(error)"
      XCTAssertTrue(message.hasPrefix("cannot read group '/nope' in '"), message)
      XCTAssertFalse(message.hasSuffix(": "), "HDF5's reason is appended: \(message)")
    }
    XCTAssertThrowsError(try root.dataset("group"))
  }

  func testEveryHandleIsClosed() throws {
    let before = HDF5.openObjectCount
    do {
      let root = try plain()
      _ = try root.dataset("half").readTensor()
      _ = try root.group("group").strings(attribute: "vlen_array")
      _ = try? root.dataset("text").readTensor()
      XCTAssertGreaterThan(HDF5.openObjectCount, before, "the file is open while in use")
    }
    XCTAssertEqual(HDF5.openObjectCount, before)
  }

  func testConcurrentReadsAreSerialised() throws {
    let before = HDF5.openObjectCount
    defer { XCTAssertEqual(HDF5.openObjectCount, before) }
    let path = H5Fixture.path("plain.h5")
    let failures = LockedCounter()
    DispatchQueue.concurrentPerform(iterations: 16) { _ in
      do {
        let root = try HDF5File.open(path: path).root
        for _ in 0..<20 where try root.dataset("half").readTensor().storage.count != 12 {
          failures.add()
        }
      } catch { failures.add() }
    }
    XCTAssertEqual(failures.value, 0)
  }
}

/// A thread-safe counter for the concurrency test.
final class LockedCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func add() { lock.withLock { count += 1 } }
  var value: Int { lock.withLock { count } }
}
