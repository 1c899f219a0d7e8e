// Tables and text: predict, layers, images, get/set, help, load, reset, exit (golden text).
import CommandLanguage
import Interpreter
import XCTest

final class SessionTableTests: XCTestCase {
  /// The embedded model classifies the bundled cat photo as in the goldens (0.7890).
  func testLoadImagePredictGivesEgyptianCat() throws {
    let session = Session()
    let run = session.run("load\nimage chelsea\npredict")
    XCTAssertOK(run)
    let table = try XCTUnwrap(run.sink.results.first)
    XCTAssertEqual(run.sink.results.count, 1)
    XCTAssertEqual(
      table.plainText,
      """
      rank  index  wnid       name          probability
         1    285  n02124075  Egyptian_cat       0.7890
         2    282  n02123159  tiger_cat          0.1004
         3    281  n02123045  tabby              0.0694
         4    287  n02127052  lynx               0.0091
         5    728  n03958227  plastic_bag        0.0009
      """)
    guard case .text(let html) = table.data["text/html"],
      case .json(let json) = table.data["application/vnd.glimpse.table+json"]
    else { return XCTFail("predict needs text/html and application/json") }
    XCTAssertTrue(html.hasPrefix("<table>") && html.contains("<td>Egyptian_cat</td>"), html)
    let rows = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[String: Any]]
    XCTAssertEqual(rows.count, 5)
    XCTAssertEqual(rows[0]["name"] as? String, "Egyptian_cat")
    XCTAssertEqual(rows[0]["index"] as? Int, 285)
    XCTAssertEqual(rows[0]["probability"] as! Double, 0.78897, accuracy: 1e-4)
    XCTAssertTrue(
      run.sink.stdout.hasPrefix(
        "loaded efficientnet-lite0: input 224x224, preprocessing lite, 4,631,002 parameters, "
          + "1000 classes, in "), run.sink.stdout)
    XCTAssertTrue(run.sink.stdout.contains("image chelsea: 451x300 from "), run.sink.stdout)
    let top2 = session.run("predict top=2 image=CHELSEA")
    XCTAssertOK(top2)
    XCTAssertEqual(top2.sink.results.first?.plainText?.split(separator: "\n").count, 3)
  }

  /// The first and last lines of `layers`, and a filter.
  func testLayersTable() throws {
    let session = Session()
    let run = session.run("load\nlayers")
    XCTAssertOK(run)
    let lines = try XCTUnwrap(run.sink.results.first?.plainText).split(separator: "\n")
    XCTAssertEqual(
      lines.prefix(6).joined(separator: "\n"),
      """
      name                       op          output shape  4-D
      input                      Input       1x3x224x224   *
      stem_conv                  Conv        1x32x112x112  *
      stem_activation            Clip        1x32x112x112  *
      block0_dwconv              Conv        1x32x112x112  *
      block0_activation          Clip        1x32x112x112  *
      """)
    XCTAssertEqual(
      lines.suffix(3).joined(separator: "\n"),
      """
      avg_pool                   ReduceMean  1x1280x1x1    *
      flatten                    Reshape     1x1280
      logits                     Gemm        1x1000
      """)
    let filtered = session.run("layers filter=BLOCK14")
    XCTAssertEqual(filtered.sink.results.first?.plainText?.split(separator: "\n").count, 7)
  }

  /// `help` lists every command of the catalog with its summary.
  func testHelpGolden() throws {
    let run = Session().run("help")
    XCTAssertOK(run)
    XCTAssertEqual(
      run.sink.stdout,
      """
      commands:
        load         Load a classifier: the embedded default, Keras' VGG16 or Xception, or an ONNX file.
        image        Load images; the last one becomes current.
        images       List the loaded images: name, size, path.
        predict      Classify an image: the best classes with their probabilities.
        layers       List the model's tensors: name, operation, output shape.
        activations  Show a layer's feature maps as a grid.
        gradcam      Grad-CAM and its family: class activation maps of a layer.
        occlusion    Occlusion: how much the score drops as a patch hides each region.
        saliency     Vanilla gradients: the class score's gradient per pixel.
        smoothgrad   SmoothGrad: gradients averaged over noisy copies of the image.
        ig           Integrated gradients from a baseline to the image.
        shap         Expected gradients (SHAP) against background images.
        rise         RISE: the score under random masks, averaged.
        show         Show the picture of an image or a result.
        save         Save a result as a picture (.png) or as raw numbers (.npy).
        set          Change settings: colormap, alpha, seed, preset, top, resize, ...
        get          Show settings: all of them, or one.
        reset        Forget the model, images, results and settings.
        echo         Print text, e.g. a note in a script's output.
        help         List the commands, or explain one.
        exit         Leave (the REPL ends; Jupyter asks the front end to close).
        quit         Leave, as exit does.

      help COMMAND shows a command's arguments and examples.

      """)
    let one = Session().run("help occlusion").sink.stdout
    XCTAssertTrue(one.hasPrefix("occlusion: Occlusion: how much the score drops"), one)
    XCTAssertTrue(one.contains("  patch=INT\n      patch side, in pixels (default: 32)"), one)
  }

  /// `set` changes settings that `get` shows; `reset` restores them and forgets the model.
  func testSetGetReset() throws {
    let session = Session()
    XCTAssertOK(session.run("set alpha=0.25 colormap=viridis top=2 resize=crop"))
    let one = session.run("get alpha")
    XCTAssertEqual(one.sink.results.first?.plainText, "setting  value\nalpha    0.25")
    let all = try XCTUnwrap(session.run("get").sink.results.first?.plainText)
    XCTAssertTrue(all.contains("colormap       viridis"), all)
    XCTAssertTrue(all.contains("resize         crop"), all)
    XCTAssertTrue(all.contains("top            2"), all)
    XCTAssertOK(session.run("load\nimage chelsea\nreset"))
    XCTAssertEqual(
      session.run("get alpha").sink.results.first?.plainText, "setting  value\nalpha    0.5")
    XCTAssertEqual(
      diagnosticText(session.run("predict"))?.split(separator: "\n").first, "error: no model loaded"
    )
  }

  /// `images` marks the current (last loaded) image; `as=` names it.
  func testImagesTable() throws {
    let session = Session()
    XCTAssertOK(session.run("image chelsea rocket\nimage coffee as=cup"))
    let run = session.run("images")
    let lines = try XCTUnwrap(run.sink.results.first?.plainText).split(separator: "\n")
    XCTAssertEqual(lines.count, 4)
    XCTAssertTrue(lines[0].hasPrefix("   name     size     path"), String(lines[0]))
    XCTAssertTrue(lines[2].hasPrefix("   rocket   640x427  "), String(lines[2]))
    XCTAssertTrue(lines[3].hasPrefix("*  cup      600x400  "), String(lines[3]))
  }

  /// `exit` and `quit` end the cell with `.exit`; later lines do not run.
  func testExitEndsTheCell() {
    let session = Session()
    let run = session.run("help\nexit\nhelp")
    XCTAssertEqual(run.outcome, .exit)
    XCTAssertEqual(run.sink.all.count, 1)
    XCTAssertEqual(session.run("quit").outcome, .exit)
  }
}
