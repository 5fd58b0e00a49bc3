// Direct Preference Optimization (Rafailov et al. 2023, "Direct Preference
// Optimization: Your Language Model is Secretly a Reward Model", eq. 7).
//
// RLHF maximises  E[r(x, y)] − β·KL(π ‖ π_ref). Its optimum is
// π*(y|x) ∝ π_ref(y|x)·exp(r(x, y)/β), so any reward can be written through the
// policy that is optimal for it:  r(x, y) = β·log(π(y|x)/π_ref(y|x)) + β·log Z(x).
// Put into the Bradley-Terry model of preferences, P(y_w ≻ y_l) = σ(r_w − r_l),
// Z(x) cancels and the reward model disappears:
//   z_i   = β·[(log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l))]
//   L     = −(1/N) Σ_i log σ(z_i)
//   ∂L/∂log π(y_w)_i = −(β/N)·σ(−z_i),   ∂L/∂log π(y_l)_i = +(β/N)·σ(−z_i)
// The policy is pushed to raise the chosen continuation's likelihood relative to
// the reference and lower the rejected one's, most for pairs it still gets wrong
// (σ(−z) near 1). The implicit rewards r̂(y) = β·(log π(y) − log π_ref(y)) rank
// continuations like a reward model; "preference accuracy" is how often
// r̂(y_w) > r̂(y_l). β sets how far the policy may move: the loss is flat once
// z is a few units, so a large β is satisfied by a tiny change of log π.
// −log σ(z) is computed stably as BCE-with-logits against the label 1.

import Autograd
import Tensor

/// The DPO loss of a batch of pairs and what it says about them.
public struct DirectPreferenceLoss {
    /// L, a scalar whose gradient flows into the policy's log-probabilities.
    public let loss: Variable
    /// r̂(y_w) = β·(log π(y_w) − log π_ref(y_w)) per pair.
    public let chosenRewards: Tensor
    /// r̂(y_l) = β·(log π(y_l) − log π_ref(y_l)) per pair.
    public let rejectedRewards: Tensor

    /// The loss for policy log-probabilities (Variables) and reference ones (constants), all of one length.
    public init(policyChosen: Variable, policyRejected: Variable, referenceChosen: Tensor, referenceRejected: Tensor,
                beta: Float) {
        let n = policyChosen.value.count
        precondition(policyChosen.shape == [n] && policyRejected.shape == [n] && referenceChosen.shape == [n]
                     && referenceRejected.shape == [n] && n > 0,
                     "DirectPreferenceLoss: the four log-probability vectors must have one shared length")
        precondition(beta > 0 && beta.isFinite, "DirectPreferenceLoss: β must be positive, got \(beta)")
        // BEGIN EXERCISE dpo-loss
        let chosenRatio = policyChosen - Variable(referenceChosen)           // log π(y_w)/π_ref(y_w)
        let rejectedRatio = policyRejected - Variable(referenceRejected)     // log π(y_l)/π_ref(y_l)
        let margin = (chosenRatio - rejectedRatio) * beta                    // z
        loss = margin.binaryCrossEntropyWithLogits(Tensor.ones([n]))         // mean −log σ(z)
        chosenRewards = chosenRatio.value * beta
        rejectedRewards = rejectedRatio.value * beta
        // END EXERCISE
    }

    /// The share of pairs whose chosen continuation has the higher implicit reward.
    public var accuracy: Double { PreferenceScores.accuracy(chosen: chosenRewards, rejected: rejectedRewards) }
    /// The mean of r̂(y_w) − r̂(y_l).
    public var margin: Double { PreferenceScores.margin(chosen: chosenRewards, rejected: rejectedRewards) }
}

/// Accuracy and margin of scores given to chosen and rejected items (a reward model's, or DPO's implicit rewards).
public enum PreferenceScores {
    /// The share of pairs with chosen > rejected, a tie counting one half (so a
    /// scorer that gives every item the same score is at chance, 0.5).
    public static func accuracy(chosen: Tensor, rejected: Tensor) -> Double {
        let c = chosen.scalars, r = rejected.scalars
        precondition(c.count == r.count && !c.isEmpty, "PreferenceScores: \(c.count) chosen and \(r.count) rejected scores")
        let points = zip(c, r).reduce(0.0) { $0 + ($1.0 > $1.1 ? 1 : $1.0 == $1.1 ? 0.5 : 0) }
        return points / Double(c.count)
    }

    /// The mean of chosen − rejected.
    public static func margin(chosen: Tensor, rejected: Tensor) -> Double {
        let c = chosen.scalars, r = rejected.scalars
        precondition(c.count == r.count && !c.isEmpty, "PreferenceScores: \(c.count) chosen and \(r.count) rejected scores")
        return zip(c, r).reduce(0.0) { $0 + Double($1.0 - $1.1) } / Double(c.count)
    }
}
