// Thousands of mutated JPEG and PNG byte strings: each decodes or throws ImageError, never crashes.
import Engine
import TestSupport
import XCTest

@testable import Imaging

final class DecodeFuzzTests: XCTestCase {
  /// A seeded mutation: flipped bits, overwritten bytes, a cut, an inserted or a deleted run.
  private func mutate(_ bytes: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
    var out = bytes
    for _ in 0..<(1 + Int(rng.next() % 4)) {
      guard !out.isEmpty else { break }
      let at = Int(rng.next() % UInt64(out.count))
      switch rng.next() % 6 {
      case 0: out[at] ^= UInt8(1 << (rng.next() % 8))
      case 1: out[at] = UInt8(truncatingIfNeeded: rng.next())
      case 2: out.removeSubrange(at...)
      case 3:
        out.insert(
          contentsOf: (0..<Int(rng.next() % 16)).map { _ in UInt8(truncatingIfNeeded: rng.next()) },
          at: at)
      case 4: out.removeSubrange(at..<min(out.count, at + 1 + Int(rng.next() % 32)))
      default: out[at] = [0x00, 0xFF, 0x7F, 0x80][Int(rng.next() % 4)]
      }
    }
    return out
  }

  /// Rewrites every PNG chunk CRC, so mutations reach the decoder rather than the CRC check.
  private func fixCRCs(_ bytes: [UInt8]) -> [UInt8] {
    var out = bytes
    var at = 8
    while at + 12 <= out.count {
      let length =
        Int(out[at]) << 24 | Int(out[at + 1]) << 16 | Int(out[at + 2]) << 8 | Int(out[at + 3])
      guard length >= 0, at + 12 + length <= out.count else { break }
      let crc = crc32(out[(at + 4)..<(at + 8 + length)])
      for k in 0..<4 {
        out[at + 8 + length + k] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(k)))
      }
      at += 12 + length
    }
    return out
  }

  private func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }

  func testMutatedFilesNeverCrash() throws {
    let seeds = [
      "baseline420.jpg", "progressive.jpg", "cmyk.jpg", "grey.jpg", "exif6.jpg",
      "rgb8.png", "palette4-trns.png", "rgba16-interlaced.png", "grey2.png", "greyalpha16.png",
    ]
    let originals = try seeds.map { try Corpus.bytes($0) }
    var rng = SplitMix64(seed: 2024)
    var decoded = 0
    var refused = 0
    // A small budget keeps mutated headers from asking for gigabytes.
    let options = DecodeOptions(maxPixels: 4_000_000)
    for round in 0..<20000 {
      let original = originals[round % originals.count]
      var bytes = mutate(original, &rng)
      if seeds[round % seeds.count].hasSuffix(".png"), round % 2 == 0 { bytes = fixCRCs(bytes) }
      do {
        let image = try Image(decoding: bytes, name: "fuzz \(round)", options: options)
        XCTAssertEqual(image.pixels.count, image.width * image.height * 3)
        decoded += 1
      } catch is ImageError {
        refused += 1
      }
    }
    print("fuzz: \(decoded) decoded, \(refused) refused")
    XCTAssertGreaterThan(decoded, 1000, "mutations should not all be refused")
    XCTAssertGreaterThan(refused, 1000, "mutations should not all be accepted")
  }
}
