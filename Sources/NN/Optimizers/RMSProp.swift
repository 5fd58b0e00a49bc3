// RMSProp: divide each coordinate's step by a running root-mean-square of its gradients.
//
// PyTorch's algorithm (torch.optim.RMSprop), for each parameter θ with gradient
// g, learning rate γ, smoothing α, ε, momentum μ and weight decay λ; the
// running averages start at zero:
//
//     g ← g + λ·θ                            (L2 weight decay, when λ ≠ 0)
//     v ← α·v + (1 − α)·g²                   running mean of g²
//     ṽ ← v
//     if centered:
//         ḡ ← α·ḡ + (1 − α)·g                running mean of g
//         ṽ ← v − ḡ²                         running variance of g
//     if μ > 0:
//         b ← μ·b + g / (√ṽ + ε)
//         θ ← θ − γ·b
//     else:
//         θ ← θ − γ·g / (√ṽ + ε)
//
// Coordinates with large gradients get small steps and the reverse, so one
// learning rate suits parameters of very different scales (Hinton, Neural
// Networks for Machine Learning, lecture 6e; the centered form is Graves,
// "Generating Sequences With Recurrent Neural Networks", 2013, eq. 38–45).
// ε is added after the square root, as PyTorch does.

import Autograd
import Tensor

/// RMSProp, PyTorch's `torch.optim.RMSprop`.
public final class RMSProp: Optimizer {
    public let parameters: [Variable]
    public var learningRate: Float
    /// α: smoothing constant of the running averages.
    public let alpha: Float
    /// ε: added to the root-mean-square for numerical stability.
    public let epsilon: Float
    /// μ: momentum applied to the scaled step (0 = none).
    public let momentum: Float
    /// Whether to divide by the running variance instead of the running mean square.
    public let centered: Bool
    /// λ: L2 penalty coefficient, added to the gradient as λ·θ.
    public let weightDecay: Float

    /// Running mean of g², per parameter (created on its first step).
    var squareAverages: [Tensor?]
    /// Running mean of g, per parameter (only when centered).
    var gradientAverages: [Tensor?]
    /// Velocity, per parameter (only with momentum).
    var velocities: [Tensor?]

    /// Creates the optimizer over `parameters` (trainable leaves, each listed once).
    public init(_ parameters: [Variable], learningRate: Float = 0.01, alpha: Float = 0.99,
                epsilon: Float = 1e-8, momentum: Float = 0, centered: Bool = false, weightDecay: Float = 0) {
        OptimizerSupport.validate(parameters, optimizer: "RMSProp")
        precondition(learningRate >= 0, "RMSProp: learning rate must be ≥ 0, got \(learningRate)")
        precondition(alpha >= 0 && alpha < 1, "RMSProp: alpha must be in [0, 1), got \(alpha)")
        precondition(epsilon >= 0, "RMSProp: epsilon must be ≥ 0, got \(epsilon)")
        precondition(momentum >= 0, "RMSProp: momentum must be ≥ 0, got \(momentum)")
        precondition(weightDecay >= 0, "RMSProp: weight decay must be ≥ 0, got \(weightDecay)")
        self.parameters = parameters
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
        self.momentum = momentum
        self.centered = centered
        self.weightDecay = weightDecay
        self.squareAverages = Array(repeating: nil, count: parameters.count)
        self.gradientAverages = Array(repeating: nil, count: parameters.count)
        self.velocities = Array(repeating: nil, count: parameters.count)
    }

    public func step() {
        noGrad {
            for (index, parameter) in parameters.enumerated() {
                guard let grad = OptimizerSupport.gradient(of: parameter, optimizer: "RMSProp") else { continue }
                update(parameter, grad: grad, index: index)
            }
        }
    }

    /// One fused pass over θ, g and the running state.
    private func update(_ parameter: Variable, grad: Tensor, index: Int) {
        let lr = learningRate, a = alpha, eps = epsilon, mu = momentum, decay = weightDecay
        let shape = parameter.value.shape, count = parameter.value.count
        // Take the state out of the arrays while it is written, so that its storage stays unique.
        var square = squareAverages[index] ?? Tensor.zeros(shape)
        var mean = gradientAverages[index] ?? (centered ? Tensor.zeros(shape) : nil)
        var velocity = velocities[index] ?? (mu > 0 ? Tensor.zeros(shape) : nil)
        squareAverages[index] = nil
        gradientAverages[index] = nil
        velocities[index] = nil
        parameter.value.withUnsafeMutableBufferPointer { thetaBuffer in
            grad.withUnsafeBufferPointer { gradBuffer in
                square.withUnsafeMutableBufferPointer { squareBuffer in
                    OptimizerSupport.withOptionalMutablePointer(&mean) { m in
                        OptimizerSupport.withOptionalMutablePointer(&velocity) { b in
                            let theta = thetaBuffer.baseAddress!, g = gradBuffer.baseAddress!
                            let v = squareBuffer.baseAddress!
                            Parallel.forRanges(count, minimumPerThread: OptimizerSupport.minimumPerThread) { range in
                                OptimizerSupport.forEachBlock(range) { i, lanes in
                                    let d = g.block(at: i, lanes: lanes) + decay * theta.block(at: i, lanes: lanes)
                                    let square = a * v.block(at: i, lanes: lanes) + (1 - a) * d * d
                                    v.storeBlock(square, at: i, lanes: lanes)
                                    var variance = square
                                    if let m {
                                        let mean = a * m.block(at: i, lanes: lanes) + (1 - a) * d
                                        m.storeBlock(mean, at: i, lanes: lanes)
                                        variance -= mean * mean
                                    }
                                    let scaled = d / (variance.squareRoot() + eps)
                                    var step = scaled
                                    if let b {
                                        step = mu * b.block(at: i, lanes: lanes) + scaled
                                        b.storeBlock(step, at: i, lanes: lanes)
                                    }
                                    theta.storeBlock(theta.block(at: i, lanes: lanes) - lr * step, at: i, lanes: lanes)
                                }
                            }
                        }
                    }
                }
            }
        }
        squareAverages[index] = square
        gradientAverages[index] = mean
        velocities[index] = velocity
    }
}
