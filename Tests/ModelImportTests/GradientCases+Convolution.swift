import Engine
import ModelImport
import Network
import XCTest

/// Gradient-check cases for Conv, Gemm, MatMul and the pooling ops.
let convolutionGradientCases: [GradientCase] = []

/// Convolution-family ops exempt from gradient checks.
let convolutionShapeOnlyOps: Set<String> = []
