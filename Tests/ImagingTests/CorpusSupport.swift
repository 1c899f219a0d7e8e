// Access to the committed corpus (made by Tests/Fixtures/generate/make_image_corpus.py).
import Foundation
@testable import Imaging

/// One decodable file of the corpus and the RGB pixels Pillow gives for it.
struct CorpusEntry: Decodable {
  var file: String
  var expected: String
  var kind: String
  var width: Int
  var height: Int
  /// Largest per-channel difference allowed from Pillow's pixels.
  var tolerance: Int
  var orientation: String
  var transparency: String
  var note: String?
}

struct NearestResize: Decodable {
  var source: String
  var width: Int
  var height: Int
  var expected: String
}

struct CorpusManifest: Decodable {
  var pillow: String
  var decodes: [CorpusEntry]
  var nearest_resizes: [NearestResize]
}

enum Corpus {
  static var directory: URL {
    Bundle.module.resourceURL!.appendingPathComponent("Fixtures/corpus")
  }

  static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

  static func bytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
  }

  static func manifest() throws -> CorpusManifest {
    try JSONDecoder().decode(CorpusManifest.self, from: Data(contentsOf: directory.appendingPathComponent("manifest.json")))
  }

  /// The package root, from this file's path (Tests/ImagingTests/CorpusSupport.swift).
  static var packageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }
}

/// How far two 8-bit buffers of equal length differ.
struct PixelDifference {
  var maxAbs = 0
  var differing = 0
  var count = 0

  init(_ a: [UInt8], _ b: [UInt8]) {
    precondition(a.count == b.count)
    count = a.count
    for i in 0..<a.count {
      let d = abs(Int(a[i]) - Int(b[i]))
      if d > 0 { differing += 1 }
      maxAbs = max(maxAbs, d)
    }
  }
}
