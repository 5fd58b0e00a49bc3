// A reward model: the GPT's body with a scalar head (Ouyang et al. 2022,
// "Training language models to follow instructions with human feedback", §3.5;
// Stiennon et al. 2020).
//
//   h      = ln_f(x_L) of prompt ++ y             (B, T, C), the pretrained body
//   r(y)   = w · h_last + b                       one number per sequence, read at the
//                                                 last position, which attends to all others
// Trained on preference pairs with the Bradley-Terry model, P(y_w ≻ y_l) = σ(r_w − r_l):
//   L      = −(1/N) Σ_i log σ(r(y_w,i) − r(y_l,i))
//   ∂L/∂r_w = −σ(r_l − r_w)/N,  ∂L/∂r_l = +σ(r_l − r_w)/N
// Only differences of rewards are learned; the body and head start from the
// base model and from zero, so every pair starts at P = ½ (loss log 2).

import Autograd
import Foundation
import GPT
import NN
import Tensor

/// A GPT body and a linear head that scores a whole sequence.
public final class RewardModel: Module {
    /// The GPT whose final hidden states are scored: a copy of the base model, trained along with the head.
    public let body: GPTModel
    /// C → 1: the reward of the last position's hidden state.
    public let head: Linear
    /// Training or evaluation mode of this module alone; the model has no dropout, so it changes nothing here.
    public var isTraining = true

    /// A reward model whose body is a copy of `base` and whose head starts at zero.
    public init(base: GPTModel) {
        body = base.copy()
        head = Linear(base.configuration.embeddingSize, 1)
        head.weight.value = Tensor.zeros(head.weight.shape)
        head.bias!.value = Tensor.zeros([1])
    }

    /// None: the weights belong to the body and the head.
    public var localParameters: [(String, Variable)] { [] }
    /// "body" and "head", so the body's weights are named "body.transformer.…".
    public var children: [(String, any Module)] { [("body", body), ("head", head)] }

    /// r(sequence) for each sequence of `batch` (the prompt length plays no part: the whole text is scored).
    public func rewards(_ batch: ScoredSequences) -> Variable {
        let count = batch.sequences.count, steps = batch.length
        let hidden = body.hiddenStates(batch.sequences.flatMap { $0 }, batch: count, steps: steps)      // (B, T, C)
        let last = hidden.slice(axis: 1, (steps - 1)..<steps).reshaped([count, body.configuration.embeddingSize])
        return head(last).reshaped([count])                                                            // (B)
    }
}

/// Trains a RewardModel with the Bradley-Terry loss and AdamW.
public final class RewardTrainer {
    /// The reward model being trained.
    public let model: RewardModel
    /// The optimizer steps taken so far.
    public private(set) var step = 0
    let optimizer: AdamW
    let gradientClip: Float?

    /// A trainer of `model`'s trainable parameters with AdamW (β₁ 0.9, β₂ 0.99, as in pre-training).
    ///
    /// - Parameters:
    ///   - model: the reward model to train.
    ///   - learningRate: AdamW's constant rate. Default 1e-4, the rate `lab-finetune reward` uses:
    ///     the body is already trained, so it is adjusted gently while the zero-initialised head learns.
    ///   - weightDecay: AdamW's decoupled weight decay. Default 0, as for DPO.
    ///   - gradientClip: the largest global gradient norm, nil for none. Default 1.0, as in pre-training.
    public init(model: RewardModel, learningRate: Float = 1e-4, weightDecay: Float = 0, gradientClip: Float? = 1.0) {
        self.model = model
        self.gradientClip = gradientClip
        optimizer = AdamW(model.trainableParameters, learningRate: learningRate, beta1: 0.9, beta2: 0.99,
                          weightDecay: weightDecay)
    }

    /// −mean log σ(r_w − r_l) for rewards of the chosen and the rejected sequences.
    public static func bradleyTerryLoss(chosen: Variable, rejected: Variable) -> Variable {
        (chosen - rejected).binaryCrossEntropyWithLogits(Tensor.ones(chosen.shape))
    }

    /// One step on `pairs`; returns the batch's loss, accuracy and margin (before the update).
    @discardableResult
    public func train(on pairs: [PreferencePair]) throws -> PreferenceStepResult {
        let n = pairs.count
        let rewards = model.rewards(pairs.chosenThenRejected)
        let chosen = rewards.slice(axis: 0, 0..<n), rejected = rewards.slice(axis: 0, n..<(2 * n))
        let loss = Self.bradleyTerryLoss(chosen: chosen, rejected: rejected)
        let value = loss.value.item
        guard value.isFinite else { throw FineTuningError.nonFiniteLoss(what: "reward model", step: step, loss: value) }
        optimizer.zeroGrad()
        loss.backward()
        if let gradientClip { _ = clipGradNorm(optimizer.parameters, maxNorm: gradientClip) }
        optimizer.step()
        step += 1
        return PreferenceStepResult(loss: value, accuracy: PreferenceScores.accuracy(chosen: chosen.value, rejected: rejected.value),
                                    margin: PreferenceScores.margin(chosen: chosen.value, rejected: rejected.value))
    }

    /// Loss, accuracy and margin on `pairs` without training, in batches of `batchSize`.
    public func evaluate(_ pairs: [PreferencePair], batchSize: Int = 50) -> PreferenceStepResult {
        let (c, r) = pairs.scoresInBatches(of: batchSize) { model.rewards($0).value }
        let loss = zip(c.scalars, r.scalars).reduce(0.0) { $0 + Double(DPOTrainer.softplus($1.1 - $1.0)) } / Double(c.count)
        return PreferenceStepResult(loss: Float(loss), accuracy: PreferenceScores.accuracy(chosen: c, rejected: r),
                                    margin: PreferenceScores.margin(chosen: c, rejected: r))
    }
}
