"""Write Tests/KerasImportTests/Fixtures/session/layer_names.json: the layer names tf_keras gives
VGG16 and Xception built after other models in the same session.

Keras names a layer built without a name from a per-session counter of its class (`conv2d`,
`conv2d_1`, ...; inputs `input_1`, `input_2`, ...), so a weight file saved from a session that
built a model before numbers Xception's shortcut convolutions `conv2d_4` ... `conv2d_7`. The
Swift round-trip tests (ArchitectureWeightFileTests) write seeded weight files under exactly
these names, in this order.

The session: Xception, then Xception (recorded as "xception"), then VGG16 without its top
(recorded as "vgg16_notop"), all with weights=None.

Usage (in a venv with `pip install tensorflow-cpu==2.18.* tf_keras==2.18.*`, outside the
repository), from the package root:
    python Tests/Fixtures/generate/keras_session_names.py
"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tf_keras as keras  # noqa: E402

OUT = os.path.join("Tests", "KerasImportTests", "Fixtures", "session", "layer_names.json")


def main() -> None:
    keras.applications.Xception(weights=None)
    xception = keras.applications.Xception(weights=None)
    vgg16 = keras.applications.VGG16(weights=None, include_top=False)
    names = {
        "tf_keras": keras.__version__,
        "session": "Xception, Xception (recorded), VGG16 include_top=False (recorded)",
        "xception": [layer.name for layer in xception.layers],
        "vgg16_notop": [layer.name for layer in vgg16.layers],
    }
    with open(OUT, "w") as f:
        json.dump(names, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
