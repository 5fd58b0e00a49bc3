// SGD: stochastic gradient descent, with momentum, Nesterov momentum and weight decay.
//
// PyTorch's algorithm (torch.optim.SGD), for each parameter θ with gradient g,
// learning rate γ, momentum μ, dampening τ and weight decay λ:
//
//     g ← g + λ·θ                          (L2 weight decay, when λ ≠ 0)
//     if μ ≠ 0:
//         b ← g                  on this parameter's first step
//         b ← μ·b + (1 − τ)·g    afterwards
//         g ← g + μ·b            with Nesterov momentum
//         g ← b                  without
//     θ ← θ − γ·g
//
// The velocity b remembers past gradients: along a direction where they keep
// their sign it grows up to 1/(1 − μ) times a single step, and across a
// ravine where they alternate it cancels out. Nesterov's variant applies the
// velocity's next move to the gradient first ("look ahead"), as Sutskever et
// al., "On the importance of initialization and momentum in deep learning"
// (ICML 2013), write it. Note PyTorch's form puts γ outside b: changing the
// learning rate mid-training rescales the whole velocity at once.

import Autograd
import Tensor

/// Stochastic gradient descent, PyTorch's `torch.optim.SGD`.
public final class SGD: Optimizer {
    public let parameters: [Variable]
    public var learningRate: Float
    /// μ: how much of the previous velocity each step keeps (0 = plain SGD).
    public let momentum: Float
    /// τ: how much of the gradient is held back when it is added to the velocity.
    public let dampening: Float
    /// Whether to use Nesterov momentum (needs momentum > 0 and dampening 0).
    public let nesterov: Bool
    /// λ: L2 penalty coefficient, added to the gradient as λ·θ.
    public let weightDecay: Float

    /// Velocity b per parameter, created on the parameter's first step (only with momentum).
    var velocities: [Tensor?]

    /// Creates the optimizer over `parameters` (trainable leaves, each listed once).
    public init(_ parameters: [Variable], learningRate: Float, momentum: Float = 0,
                dampening: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        OptimizerSupport.validate(parameters, optimizer: "SGD")
        precondition(learningRate >= 0, "SGD: learning rate must be ≥ 0, got \(learningRate)")
        precondition(momentum >= 0, "SGD: momentum must be ≥ 0, got \(momentum)")
        precondition(weightDecay >= 0, "SGD: weight decay must be ≥ 0, got \(weightDecay)")
        precondition(!nesterov || (momentum > 0 && dampening == 0),
                     "SGD: Nesterov momentum needs momentum > 0 and dampening 0, got momentum \(momentum), dampening \(dampening)")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.velocities = Array(repeating: nil, count: parameters.count)
    }

    public func step() {
        noGrad {
            for (index, parameter) in parameters.enumerated() {
                guard let grad = OptimizerSupport.gradient(of: parameter, optimizer: "SGD") else { continue }
                update(parameter, grad: grad, index: index)
            }
        }
    }

    /// One fused pass over θ, g and b.
    private func update(_ parameter: Variable, grad: Tensor, index: Int) {
        let lr = learningRate, mu = momentum, keep = 1 - dampening, decay = weightDecay
        let useNesterov = nesterov
        // Take the velocity out of the array while it is written, so that its storage stays unique.
        var velocity = velocities[index]
        velocities[index] = nil
        let firstStep = velocity == nil
        if mu != 0 && firstStep { velocity = Tensor(uninitializedShape: parameter.value.shape) }
        let count = parameter.value.count
        parameter.value.withUnsafeMutableBufferPointer { thetaBuffer in
            grad.withUnsafeBufferPointer { gradBuffer in
                OptimizerSupport.withOptionalMutablePointer(&velocity) { b in
                    let theta = thetaBuffer.baseAddress!, g = gradBuffer.baseAddress!
                    Parallel.forRanges(count, minimumPerThread: OptimizerSupport.minimumPerThread) { range in
                        OptimizerSupport.forEachBlock(range) { i, lanes in
                            let p = theta.block(at: i, lanes: lanes)
                            var d = g.block(at: i, lanes: lanes) + decay * p
                            if let b {
                                let v = firstStep ? d : mu * b.block(at: i, lanes: lanes) + keep * d
                                b.storeBlock(v, at: i, lanes: lanes)
                                d = useNesterov ? d + mu * v : v
                            }
                            theta.storeBlock(p - lr * d, at: i, lanes: lanes)
                        }
                    }
                }
            }
        }
        velocities[index] = velocity
    }
}
