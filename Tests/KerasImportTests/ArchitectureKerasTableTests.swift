// Every layer of Keras' VGG16 and Xception (with top, default size) as tf_keras 2.18 lists them
// in `model.layers`, with output and weight shapes, against the architectures Glimpse defines.
// The tables were printed from `tf_keras.applications.VGG16(weights=None)` and
// `Xception(weights=None)`: for each layer, `name`, `output_shape[1:]` and `[w.shape for w in
// layer.weights]`, joined with "x". Keras numbered the auto-named layers from 0 in that session.
import KerasImport
import XCTest

final class ArchitectureKerasTableTests: XCTestCase {
  func testVGG16MatchesKerasLayerByLayer() throws {
    try check(KerasApplications.vgg16(), against: KerasLayerTables.vgg16)
  }

  func testXceptionMatchesKerasLayerByLayer() throws {
    try check(KerasApplications.xception(), against: KerasLayerTables.xception)
  }

  /// Compares names, order, output shapes and weight shapes with a table's lines.
  private func check(_ model: KerasArchitecture, against table: String) {
    let rows = table.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    XCTAssertEqual(model.layers.map(\.name), rows.map { $0[0] }, "layer names and order")
    let weighted = Dictionary(uniqueKeysWithValues: model.weightedLayers.map { ($0.name, $0) })
    for row in rows {
      let name = row[0]
      let shape = row[1].split(separator: "x").map { Int($0)! }
      XCTAssertEqual(model.outputShapes[name], shape, "output of \(name)")
      let weights = row.dropFirst(2).map { $0.split(separator: "x").map { Int($0)! } }
      XCTAssertEqual(weighted[name]?.weightShapes ?? [], weights, "weights of \(name)")
    }
    XCTAssertEqual(
      model.weightedLayers.map(\.name), rows.filter { $0.count > 2 }.map { $0[0] },
      "weighted layers in Keras order (the order seeded weights number)")
  }
}

/// Keras' layer tables.
enum KerasLayerTables {
  /// Keras' `vgg16` layers after `input_1`: name, output shape (no batch), weight shapes.
  static let vgg16 = """
    block1_conv1 224x224x64 3x3x3x64 64
    block1_conv2 224x224x64 3x3x64x64 64
    block1_pool 112x112x64
    block2_conv1 112x112x128 3x3x64x128 128
    block2_conv2 112x112x128 3x3x128x128 128
    block2_pool 56x56x128
    block3_conv1 56x56x256 3x3x128x256 256
    block3_conv2 56x56x256 3x3x256x256 256
    block3_conv3 56x56x256 3x3x256x256 256
    block3_pool 28x28x256
    block4_conv1 28x28x512 3x3x256x512 512
    block4_conv2 28x28x512 3x3x512x512 512
    block4_conv3 28x28x512 3x3x512x512 512
    block4_pool 14x14x512
    block5_conv1 14x14x512 3x3x512x512 512
    block5_conv2 14x14x512 3x3x512x512 512
    block5_conv3 14x14x512 3x3x512x512 512
    block5_pool 7x7x512
    flatten 25088
    fc1 4096 25088x4096 4096
    fc2 4096 4096x4096 4096
    predictions 1000 4096x1000 1000
    """

  /// Keras' `xception` layers after `input_1`: name, output shape (no batch), weight shapes.
  static let xception = """
    block1_conv1 149x149x32 3x3x3x32
    block1_conv1_bn 149x149x32 32 32 32 32
    block1_conv1_act 149x149x32
    block1_conv2 147x147x64 3x3x32x64
    block1_conv2_bn 147x147x64 64 64 64 64
    block1_conv2_act 147x147x64
    block2_sepconv1 147x147x128 3x3x64x1 1x1x64x128
    block2_sepconv1_bn 147x147x128 128 128 128 128
    block2_sepconv2_act 147x147x128
    block2_sepconv2 147x147x128 3x3x128x1 1x1x128x128
    block2_sepconv2_bn 147x147x128 128 128 128 128
    conv2d 74x74x128 1x1x64x128
    block2_pool 74x74x128
    batch_normalization 74x74x128 128 128 128 128
    add 74x74x128
    block3_sepconv1_act 74x74x128
    block3_sepconv1 74x74x256 3x3x128x1 1x1x128x256
    block3_sepconv1_bn 74x74x256 256 256 256 256
    block3_sepconv2_act 74x74x256
    block3_sepconv2 74x74x256 3x3x256x1 1x1x256x256
    block3_sepconv2_bn 74x74x256 256 256 256 256
    conv2d_1 37x37x256 1x1x128x256
    block3_pool 37x37x256
    batch_normalization_1 37x37x256 256 256 256 256
    add_1 37x37x256
    block4_sepconv1_act 37x37x256
    block4_sepconv1 37x37x728 3x3x256x1 1x1x256x728
    block4_sepconv1_bn 37x37x728 728 728 728 728
    block4_sepconv2_act 37x37x728
    block4_sepconv2 37x37x728 3x3x728x1 1x1x728x728
    block4_sepconv2_bn 37x37x728 728 728 728 728
    conv2d_2 19x19x728 1x1x256x728
    block4_pool 19x19x728
    batch_normalization_2 19x19x728 728 728 728 728
    add_2 19x19x728
    block5_sepconv1_act 19x19x728
    block5_sepconv1 19x19x728 3x3x728x1 1x1x728x728
    block5_sepconv1_bn 19x19x728 728 728 728 728
    block5_sepconv2_act 19x19x728
    block5_sepconv2 19x19x728 3x3x728x1 1x1x728x728
    block5_sepconv2_bn 19x19x728 728 728 728 728
    block5_sepconv3_act 19x19x728
    block5_sepconv3 19x19x728 3x3x728x1 1x1x728x728
    block5_sepconv3_bn 19x19x728 728 728 728 728
    add_3 19x19x728
    block6_sepconv1_act 19x19x728
    block6_sepconv1 19x19x728 3x3x728x1 1x1x728x728
    block6_sepconv1_bn 19x19x728 728 728 728 728
    block6_sepconv2_act 19x19x728
    block6_sepconv2 19x19x728 3x3x728x1 1x1x728x728
    block6_sepconv2_bn 19x19x728 728 728 728 728
    block6_sepconv3_act 19x19x728
    block6_sepconv3 19x19x728 3x3x728x1 1x1x728x728
    block6_sepconv3_bn 19x19x728 728 728 728 728
    add_4 19x19x728
    block7_sepconv1_act 19x19x728
    block7_sepconv1 19x19x728 3x3x728x1 1x1x728x728
    block7_sepconv1_bn 19x19x728 728 728 728 728
    block7_sepconv2_act 19x19x728
    block7_sepconv2 19x19x728 3x3x728x1 1x1x728x728
    block7_sepconv2_bn 19x19x728 728 728 728 728
    block7_sepconv3_act 19x19x728
    block7_sepconv3 19x19x728 3x3x728x1 1x1x728x728
    block7_sepconv3_bn 19x19x728 728 728 728 728
    add_5 19x19x728
    block8_sepconv1_act 19x19x728
    block8_sepconv1 19x19x728 3x3x728x1 1x1x728x728
    block8_sepconv1_bn 19x19x728 728 728 728 728
    block8_sepconv2_act 19x19x728
    block8_sepconv2 19x19x728 3x3x728x1 1x1x728x728
    block8_sepconv2_bn 19x19x728 728 728 728 728
    block8_sepconv3_act 19x19x728
    block8_sepconv3 19x19x728 3x3x728x1 1x1x728x728
    block8_sepconv3_bn 19x19x728 728 728 728 728
    add_6 19x19x728
    block9_sepconv1_act 19x19x728
    block9_sepconv1 19x19x728 3x3x728x1 1x1x728x728
    block9_sepconv1_bn 19x19x728 728 728 728 728
    block9_sepconv2_act 19x19x728
    block9_sepconv2 19x19x728 3x3x728x1 1x1x728x728
    block9_sepconv2_bn 19x19x728 728 728 728 728
    block9_sepconv3_act 19x19x728
    block9_sepconv3 19x19x728 3x3x728x1 1x1x728x728
    block9_sepconv3_bn 19x19x728 728 728 728 728
    add_7 19x19x728
    block10_sepconv1_act 19x19x728
    block10_sepconv1 19x19x728 3x3x728x1 1x1x728x728
    block10_sepconv1_bn 19x19x728 728 728 728 728
    block10_sepconv2_act 19x19x728
    block10_sepconv2 19x19x728 3x3x728x1 1x1x728x728
    block10_sepconv2_bn 19x19x728 728 728 728 728
    block10_sepconv3_act 19x19x728
    block10_sepconv3 19x19x728 3x3x728x1 1x1x728x728
    block10_sepconv3_bn 19x19x728 728 728 728 728
    add_8 19x19x728
    block11_sepconv1_act 19x19x728
    block11_sepconv1 19x19x728 3x3x728x1 1x1x728x728
    block11_sepconv1_bn 19x19x728 728 728 728 728
    block11_sepconv2_act 19x19x728
    block11_sepconv2 19x19x728 3x3x728x1 1x1x728x728
    block11_sepconv2_bn 19x19x728 728 728 728 728
    block11_sepconv3_act 19x19x728
    block11_sepconv3 19x19x728 3x3x728x1 1x1x728x728
    block11_sepconv3_bn 19x19x728 728 728 728 728
    add_9 19x19x728
    block12_sepconv1_act 19x19x728
    block12_sepconv1 19x19x728 3x3x728x1 1x1x728x728
    block12_sepconv1_bn 19x19x728 728 728 728 728
    block12_sepconv2_act 19x19x728
    block12_sepconv2 19x19x728 3x3x728x1 1x1x728x728
    block12_sepconv2_bn 19x19x728 728 728 728 728
    block12_sepconv3_act 19x19x728
    block12_sepconv3 19x19x728 3x3x728x1 1x1x728x728
    block12_sepconv3_bn 19x19x728 728 728 728 728
    add_10 19x19x728
    block13_sepconv1_act 19x19x728
    block13_sepconv1 19x19x728 3x3x728x1 1x1x728x728
    block13_sepconv1_bn 19x19x728 728 728 728 728
    block13_sepconv2_act 19x19x728
    block13_sepconv2 19x19x1024 3x3x728x1 1x1x728x1024
    block13_sepconv2_bn 19x19x1024 1024 1024 1024 1024
    conv2d_3 10x10x1024 1x1x728x1024
    block13_pool 10x10x1024
    batch_normalization_3 10x10x1024 1024 1024 1024 1024
    add_11 10x10x1024
    block14_sepconv1 10x10x1536 3x3x1024x1 1x1x1024x1536
    block14_sepconv1_bn 10x10x1536 1536 1536 1536 1536
    block14_sepconv1_act 10x10x1536
    block14_sepconv2 10x10x2048 3x3x1536x1 1x1x1536x2048
    block14_sepconv2_bn 10x10x2048 2048 2048 2048 2048
    block14_sepconv2_act 10x10x2048
    avg_pool 2048
    predictions 1000 2048x1000 1000
    """
}
