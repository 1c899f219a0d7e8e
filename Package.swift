// swift-tools-version:6.0
// Glimpse: a Jupyter kernel and CNN engine for explaining image classifiers.
import PackageDescription

/// Numeric targets are optimised even in debug builds: element loops run 8-25x slower
/// unoptimised, which makes whole-model tests crawl (see design/PLATFORM-NOTES).
let optimised: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
  name: "Glimpse",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "glimpse", targets: ["glimpse"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
  ],
  targets: [
    // One system C library per shim module.
    .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
    .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
    .systemLibrary(name: "CJPEG", path: "Sources/CJPEG"),
    .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
    .systemLibrary(name: "CZeroMQ", path: "Sources/CZeroMQ"),
    .systemLibrary(name: "CCrypto", path: "Sources/CCrypto"),
    .systemLibrary(name: "CEditLine", path: "Sources/CEditLine"),
    .systemLibrary(name: "CHDF5", path: "Sources/CHDF5"),
    .systemLibrary(name: "CCurl", path: "Sources/CCurl"),

    .target(name: "Engine", dependencies: ["CBLAS", "CDNNL"], swiftSettings: optimised),
    .target(name: "Network", dependencies: ["Engine"], swiftSettings: optimised),
    .target(name: "ModelImport", dependencies: ["Engine", "Network"], swiftSettings: optimised),
    .target(
      name: "KerasImport", dependencies: ["CHDF5", "Engine", "Network", "ModelImport"],
      exclude: ["README.md"], swiftSettings: optimised),
    .target(
      name: "Imaging", dependencies: ["CPNG", "CJPEG"], exclude: ["README.md"], swiftSettings: optimised),
    .target(
      name: "Attribution", dependencies: ["Engine", "Network", "Imaging"],
      swiftSettings: optimised),
    .target(
      name: "ModelZoo",
      dependencies: [
        "Engine", "Network", "ModelImport", "KerasImport", "Attribution", "Imaging", "CCurl",
        "CCrypto",
      ],
      resources: [.copy("Resources")],
      swiftSettings: optimised),
    .target(name: "CommandLanguage", exclude: ["README.md"]),
    .target(
      name: "Interpreter",
      dependencies: [
        "Engine", "Network", "ModelImport", "KerasImport", "Imaging", "Attribution", "ModelZoo",
        "CommandLanguage",
      ],
      exclude: ["README.md"], swiftSettings: optimised),
    .target(name: "JupyterProtocol", dependencies: ["CCrypto"], exclude: ["README.md"]),
    .target(
      name: "JupyterKernel",
      dependencies: ["JupyterProtocol", .product(name: "Logging", package: "swift-log")],
      exclude: ["README.md"]),
    .target(
      name: "ZMQTransport",
      dependencies: [
        "CZeroMQ", "JupyterProtocol", "JupyterKernel",
        .product(name: "Logging", package: "swift-log"),
      ],
      exclude: ["README.md"]),
    .target(name: "KernelBridge", dependencies: ["Interpreter", "JupyterKernel", "JupyterProtocol"]),
    .target(name: "Terminal", dependencies: ["CEditLine", "Interpreter"], exclude: ["README.md"]),
    .target(
      name: "Notebook",
      dependencies: ["Interpreter", "Imaging", "JupyterProtocol", "ZMQTransport"],
      exclude: ["README.md"]),
    .target(name: "TestSupport", dependencies: ["Engine", "Network"], swiftSettings: optimised),
    .executableTarget(
      name: "glimpse",
      dependencies: [
        "Engine", "Network", "ModelImport", "Imaging", "Attribution", "ModelZoo", "Interpreter",
        "KernelBridge", "ZMQTransport", "Terminal", "Notebook",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]),

    .testTarget(name: "EngineTests", dependencies: ["Engine", "TestSupport"]),
    .testTarget(name: "NetworkTests", dependencies: ["Engine", "Network", "TestSupport"]),
    .testTarget(
      name: "ModelImportTests",
      dependencies: ["Engine", "Network", "ModelImport", "TestSupport"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "ImagingTests", dependencies: ["Imaging", "Engine", "TestSupport"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "AttributionTests",
      dependencies: ["Engine", "Network", "ModelImport", "Imaging", "Attribution", "ModelZoo", "TestSupport"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "KerasImportTests",
      // CHDF5: the test-only legacy weight-file writer (Support/KerasLegacyH5Writer.swift).
      // ModelZoo: the catalog end to end on a full-size file.
      dependencies: [
        "CHDF5", "Engine", "Network", "ModelImport", "KerasImport", "ModelZoo", "TestSupport",
      ],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "ModelZooTests",
      dependencies: ["ModelZoo", "KerasImport", "Attribution", "Engine", "TestSupport"]),
    // Runs the built executable as a user would (it depends on it so it is built first).
    .testTarget(name: "CLITests", dependencies: ["glimpse"]),
    .testTarget(name: "CommandLanguageTests", dependencies: ["CommandLanguage", "Engine"]),
    .testTarget(name: "JupyterTests", dependencies: ["JupyterProtocol", "JupyterKernel", "ZMQTransport"]),
    .testTarget(
      name: "InterpreterTests",
      dependencies: [
        "Interpreter", "CommandLanguage", "Attribution", "ModelZoo", "ModelImport", "Imaging",
        "TestSupport",
      ]),
    .testTarget(name: "KernelBridgeTests", dependencies: ["KernelBridge", "Interpreter", "JupyterKernel", "JupyterProtocol"]),
    .testTarget(name: "TerminalTests", dependencies: ["Terminal", "Interpreter"]),
    .testTarget(
      name: "NotebookTests",
      dependencies: [
        "Notebook", "Interpreter", "Imaging", "JupyterKernel", "JupyterProtocol", "ZMQTransport",
        .product(name: "Logging", package: "swift-log"),
      ]),
  ]
)
