// Helpers shared by the PyTorch parity tests: reading a fixture written by
// Tests/Fixtures/make_fixtures.py, comparing tensors, and repeating the
// fixture's three optimizer steps.
import Foundation
import Testing
@testable import NN
import Autograd
import LabKit
import Tensor

/// Largest |a − b| relative to the largest |b| (so tiny entries do not dominate).
func relativeDifference(_ a: Tensor, _ b: Tensor) -> Float {
    precondition(a.shape == b.shape, "relativeDifference: shapes \(a.shape) and \(b.shape)")
    return (a - b).abs().max() / Swift.max(b.abs().max(), 1e-6)
}

/// The tensors of a fixture file in Tests/Fixtures.
func fixture(_ name: String) throws -> [String: Tensor] {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/\(name).safetensors").path
    return try Safetensors.read(contentsOf: path).tensors
}

/// The entries under `prefix.`, with the prefix removed.
func entries(_ tensors: [String: Tensor], under prefix: String) -> [String: Tensor] {
    var result: [String: Tensor] = [:]
    for (key, value) in tensors where key.hasPrefix(prefix + ".") {
        result[String(key.dropFirst(prefix.count + 1))] = value
    }
    return result
}

/// The optimizer behind a fixture's `<name>.step3.*` entries (as in make_fixtures.py's OPTIMIZERS).
func fixtureOptimizer(_ name: String, _ parameters: [Variable]) -> any Optimizer {
    switch name {
    case "sgd_momentum": SGD(parameters, learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-2)
    case "rmsprop": RMSProp(parameters, learningRate: 1e-2, alpha: 0.99, epsilon: 1e-8)
    case "adam": Adam(parameters, learningRate: 1e-2)
    default: AdamW(parameters, learningRate: 1e-2, weightDecay: 0.1)
    }
}

/// Three training steps (zero the gradients, compute the loss, backward, update) with the
/// fixture's optimizer `name`; returns the loss of the third step, as the fixture stores it.
func trainThreeSteps(_ name: String, _ parameters: [Variable], loss: () -> Variable) -> Tensor {
    let optimizer = fixtureOptimizer(name, parameters)
    var lastLoss = Tensor(0)
    for _ in 0..<3 {
        optimizer.zeroGrad()
        let value = loss()
        value.backward()
        optimizer.step()
        lastLoss = value.value
    }
    return lastLoss
}
