// Dropout: randomly zeroes activations during training (Srivastava et al. 2014),
// "inverted" so that evaluation needs no rescaling.
//
//   training:   y = x ⊙ m / (1 − p),   m_i ~ Bernoulli(1 − p) independently
//   evaluation: y = x
// E[y_i] = x_i (1 − p) / (1 − p) = x_i, so the expected activation is the same in
// both modes. The mask is a constant, so ∂L/∂x = ∂L/∂y ⊙ m / (1 − p).
// Each call draws a fresh mask from the layer's own seeded generator, whose
// state a checkpoint saves (RandomizedModule.swift).
// PyTorch equivalent: torch.nn.Dropout(p).

import Autograd
import Tensor

/// Zeroes each element with probability p in training mode and scales the rest by 1/(1−p).
public final class Dropout: Layer, RandomizedModule {
    /// The probability of zeroing an element.
    public let probability: Float
    public var isTraining = true
    /// The generator the masks are drawn from.
    public var generator: RandomGenerator

    /// A dropout layer with drop probability `p` in [0, 1], drawing its masks from `seed`.
    public init(_ p: Float = 0.5, seed: UInt64 = 0) {
        precondition(p >= 0 && p <= 1, "Dropout: probability must be in [0, 1], got \(p)")
        probability = p
        generator = RandomGenerator(seed: seed)
    }

    public var localParameters: [(String, Variable)] { [] }

    public func callAsFunction(_ input: Variable) -> Variable {
        guard isTraining && probability > 0 else { return input }
        let keep = 1 - probability
        let scale: Float = keep > 0 ? 1 / keep : 0          // p = 1 drops everything, as in PyTorch
        var mask = Tensor(uninitializedShape: input.shape)
        var random = generator                              // a local copy: no class access in the loop
        mask.withUnsafeMutableBufferPointer { m in
            for i in 0..<m.count {
                m[i] = random.nextUniformFloat() < keep ? scale : 0
            }
        }
        generator = random
        return input * Variable(mask)                      // the mask is a constant
    }
}
