// PPO's clipped surrogate objective (Schulman et al. 2017, eq. 7), as a loss
// to minimise over a minibatch of samples i:
//   ρ_i    = π(a_i|s_i) / π_old(a_i|s_i) = exp(log π(a_i|s_i) − log π_old(a_i|s_i))
//   L_clip = −mean_i min(ρ_i Â_i, clip(ρ_i, 1 − ε, 1 + ε) Â_i)
// The min takes the more pessimistic of the two: once ρ has moved more than ε
// in the direction the advantage rewards, the clipped term is the smaller one
// and it is flat in ρ, so that sample's gradient is zero and the policy stops
// being pushed further from the one that collected the data. Where the move
// makes things worse the unclipped term is kept and the gradient stays:
//   ∂L_clip/∂ρ_i = −Â_i / n   unless (Â_i > 0 and ρ_i > 1 + ε) or (Â_i < 0 and ρ_i < 1 − ε), then 0.

import Autograd
import Tensor

/// PPO's clipped surrogate loss (eq. 7 of the paper, negated to be minimised).
public enum ClippedSurrogate {
    /// L_clip for the policy's log-probabilities of the taken actions (a graph), the rollout's
    /// log-probabilities and the advantages; also ρ and log ρ, for the KL and clip-fraction diagnostics.
    public static func loss(logProbabilities: Variable, oldLogProbabilities: [Float], advantages: [Float],
                            clip: Float) -> (loss: Variable, ratio: Variable, logRatio: Variable) {
        let n = advantages.count
        precondition(logProbabilities.shape == [n] && oldLogProbabilities.count == n,
                     "ClippedSurrogate: \(logProbabilities.shape) log-probabilities, \(oldLogProbabilities.count) old ones, \(n) advantages")
        // BEGIN EXERCISE clipped-surrogate
        let logRatio = logProbabilities - Variable(Tensor(shape: [n], scalars: oldLogProbabilities))
        let ratio = logRatio.exp()
        let a = Variable(Tensor(shape: [n], scalars: advantages))
        let unclipped = ratio * a
        let clipped = ratio.clamped(min: 1 - clip, max: 1 + clip) * a
        let surrogate = Variable.minimum(unclipped, clipped)
        return (-surrogate.mean(), ratio, logRatio)
        // END EXERCISE
    }
}
