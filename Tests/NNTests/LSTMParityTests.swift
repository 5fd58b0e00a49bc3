// Parity with PyTorch for an LSTM classifier: the same initial weights and batch must
// give the same loss, the same gradients, and the same weights after 3 steps of each
// optimizer. The expected numbers come from Tests/Fixtures/make_fixtures.py
// (class LSTMClassifier: nn.LSTM(5, 7, batch_first=True) → last step's h → nn.Linear(7, 3)),
// stored in Tests/Fixtures/lstm.safetensors.
import Foundation
import Testing
@testable import NN
import Autograd
import LabKit
import Tensor

/// The fixture's network, with PyTorch's parameter names ("lstm.weight_ih_l0", "fc.weight", …).
final class LSTMClassifier: Module {
    let lstm = LSTM(inputSize: 5, hiddenSize: 7)
    let fc = Linear(7, 3)
    var isTraining = true
    var localParameters: [(String, Variable)] { [] }
    var children: [(String, any Module)] { [("lstm", lstm), ("fc", fc)] }

    /// x (B, T, 5) ↦ class scores (B, 3) from the last step's output, out[:, -1, :] as in PyTorch.
    func callAsFunction(_ x: Variable) -> Variable {
        let (output, _) = lstm(x)
        let steps = x.shape[1]
        return fc(output.slice(axis: 1, steps - 1..<steps).squeezed(axis: 1))
    }
}

@Suite struct LSTMParityTests {
    func makeModel(_ file: [String: Tensor]) throws -> LSTMClassifier {
        let model = LSTMClassifier()
        try model.loadStateDict(entries(file, under: "init"), source: "lstm.safetensors")
        return model
    }

    func batch(_ file: [String: Tensor]) -> (Variable, [Int]) {
        (Variable(file["input.x"]!), file["input.targets"]!.scalars.map { Int($0) })
    }

    @Test func lossAndGradientsMatchPyTorch() throws {
        let file = try fixture("lstm")
        let model = try makeModel(file)
        let (x, targets) = batch(file)
        #expect(x.shape == [4, 6, 5])
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
        let file = try fixture("lstm")
        let model = try makeModel(file)
        let (x, targets) = batch(file)
        let parameters = model.parameters
        let lastLoss = trainThreeSteps(name, parameters) { model(x).crossEntropy(targets) }
        #expect(relativeDifference(lastLoss.flattened(), file["\(name).step3.loss"]!.flattened()) < 1e-3, "\(name): loss at step 3")
        let expected = entries(file, under: "\(name).step3")
        for (key, value) in model.stateDict() {
            let reference = try #require(expected[key], "no PyTorch value for \(key)")
            #expect(relativeDifference(value, reference) < 1e-3, "\(name): \(key) after 3 steps")
        }
    }
}
