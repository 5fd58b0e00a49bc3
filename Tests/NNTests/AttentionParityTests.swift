// Parity with PyTorch for causal multi-head self-attention: nn.MultiheadAttention(8, 2,
// batch_first=True) with a causal mask, then nn.Linear(8, 4) per position and cross-entropy
// over the B·T positions. The same initial weights and batch must give the same loss, the
// same gradients, and the same weights after 3 steps of each optimizer. The expected numbers
// come from Tests/Fixtures/make_fixtures.py (class AttentionBlock), stored in
// Tests/Fixtures/attention.safetensors.
import Foundation
import Testing
@testable import NN
import Autograd
import LabKit
import Tensor

/// The fixture's network: attention "attn" (8 channels, 2 heads, causal) → Linear "fc" (8 → 4).
final class AttentionBlock: Module {
    let attention = MultiheadAttention(embedDimension: 8, headCount: 2, causal: true, seed: 1)
    let classifier = Linear(8, 4, seed: 2)
    var isTraining = true
    var localParameters: [(String, Variable)] { [] }
    var children: [(String, any Module)] { [("attn", attention), ("fc", classifier)] }

    /// Logits of shape (B·T, 4) for x of shape (B, T, 8).
    func callAsFunction(_ x: Variable) -> Variable {
        let logits = classifier(attention(x))                            // (B, T, 4)
        return logits.reshaped([logits.shape[0] * logits.shape[1], 4])   // (B·T, 4)
    }
}

@Suite struct AttentionParityTests {
    func makeModel(_ file: [String: Tensor]) throws -> AttentionBlock {
        let model = AttentionBlock()
        try model.loadStateDict(entries(file, under: "init"), source: "attention.safetensors")
        return model
    }

    func batch(_ file: [String: Tensor]) -> (Variable, [Int]) {
        (Variable(file["input.x"]!), file["input.targets"]!.scalars.map { Int($0) })
    }

    @Test func parameterNamesAndShapesMatchPyTorch() throws {
        let file = try fixture("attention")
        let expected = entries(file, under: "init")
        let ours = AttentionBlock().stateDict()
        #expect(Set(ours.keys) == Set(expected.keys))
        for (name, value) in ours {
            #expect(value.shape == expected[name]?.shape, "shape of \(name)")
        }
    }

    @Test func lossAndGradientsMatchPyTorch() throws {
        let file = try fixture("attention")
        let model = try makeModel(file)
        let (x, targets) = batch(file)
        let loss = model(x).crossEntropy(targets)
        loss.backward()
        #expect(relativeDifference(loss.value.flattened(), file["step0.loss"]!.flattened()) < 1e-4)
        let expected = entries(file, under: "step0.grad")
        #expect(expected.count == 6)
        // The key bias has a zero gradient in exact arithmetic (softmax is shift-invariant).
        let keyBiasGradient = try #require(model.attention.inputProjectionBias.grad).slice(axis: 0, 8..<16)
        #expect(keyBiasGradient.abs().max() < 1e-6)
        for (name, parameter) in model.namedParameters {
            let reference = try #require(expected[name], "no PyTorch gradient for \(name)")
            #expect(relativeDifference(parameter.grad!, reference) < 1e-4, "gradient of \(name)")
        }
    }

    static let optimizers: [String] = ["sgd_momentum", "rmsprop", "adam", "adamw"]

    @Test(arguments: optimizers)
    func threeOptimizerStepsMatchPyTorch(_ name: String) throws {
        let file = try fixture("attention")
        let model = try makeModel(file)
        let (x, targets) = batch(file)
        let parameters = model.parameters
        let lastLoss = trainThreeSteps(name, parameters) { model(x).crossEntropy(targets) }
        #expect(relativeDifference(lastLoss.flattened(), file["\(name).step3.loss"]!.flattened()) < 1e-4, "\(name): loss at step 3")
        let expected = entries(file, under: "\(name).step3")
        for (key, value) in model.stateDict() {
            let reference = try #require(expected[key], "no PyTorch value for \(key)")
            if key == "attn.in_proj_bias" {
                // The key bias b_k (entries C..<2C) adds q_t · b_k to every score of row t, which the
                // softmax cancels: its gradient is exactly 0 in exact arithmetic, ~1e-9 rounding noise
                // in Float (see step0.grad). RMSProp and Adam divide by √v, turning that noise into
                // steps of size ~lr with arbitrary signs, in PyTorch and here alike, so b_k after
                // 3 steps is noise and is not compared. (AttentionTests checks that b_k has no effect.)
                let c = 8
                for part in [0..<c, 2 * c..<3 * c] {
                    #expect(relativeDifference(value.slice(axis: 0, part), reference.slice(axis: 0, part)) < 1e-4,
                            "\(name): \(key)[\(part)] after 3 steps")
                }
            } else {
                #expect(relativeDifference(value, reference) < 1e-4, "\(name): \(key) after 3 steps")
            }
        }
    }
}
