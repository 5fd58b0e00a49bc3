// Parity with PyTorch for an MLP: the same initial weights and batch must give
// the same loss, the same gradients, and the same weights after 3 steps of each
// optimizer. The expected numbers come from Tests/Fixtures/make_fixtures.py
// (PyTorch 2.13 on the CPU, run by hand), stored in Tests/Fixtures/mlp.safetensors.
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

@Suite struct MLPParityTests {
    /// The fixture's network: 20 → 16 (ReLU) → 8 (GELU, tanh form) → 5.
    func makeModel(_ file: [String: Tensor]) throws -> Sequential {
        let model = Sequential(Linear(20, 16), ReLU(), Linear(16, 8), GELU(), Linear(8, 5))
        try model.loadStateDict(entries(file, under: "init"), source: "mlp.safetensors")
        return model
    }

    func batch(_ file: [String: Tensor]) -> (Variable, [Int]) {
        (Variable(file["input.x"]!), file["input.targets"]!.scalars.map { Int($0) })
    }

    @Test func lossAndGradientsMatchPyTorch() throws {
        let file = try fixture("mlp")
        let model = try makeModel(file)
        let (x, targets) = batch(file)
        let loss = model(x).crossEntropy(targets)
        loss.backward()
        #expect(relativeDifference(loss.value.flattened(), file["step0.loss"]!.flattened()) < 1e-4)
        let expected = entries(file, under: "step0.grad")
        #expect(expected.count == 6)
        for (name, parameter) in model.namedParameters {
            let reference = try #require(expected[name], "no PyTorch gradient for \(name)")
            #expect(relativeDifference(parameter.grad!, reference) < 1e-4, "gradient of \(name)")
        }
    }

    static let optimizers: [String] = ["sgd_momentum", "rmsprop", "adam", "adamw"]

    @Test(arguments: optimizers)
    func threeOptimizerStepsMatchPyTorch(_ name: String) throws {
        let file = try fixture("mlp")
        let model = try makeModel(file)
        let (x, targets) = batch(file)
        let parameters = model.parameters
        let optimizer: any Optimizer = switch name {
        case "sgd_momentum": SGD(parameters, learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-2)
        case "rmsprop": RMSProp(parameters, learningRate: 1e-2, alpha: 0.99, epsilon: 1e-8)
        case "adam": Adam(parameters, learningRate: 1e-2)
        default: AdamW(parameters, learningRate: 1e-2, weightDecay: 0.1)
        }
        var lastLoss = Tensor(0)
        for _ in 0..<3 {
            optimizer.zeroGrad()
            let loss = model(x).crossEntropy(targets)
            loss.backward()
            optimizer.step()
            lastLoss = loss.value
        }
        #expect(relativeDifference(lastLoss.flattened(), file["\(name).step3.loss"]!.flattened()) < 1e-4, "\(name): loss at step 3")
        let expected = entries(file, under: "\(name).step3")
        for (key, value) in model.stateDict() {
            let reference = try #require(expected[key], "no PyTorch value for \(key)")
            #expect(relativeDifference(value, reference) < 1e-4, "\(name): \(key) after 3 steps")
        }
    }
}
