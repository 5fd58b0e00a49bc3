// Parity with PyTorch for a small convolutional network: the loss and gradients of one
// forward/backward pass, then three training steps with each optimizer.
// The reference numbers are Tests/Fixtures/convnet.safetensors, made by
// Tests/Fixtures/make_fixtures.py (`convnet()` there is the network built below).
// Error measure: relative = max|a − b| / max(max|b|, 1e-6), over a whole tensor.
// The script writes through np.ascontiguousarray, which turns a 0-d array into shape [1],
// so the file's scalars (losses, num_batches_tracked) have shape [1]; they are read as 0-d here.
//
// The first convolution's bias feeds a training-mode BatchNorm, which subtracts each channel's
// batch mean, so the loss does not depend on that bias: ∂L/∂(0.bias) = 0 exactly, and both
// PyTorch (~1e-8) and we hold only rounding noise there. A relative comparison of noise means
// nothing, so that gradient is checked to be ≈ 0 instead. SGD turns the noise into steps of
// ~1e-9; Adam, AdamW and RMSProp divide by √v and turn it into steps of ~lr with a random sign,
// so after them 0.bias (and 1.running_mean, which averages the batch means that include it)
// follow the noise; for those optimizers the bias is checked to have moved by at most 3 of
// the largest steps the optimizer can take, running_mean to lie within the band those steps
// allow around PyTorch's, and every other tensor (and the loss, which the bias cannot change)
// to 1e-3 relative.
import Foundation
import Testing
import NN
import Autograd
import Tensor
import LabKit

@Suite struct ConvNetParityTests {
    /// The bias whose gradient is 0 because a BatchNorm follows (see the header).
    static let biasBeforeBatchNorm = "0.bias"
    /// The state that adaptive optimizers drive by that bias's rounding noise (see the header).
    static let noiseDrivenAfterAdaptiveSteps: Set<String> = ["0.bias", "1.running_mean"]

    /// The fixture's tensors by name.
    let fixture: [String: Tensor]

    init() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/convnet.safetensors").path
        fixture = try Safetensors.read(contentsOf: path).tensors.mapValues { tensor in
            tensor.shape == [1] ? tensor.reshaped([]) : tensor
        }
    }

    /// The network of make_fixtures.py's `convnet()`, with the fixture's initial state loaded.
    func makeModel() throws -> Sequential {
        let model = Sequential(
            Conv2d(1, 4, kernelSize: 3, padding: 1), BatchNorm2d(4), ReLU(),       // [4, 4, 8, 8]
            MaxPool2d(kernelSize: 2),                                              // [4, 4, 4, 4]
            Conv2d(4, 6, kernelSize: 3, stride: 2), ReLU(),                        // [4, 6, 1, 1]
            AvgPool2d(kernelSize: 1), Flatten(), Linear(6, 3))                     // [4, 6] → [4, 3]
        try model.loadStateDict(tensors(prefix: "init."), source: "convnet.safetensors init.*")
        return model
    }

    /// The fixture's tensors whose names start with `prefix`, with the prefix removed.
    func tensors(prefix: String) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (name, tensor) in fixture where name.hasPrefix(prefix) {
            result[String(name.dropFirst(prefix.count))] = tensor
        }
        return result
    }

    func input() throws -> (x: Variable, targets: [Int]) {
        let x = try #require(fixture["input.x"])
        let targets = try #require(fixture["input.targets"]).scalars.map { Int($0) }
        return (Variable(x), targets)
    }

    /// max|a − b| / max(max|b|, 1e-6).
    func relativeError(_ actual: Tensor, _ expected: Tensor) -> Float {
        let scale = Swift.max(expected.scalars.map(abs).max() ?? 0, 1e-6)
        let difference = zip(actual.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
        return difference / scale
    }

    /// Expects `actual` to match the fixture tensor `name` within `tolerance` (relative); returns the error.
    @discardableResult
    func expectMatch(_ actual: Tensor, _ name: String, tolerance: Float,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> Float {
        let expected = try #require(fixture[name], "fixture has no tensor \(name)", sourceLocation: sourceLocation)
        try #require(actual.shape == expected.shape,
                     "\(name): shape \(actual.shape), PyTorch has \(expected.shape)", sourceLocation: sourceLocation)
        let error = relativeError(actual, expected)
        #expect(error <= tolerance, "\(name): relative error \(error) > \(tolerance)", sourceLocation: sourceLocation)
        return error
    }

    @Test func lossAndGradientsOfOneStep() throws {
        let model = try makeModel()
        let (x, targets) = try input()
        model.train()
        let loss = model(x).crossEntropy(targets)
        loss.backward()
        var worst = try expectMatch(loss.value.reshaped([]), "step0.loss", tolerance: 1e-4)
        #expect(model.namedParameters.count == 8)
        for (name, parameter) in model.namedParameters {
            let gradient = try #require(parameter.grad, "\(name) has no gradient")
            if name == Self.biasBeforeBatchNorm {
                let expected = try #require(fixture["step0.grad." + name])
                let noise = (gradient.scalars + expected.scalars).map(abs).max() ?? 0
                #expect(noise < 1e-6, "\(name): ∂L/∂b before BatchNorm should be 0, PyTorch \(expected.scalars), ours \(gradient.scalars)")
                print("ConvNetParity step 0: \(name) gradient (exactly 0 in exact arithmetic) ours \(gradient.scalars), PyTorch \(expected.scalars)")
                continue
            }
            worst = Swift.max(worst, try expectMatch(gradient, "step0.grad." + name, tolerance: 1e-4))
        }
        print("ConvNetParity step 0: worst relative error (loss and gradients) \(worst)")
    }

    @Test(arguments: ["sgd_momentum", "rmsprop", "adam", "adamw"])
    func threeTrainingSteps(optimizerName: String) throws {
        let model = try makeModel()
        let (x, targets) = try input()
        let parameters = model.parameters
        // The largest step one update can give a parameter whose gradient is noise: about lr for
        // Adam (bias-corrected |m̂|/√v̂ is 1 at the first step and stays near 1 while the noise's
        // size is steady), plus AdamW's decay lr·λ·|b| ≤ 0.01 · 0.1 · 1/3 ≈ 3.3e-4; lr/√(1 − α) for RMSProp
        // (v = (1 − α)·g² after one step); nil for SGD, whose steps stay at the noise's scale.
        let maxStep: Float? = switch optimizerName {
        case "sgd_momentum": nil
        case "rmsprop": 1e-2 / (1 - 0.99 as Float).squareRoot()
        default: 1e-2 + 4e-4
        }
        model.train()
        let lastLoss = trainThreeSteps(optimizerName, parameters) { model(x).crossEntropy(targets) }
        var worst = try expectMatch(lastLoss.reshaped([]), "\(optimizerName).step3.loss", tolerance: 1e-3)
        let state = model.stateDict()
        #expect(state.count == 11)
        let initial = tensors(prefix: "init.")
        for (name, tensor) in state.sorted(by: { $0.key < $1.key }) {
            if let maxStep, Self.noiseDrivenAfterAdaptiveSteps.contains(name) {
                let reference = try #require(fixture["\(optimizerName).step3.\(name)"])
                let start = try #require(initial[name])
                if name == Self.biasBeforeBatchNorm {
                    let moved = zip(tensor.scalars, start.scalars).map { abs($0 - $1) }.max() ?? 0
                    #expect(moved <= 3 * maxStep, "\(name) moved by \(moved) in 3 steps, more than 3 × \(maxStep)")
                    print("ConvNetParity \(optimizerName): \(name) moved \(moved) (bound \(3 * maxStep))")
                } else {
                    // running_mean = Σ_t 0.1 · 0.9^(3−t) · μ_t, and μ_t holds the bias b_t used at step t:
                    // b_1 is shared, ours and PyTorch's b_2 differ by ≤ 2 steps, b_3 by ≤ 4 steps.
                    let bound = 0.1 * (0.9 * 2 + 4) * maxStep + 1e-4
                    let difference = zip(tensor.scalars, reference.scalars).map { abs($0 - $1) }.max() ?? 0
                    #expect(difference <= bound, "\(name) differs from PyTorch by \(difference), more than \(bound)")
                    print("ConvNetParity \(optimizerName): \(name) differs from PyTorch by \(difference) (bound \(bound))")
                }
                continue
            }
            worst = Swift.max(worst, try expectMatch(tensor, "\(optimizerName).step3.\(name)", tolerance: 1e-3))
        }
        print("ConvNetParity \(optimizerName) 3 steps: worst relative error (loss and state dict) \(worst)")
    }
}
