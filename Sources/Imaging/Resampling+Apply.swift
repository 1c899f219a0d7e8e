// The separable resampling pass: rows first (only the source rows some output needs), then columns.

/// A pixel sample a resize can read: 8-bit pixels or floats.
protocol ResampleSample { var resampleValue: Double { get } }
extension UInt8: ResampleSample { var resampleValue: Double { Double(self) } }
extension Float: ResampleSample { var resampleValue: Double { Double(self) } }

/// Where a source image's samples sit in memory, in elements.
struct SampleLayout {
  var width: Int
  var height: Int
  var channels: Int
  /// Step between horizontally adjacent samples of one channel.
  var pixelStride: Int
  var rowStride: Int
  var channelStride: Int
}

enum Resampler {
  /// Resamples every channel with the given column and row tables; planar Float output.
  ///
  /// Horizontal then vertical, both in Double: `v = sum_r wy_r * sum_c wx_c * I[r, c]`, which
  /// for bilinear is `(1-ty)*((1-tx)*I00 + tx*I01) + ty*((1-tx)*I10 + tx*I11)`. Only source rows
  /// that some destination row reads are filtered, so downscaling a large photo is cheap.
  static func resample<S: ResampleSample>(
    _ source: UnsafePointer<S>, layout: SampleLayout, columns: ResampleAxis, rows: ResampleAxis
  ) -> [Float] {
    let outW = columns.count, outH = rows.count
    // The distinct source rows the vertical pass reads, and each one's slot in the buffer.
    var slot = [Int](repeating: -1, count: layout.height)
    var used: [Int] = []
    for (k, r) in rows.index.enumerated() where slot[r] < 0 && rows.weight[k] != 0 {
      slot[r] = used.count
      used.append(r)
    }
    var out = [Float](repeating: 0, count: layout.channels * outH * outW)
    var buffer = [Double](repeating: 0, count: (used.count + 1) * outW)  // [used rows + 1, outW]
    columns.index.withUnsafeBufferPointer { cIndexBuffer in
      columns.weight.withUnsafeBufferPointer { cWeightBuffer in
        rows.index.withUnsafeBufferPointer { rIndexBuffer in
          rows.weight.withUnsafeBufferPointer { rWeightBuffer in
            buffer.withUnsafeMutableBufferPointer { bufferPointer in
              out.withUnsafeMutableBufferPointer { outPointer in
                let cIndex = cIndexBuffer.baseAddress!, cWeight = cWeightBuffer.baseAddress!
                let rIndex = rIndexBuffer.baseAddress!, rWeight = rWeightBuffer.baseAddress!
                let tmp = bufferPointer.baseAddress!
                let acc = tmp + used.count * outW  // the last row accumulates the vertical sums
                let cTaps = columns.taps, rTaps = rows.taps
                for channel in 0..<layout.channels {
                  // Horizontal: each used source row to outW columns.
                  for (u, r) in used.enumerated() {
                    let row = source + channel * layout.channelStride + r * layout.rowStride
                    let dst = tmp + u * outW
                    for x in 0..<outW {
                      var sum = 0.0
                      for k in 0..<cTaps {
                        let w = cWeight[x * cTaps + k]
                        if w != 0 { sum += w * row[cIndex[x * cTaps + k] * layout.pixelStride].resampleValue }
                      }
                      dst[x] = sum
                    }
                  }
                  // Vertical: weighted sums of the buffered rows.
                  let plane = outPointer.baseAddress! + channel * outH * outW
                  for y in 0..<outH {
                    let dst = plane + y * outW
                    for x in 0..<outW { acc[x] = 0 }
                    for k in 0..<rTaps {
                      let w = rWeight[y * rTaps + k]
                      if w == 0 { continue }
                      let src = tmp + slot[rIndex[y * rTaps + k]] * outW
                      for x in 0..<outW { acc[x] += w * src[x] }
                    }
                    for x in 0..<outW { dst[x] = Float(acc[x]) }
                  }
                }
              }
            }
          }
        }
      }
    }
    return out
  }
}
