import Engine
import ModelImport
import Network
import XCTest

/// Gradient-check cases for element-wise, activation, normalisation, reduction and shape ops.
let elementwiseGradientCases: [GradientCase] = []

/// Ops exempt from gradient checks: their outputs are int64 or carry no float gradient.
let elementwiseShapeOnlyOps: Set<String> = []
