// MD5 through OpenSSL's EVP interface: Keras declares its weight files by md5 (`file_hash`).
// MD5 here only detects corrupt or wrong downloads; it is not a security check.
import CCrypto
import Foundation

/// An incremental MD5 digest (OpenSSL EVP), fed as bytes arrive.
final class MD5Digest {
  private let context: OpaquePointer

  /// A fresh digest.
  init() {
    // NB: EVP_MD_CTX_new only fails when out of memory, which is a programmer-level failure.
    guard let context = EVP_MD_CTX_new() else { preconditionFailure("EVP_MD_CTX_new failed") }
    self.context = context
    precondition(EVP_DigestInit_ex(context, EVP_md5(), nil) == 1, "OpenSSL offers no MD5")
  }

  deinit { EVP_MD_CTX_free(context) }

  /// Adds `count` bytes at `bytes` to the digest.
  func update(_ bytes: UnsafeRawPointer, count: Int) {
    precondition(EVP_DigestUpdate(context, bytes, count) == 1, "EVP_DigestUpdate failed")
  }

  /// The digest of everything added, as 32 lowercase hex digits; the digest is spent after.
  func finish() -> String {
    var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    precondition(EVP_DigestFinal_ex(context, &out, &length) == 1, "EVP_DigestFinal_ex failed")
    return out.prefix(Int(length)).map { byte in
      let hex = String(byte, radix: 16)
      return byte < 16 ? "0" + hex : hex
    }.joined()
  }

  /// The md5 of a byte buffer, lowercase hex.
  static func hex(of bytes: [UInt8]) -> String {
    let digest = MD5Digest()
    bytes.withUnsafeBytes { digest.update($0.baseAddress!, count: $0.count) }
    return digest.finish()
  }
}

extension KerasWeightsCache {
  /// The md5 of a file's bytes, lowercase hex, read in 1 MiB chunks (Keras' `file_hash` check).
  /// - Throws: Foundation's file error when the file cannot be opened or read.
  public static func md5(ofFileAt url: URL) throws -> String {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    let digest = MD5Digest()
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      chunk.withUnsafeBytes { digest.update($0.baseAddress!, count: $0.count) }
    }
    return digest.finish()
  }
}
