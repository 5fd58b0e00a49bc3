// LayerNorm: normalises each vector along its last axis (Ba, Kiros & Hinton 2016).
//
//   μ = mean(x),  σ² = mean((x − μ)²)        over the last axis, per vector (biased variance)
//   y = (x − μ) / √(σ² + ε) · γ + β           γ ("weight") starts at 1, β ("bias") at 0
//                                            (bias: false leaves β out, as GPT-2 in nanoGPT's bias=False)
// x: (…, size)   γ, β: (size)   y: (…, size)
// The forward and backward run as one fused node (Autograd/LayerNormOp.swift,
// its derivative written out); `composite` spells the same maths in Autograd
// ops (mean, subtract, square, sqrt, divide) and the tests hold the two equal.
// PyTorch equivalent: torch.nn.LayerNorm(size, eps=1e-5).

import Autograd
import Tensor

/// Layer normalization over the last axis, with a learned scale and shift.
public final class LayerNorm: Layer {
    /// Length of the normalised (last) axis.
    public let size: Int
    /// ε, added to the variance for numerical safety.
    public let epsilon: Float
    /// γ, shape [size], initially 1.
    public var weight: Variable
    /// β, shape [size], initially 0; nil for a layer made with `bias: false`.
    public var bias: Variable?
    public var isTraining = true

    /// Layer normalization of vectors of length `size`.
    public init(_ size: Int, epsilon: Float = 1e-5, bias: Bool = true) {
        precondition(size > 0, "LayerNorm(\(size)): size must be positive")
        self.size = size
        self.epsilon = epsilon
        weight = Variable(Tensor.ones([size]), requiresGrad: true, name: "weight")
        self.bias = bias ? Variable(Tensor.zeros([size]), requiresGrad: true, name: "bias") : nil
    }

    public var localParameters: [(String, Variable)] { [("weight", weight)] + (bias.map { [("bias", $0)] } ?? []) }

    public func callAsFunction(_ input: Variable) -> Variable {
        precondition(input.rank >= 1 && input.shape.last == size,
                     "LayerNorm(\(size)): input has shape \(input.shape), expected last axis \(size)")
        return input.layerNorm(weight: weight, bias: bias, epsilon: epsilon)   // one fused node
    }

    /// The same normalization spelled out in Autograd ops (mean, subtract, square, sqrt, divide):
    /// the readable definition that the fused `Variable.layerNorm` is tested against.
    public func composite(_ input: Variable) -> Variable {
        let mean = input.mean(axis: -1, keepDims: true)                    // (…, 1)
        let centered = input - mean                                        // (…, size)
        let variance = centered.squared().mean(axis: -1, keepDims: true)   // (…, 1)
        let normalized = centered / (variance + epsilon).sqrt()            // (…, size)
        let scaled = normalized * weight                                   // γ broadcasts over (…)
        return bias.map { scaled + $0 } ?? scaled
    }
}
