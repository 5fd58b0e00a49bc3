// DPOTrainer: the DPO training step (DirectPreferenceLoss.swift) on a GPT.
//
// The policy starts as a copy of the base model; the reference is the base,
// frozen: its log-probabilities are computed without a graph, once per batch.
//   1. score prompt ++ y_w and prompt ++ y_l under both models (one batch of 2N)
//   2. L = mean −log σ(β·(Δ_w − Δ_l)),  Δ = log π − log π_ref
//   3. backward, clip ‖g‖ ≤ 1, AdamW (no weight decay; lr 1e-4 as W14)
// A NaN or infinite loss stops training with the step, before any weight moves.

import Autograd
import Foundation
import GPT
import NN
import Tensor

/// DPO's hyper-parameters (the defaults are W14's).
///
/// `lab-finetune dpo` changes two of them, β = 1 and a rate of 3e-5: its pairs differ in their whole
/// text, and with β = 0.1 the policy drifted far from the reference.
public struct DPOSettings: Sendable, Equatable, Codable {
    /// β: how strongly the policy is held to the reference.
    /// The loss is flat once β times the log-ratio margin is a few units, so a large β is satisfied by a small
    /// move of the policy. Default 0.1, W14's, and the default of Hugging Face TRL's DPO trainer.
    public var beta: Float = 0.1
    /// AdamW's learning rate, constant over the run. Default 1e-4, W14's: a tenth of W12's pre-training
    /// peak, since DPO adjusts a trained model rather than training one.
    public var learningRate: Float = 1e-4
    /// β₁, the decay of AdamW's running mean of gradients. Default 0.9, as in pre-training (GPTTrainingSettings).
    public var beta1: Float = 0.9
    /// β₂, the decay of AdamW's running mean of squared gradients. Default 0.99, as in pre-training.
    public var beta2: Float = 0.99
    /// AdamW's decoupled weight decay. Default 0, W14's: the loss's reference term is what keeps the
    /// policy near the base model, and decay would pull the weights toward zero instead.
    public var weightDecay: Float = 0
    /// The largest global gradient norm; nil for no clipping.
    /// Default 1.0, as in pre-training: a batch with an outsized gradient cannot throw the weights far.
    public var gradientClip: Float? = 1.0

    /// W14's settings with β and the learning rate given; the other fields keep their defaults.
    public init(beta: Float = 0.1, learningRate: Float = 1e-4) {
        self.beta = beta
        self.learningRate = learningRate
    }
}

/// Training stopped because a loss stopped being a number.
public enum FineTuningError: Error, Equatable, CustomStringConvertible {
    /// The loss of `what` ("DPO", "reward model") was NaN or infinite at `step`; no weight was updated.
    case nonFiniteLoss(what: String, step: Int, loss: Float)

    /// What stopped, at which step, with a hint.
    public var description: String {
        switch self {
        case .nonFiniteLoss(let what, let step, let loss):
            "\(what): the loss is \(loss) at step \(step); stopped before updating the weights (try a lower learning rate)"
        }
    }
}

/// What one step (or an evaluation) saw.
public struct PreferenceStepResult: Sendable, Equatable {
    /// The mean loss over the pairs: −log σ of the reward margin (DPO's or the reward model's).
    public var loss: Float
    /// Share of pairs ranked correctly (by the implicit or the learned reward).
    public var accuracy: Double
    /// Mean reward of chosen minus rejected.
    public var margin: Double
}

/// Trains a policy GPT with DPO against a frozen reference.
public final class DPOTrainer {
    /// π, the model being trained.
    public let policy: GPTModel
    /// π_ref, the frozen model the policy is compared with (in eval mode, no gradients).
    public let reference: GPTModel
    /// The hyper-parameters, fixed for the trainer's life.
    public let settings: DPOSettings
    /// The optimizer steps taken so far.
    public private(set) var step = 0
    let optimizer: AdamW

    /// A trainer whose policy is a copy of `base` and whose reference is `base` itself, frozen.
    public convenience init(base: GPTModel, settings: DPOSettings = DPOSettings()) {
        self.init(policy: base.copy(), reference: base, settings: settings)
    }

    /// A trainer of `policy` (its trainable parameters) against `reference` (frozen here).
    public init(policy: GPTModel, reference: GPTModel, settings: DPOSettings = DPOSettings()) {
        precondition(policy !== reference, "DPOTrainer: the policy and the reference must be separate models")
        reference.freeze()
        reference.eval()
        self.policy = policy
        self.reference = reference
        self.settings = settings
        optimizer = AdamW(policy.trainableParameters, learningRate: settings.learningRate, beta1: settings.beta1,
                          beta2: settings.beta2, weightDecay: settings.weightDecay)
    }

    /// One DPO step on `pairs`; returns the batch's loss, accuracy and margin (before the update).
    @discardableResult
    public func train(on pairs: [PreferencePair]) throws -> PreferenceStepResult {
        let batch = pairs.chosenThenRejected, n = pairs.count
        let referenceScores = noGrad { reference.continuationLogProbabilities(batch).value }
        let policyScores = policy.continuationLogProbabilities(batch)
        let dpo = DirectPreferenceLoss(policyChosen: policyScores.slice(axis: 0, 0..<n),
                                       policyRejected: policyScores.slice(axis: 0, n..<(2 * n)),
                                       referenceChosen: referenceScores.slice(axis: 0, 0..<n),
                                       referenceRejected: referenceScores.slice(axis: 0, n..<(2 * n)),
                                       beta: settings.beta)
        let value = dpo.loss.value.item
        guard value.isFinite else { throw FineTuningError.nonFiniteLoss(what: "DPO", step: step, loss: value) }
        optimizer.zeroGrad()
        dpo.loss.backward()
        if let clip = settings.gradientClip { _ = clipGradNorm(optimizer.parameters, maxNorm: clip) }
        optimizer.step()
        step += 1
        return PreferenceStepResult(loss: value, accuracy: dpo.accuracy, margin: dpo.margin)
    }

    /// The implicit rewards' loss, accuracy and margin on `pairs`, in batches of `batchSize`, without training.
    public func evaluate(_ pairs: [PreferencePair], batchSize: Int = 50) -> PreferenceStepResult {
        let policyScores = Self.logProbabilities(of: policy, pairs, batchSize: batchSize)
        let referenceScores = Self.logProbabilities(of: reference, pairs, batchSize: batchSize)
        let c = (policyScores.chosen - referenceScores.chosen) * settings.beta
        let r = (policyScores.rejected - referenceScores.rejected) * settings.beta
        let z = (c - r).scalars
        let loss = z.reduce(0.0) { $0 + Double(Self.softplus(-$1)) } / Double(z.count)
        return PreferenceStepResult(loss: Float(loss), accuracy: PreferenceScores.accuracy(chosen: c, rejected: r),
                                    margin: PreferenceScores.margin(chosen: c, rejected: r))
    }

    /// The share of `pairs` whose chosen continuation the reference itself finds more likely.
    public func referencePrefersChosen(_ pairs: [PreferencePair], batchSize: Int = 50) -> Double {
        let scores = Self.logProbabilities(of: reference, pairs, batchSize: batchSize)
        return PreferenceScores.accuracy(chosen: scores.chosen, rejected: scores.rejected)
    }

    /// log π(chosen) and log π(rejected) of every pair under `model`, without a graph.
    public static func logProbabilities(of model: GPTModel, _ pairs: [PreferencePair],
                                        batchSize: Int) -> (chosen: Tensor, rejected: Tensor) {
        pairs.scoresInBatches(of: batchSize) { model.continuationLogProbabilities($0).value }
    }

    /// log(1 + eˣ), −log σ(−x), without overflow.
    static func softplus(_ x: Float) -> Float { max(x, 0) + log1p(exp(-abs(x))) }
}
