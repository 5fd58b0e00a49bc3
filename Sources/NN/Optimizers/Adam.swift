// Adam: momentum on the gradient, RMSProp's scaling, and a correction for starting at zero.
//
// PyTorch's algorithm (torch.optim.Adam), for each parameter θ with gradient g,
// learning rate γ, β1, β2, ε and weight decay λ; m and v start at zero and t
// counts this parameter's steps from 1:
//
//     g ← g + λ·θ                              (L2 weight decay, when λ ≠ 0)
//     m ← β1·m + (1 − β1)·g                    running mean of g (first moment)
//     v ← β2·v + (1 − β2)·g²                   running mean of g² (second moment)
//     θ ← θ − γ/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
//
// Because m and v start at zero they underestimate the true averages early on
// by the factors (1 − β1ᵗ) and (1 − β2ᵗ); dividing by them removes that bias
// (Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015,
// Algorithm 1 and section 3). PyTorch folds the corrections into a step size
// γ/(1 − β1ᵗ) and a denominator √v/√(1 − β2ᵗ) + ε, so ε is added after the
// correction; this file does the same, with the two scalars computed in Double.
// On the first step m̂ = g and v̂ = g², so each coordinate moves by
// γ·g/(|g| + ε) ≈ γ·sign(g), whatever the scale of g.
//
// The weight decay here is L2 regularisation: it goes through the adaptive
// scaling like any gradient. AdamW (AdamW.swift) decouples it instead.

import Autograd
import Foundation
import Tensor

/// Adam, PyTorch's `torch.optim.Adam` (weight decay as an L2 term in the gradient).
public final class Adam: Optimizer {
    public let parameters: [Variable]
    public var learningRate: Float
    /// β1: decay of the running mean of gradients.
    public let beta1: Float
    /// β2: decay of the running mean of squared gradients.
    public let beta2: Float
    /// ε: added to the denominator for numerical stability.
    public let epsilon: Float
    /// λ: L2 penalty coefficient, added to the gradient as λ·θ.
    public let weightDecay: Float

    var moments: AdamMoments

    /// Creates the optimizer over `parameters` (trainable leaves, each listed once).
    public init(_ parameters: [Variable], learningRate: Float = 1e-3, beta1: Float = 0.9,
                beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        AdamMoments.validate(parameters, learningRate: learningRate, beta1: beta1, beta2: beta2,
                             epsilon: epsilon, weightDecay: weightDecay, optimizer: "Adam")
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.moments = AdamMoments(count: parameters.count)
    }

    public func step() {
        noGrad {
            for (index, parameter) in parameters.enumerated() {
                guard let grad = OptimizerSupport.gradient(of: parameter, optimizer: "Adam") else { continue }
                moments.update(parameter, grad: grad, index: index, learningRate: learningRate,
                               beta1: beta1, beta2: beta2, epsilon: epsilon,
                               l2Decay: weightDecay, decoupledDecay: 0)
            }
        }
    }
}

/// The per-parameter state of Adam and AdamW and their shared fused update.
struct AdamMoments {
    /// m: running mean of gradients, per parameter (created on its first step).
    var first: [Tensor?]
    /// v: running mean of squared gradients, per parameter.
    var second: [Tensor?]
    /// t: steps taken by each parameter so far.
    var steps: [Int]

    init(count: Int) {
        first = Array(repeating: nil, count: count)
        second = Array(repeating: nil, count: count)
        steps = Array(repeating: 0, count: count)
    }

    static func validate(_ parameters: [Variable], learningRate: Float, beta1: Float, beta2: Float,
                         epsilon: Float, weightDecay: Float, optimizer: String) {
        OptimizerSupport.validate(parameters, optimizer: optimizer)
        precondition(learningRate >= 0, "\(optimizer): learning rate must be ≥ 0, got \(learningRate)")
        precondition(beta1 >= 0 && beta1 < 1, "\(optimizer): beta1 must be in [0, 1), got \(beta1)")
        precondition(beta2 >= 0 && beta2 < 1, "\(optimizer): beta2 must be in [0, 1), got \(beta2)")
        precondition(epsilon >= 0, "\(optimizer): epsilon must be ≥ 0, got \(epsilon)")
        precondition(weightDecay >= 0, "\(optimizer): weight decay must be ≥ 0, got \(weightDecay)")
    }

    /// One fused pass over θ, g, m and v: optional decoupled decay θ ← θ − γλθ (AdamW),
    /// optional L2 decay g ← g + λθ (Adam), then the bias-corrected Adam step.
    mutating func update(_ parameter: Variable, grad: Tensor, index: Int, learningRate: Float,
                         beta1: Float, beta2: Float, epsilon: Float, l2Decay: Float, decoupledDecay: Float) {
        steps[index] += 1
        let t = Double(steps[index])
        let stepSize = Float(Double(learningRate) / (1 - pow(Double(beta1), t)))
        let correction2 = Float((1 - pow(Double(beta2), t)).squareRoot())
        let shrink = Float(1 - Double(learningRate) * Double(decoupledDecay))
        let b1 = beta1, b2 = beta2, eps = epsilon, l2 = l2Decay
        let shape = parameter.value.shape, count = parameter.value.count
        // Take the state out of the arrays while it is written, so that its storage stays unique.
        var m = first[index] ?? Tensor.zeros(shape)
        var v = second[index] ?? Tensor.zeros(shape)
        first[index] = nil
        second[index] = nil
        parameter.value.withUnsafeMutableBufferPointer { thetaBuffer in
            grad.withUnsafeBufferPointer { gradBuffer in
                m.withUnsafeMutableBufferPointer { mBuffer in
                    v.withUnsafeMutableBufferPointer { vBuffer in
                        let theta = thetaBuffer.baseAddress!, g = gradBuffer.baseAddress!
                        let mean = mBuffer.baseAddress!, square = vBuffer.baseAddress!
                        Parallel.forRanges(count, minimumPerThread: OptimizerSupport.minimumPerThread) { range in
                            OptimizerSupport.forEachBlock(range) { i, lanes in
                                let p = theta.block(at: i, lanes: lanes) * shrink
                                let d = g.block(at: i, lanes: lanes) + l2 * p
                                var m = mean.block(at: i, lanes: lanes)
                                var v = square.block(at: i, lanes: lanes)
                                m += (1 - b1) * (d - m)                  // = β1·m + (1 − β1)·g, PyTorch's lerp
                                v = b2 * v + (1 - b2) * d * d
                                let denominator = v.squareRoot() / correction2 + eps
                                theta.storeBlock(p - stepSize * (m / denominator), at: i, lanes: lanes)
                                mean.storeBlock(m, at: i, lanes: lanes)
                                square.storeBlock(v, at: i, lanes: lanes)
                            }
                        }
                    }
                }
            }
        }
        first[index] = m
        second[index] = v
    }
}
