// Parity with PyTorch for an MLP: the same initial weights and batch must give
// the same loss, the same gradients, and the same weights after 3 steps of each
// optimizer. The expected numbers come from Tests/Fixtures/make_fixtures.py
// (PyTorch 2.13 on the CPU, run by hand), stored in Tests/Fixtures/mlp.safetensors;
// the shared helpers are in ParitySupport.swift.
import Foundation
import Testing
@testable import NN
import Autograd
import LabKit
import Tensor

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
        let lastLoss = trainThreeSteps(name, parameters) { model(x).crossEntropy(targets) }
        #expect(relativeDifference(lastLoss.flattened(), file["\(name).step3.loss"]!.flattened()) < 1e-4, "\(name): loss at step 3")
        let expected = entries(file, under: "\(name).step3")
        for (key, value) in model.stateDict() {
            let reference = try #require(expected[key], "no PyTorch value for \(key)")
            #expect(relativeDifference(value, reference) < 1e-4, "\(name): \(key) after 3 steps")
        }
    }
}
