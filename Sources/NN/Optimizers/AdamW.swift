// AdamW: Adam with decoupled weight decay.
//
// PyTorch's algorithm (torch.optim.AdamW), with the notation of Adam.swift:
//
//     θ ← θ − γ·λ·θ                            decay, outside the adaptive scaling
//     m ← β1·m + (1 − β1)·g
//     v ← β2·v + (1 − β2)·g²
//     θ ← θ − γ/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
//
// In Adam an L2 term λ·θ added to g is divided by √v̂ like the rest of the
// gradient, so weights with large gradients are barely decayed. Loshchilov &
// Hutter, "Decoupled Weight Decay Regularization" (ICLR 2019, Algorithm 2),
// shrink every weight by the same factor 1 − γλ instead; it is the optimizer
// GPT-style models are trained with. Note the decay is scaled by the learning
// rate, so a schedule that lowers γ also lowers the decay.

import Autograd
import Tensor

/// AdamW, PyTorch's `torch.optim.AdamW` (decoupled weight decay, default 0.01).
public final class AdamW: Optimizer {
    public let parameters: [Variable]
    public var learningRate: Float
    /// β1: decay of the running mean of gradients.
    public let beta1: Float
    /// β2: decay of the running mean of squared gradients.
    public let beta2: Float
    /// ε: added to the denominator for numerical stability.
    public let epsilon: Float
    /// λ: each step multiplies every weight by 1 − γλ before the Adam update.
    public let weightDecay: Float

    var moments: AdamMoments

    /// Creates the optimizer over `parameters` (trainable leaves, each listed once).
    public init(_ parameters: [Variable], learningRate: Float = 1e-3, beta1: Float = 0.9,
                beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        AdamMoments.validate(parameters, learningRate: learningRate, beta1: beta1, beta2: beta2,
                             epsilon: epsilon, weightDecay: weightDecay, optimizer: "AdamW")
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
                guard let grad = OptimizerSupport.gradient(of: parameter, optimizer: "AdamW") else { continue }
                moments.update(parameter, grad: grad, index: index, learningRate: learningRate,
                               beta1: beta1, beta2: beta2, epsilon: epsilon,
                               l2Decay: 0, decoupledDecay: weightDecay)
            }
        }
    }
}
