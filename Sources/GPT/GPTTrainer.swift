// GPTTrainer: nanoGPT's training step (train.py), one batch at a time.
//
//   lr(it)  = linear warm-up over W steps, then cosine decay to lr_min at step D
//             (NN's LinearWarmup then CosineAnnealing, nanoGPT's get_lr)
//   loss    = mean cross-entropy of the next token, forward and backward
//   clip    ‖g‖ ≤ 1.0 over all parameters together (clipGradNorm)
//   AdamW   weight decay λ on the 2-D tensors (weights, embeddings) only;
//           LayerNorm gains are not decayed (nanoGPT's two parameter groups)
// Only the trainable parameters take part: after `model.freeze()` and LoRA
// (FineTuning), the optimizer holds the adapters alone, and no moments are kept
// for the frozen base.
// A loss or a gradient that is NaN or infinite stops training with an error
// naming the step and the first non-finite tensor (NumericGuard replays the
// step under anomaly detection), before the broken gradient reaches the weights.

import Autograd
import LabKit
import NN
import Tensor

/// nanoGPT's optimisation settings (the defaults are W12's).
///
/// The rate rises linearly over ``warmupSteps`` to ``learningRate``, then follows a cosine down to
/// ``minimumLearningRate`` at step ``decaySteps`` and stays there. A checkpoint stores these settings,
/// and resuming with other ones is refused, since the next steps would differ from the straight run's.
public struct GPTTrainingSettings: Sendable, Equatable, Codable {
    /// The peak learning rate of AdamW, reached at the end of the warm-up. Default 1e-3, nanoGPT's
    /// rate for its small character model: a model this small tolerates a larger rate than GPT-2's 6e-4.
    public var learningRate: Float = 1e-3
    /// The rate the cosine ends at, from step ``decaySteps`` on. Default 1e-4, a tenth of the peak,
    /// as nanoGPT sets `min_lr` (the Chinchilla paper's choice).
    public var minimumLearningRate: Float = 1e-4
    /// W, the steps over which the rate rises linearly from near zero to ``learningRate``. Default 100,
    /// nanoGPT's CPU setting: AdamW's moment estimates are noisy over the first steps, and small steps
    /// there keep the fresh random weights from being thrown far.
    public var warmupSteps = 100
    /// D: the step at which the cosine reaches the minimum (nanoGPT's lr_decay_iters = max_iters).
    /// Default 2 000, W12's run length, so the rate reaches its minimum at the last step.
    public var decaySteps = 2_000
    /// β₁, the decay of AdamW's running mean of gradients. Default 0.9, Adam's own default.
    public var beta1: Float = 0.9
    /// β₂, the decay of AdamW's running mean of squared gradients. Default 0.99 rather than Adam's
    /// 0.999, as nanoGPT sets it for small models whose batches carry few tokens per step.
    public var beta2: Float = 0.99
    /// λ, AdamW's decoupled weight decay, applied to the 2-D tensors (weights and embeddings) only:
    /// LayerNorm gains are not decayed. Default 0.1, nanoGPT's and GPT-3's value.
    public var weightDecay: Float = 0.1
    /// The largest global gradient norm; nil for no clipping.
    /// Default 1.0, as nanoGPT and GPT-3: a rare huge gradient is scaled down instead of wrecking the weights.
    public var gradientClip: Float? = 1.0

    /// W12's settings; change a field to change one setting.
    public init() {}
}

/// Training stopped because the loss or a gradient stopped being a number.
public enum GPTTrainingError: Error, Equatable, CustomStringConvertible {
    /// The step's check failed (NumericGuard); the weights were not updated.
    case nonFinite(NonFiniteStep)

    /// The step and the first tensor that was not finite, as a sentence.
    public var description: String {
        switch self {
        case .nonFinite(let failure):
            "GPT training stopped before updating the weights at \(failure)"
        }
    }
}

/// Runs training steps of a GPTModel with nanoGPT's schedule, clipping and AdamW groups.
public final class GPTTrainer {
    /// The model being trained.
    public let model: GPTModel
    /// The optimisation settings, fixed for the trainer's life (a checkpoint stores them).
    public let settings: GPTTrainingSettings
    /// The steps taken so far (the schedule's position).
    public internal(set) var step = 0
    /// The parameters this trainer updates (the model's unfrozen ones when it was created).
    public let trainableParameters: [Variable]
    /// The same, with their dotted names, for NumericGuard's messages.
    let namedTrainableParameters: [(String, Variable)]
    let decayed: AdamW
    let notDecayed: AdamW
    let schedule: any LearningRateSchedule

    /// A trainer of `model`'s trainable parameters: two AdamW groups (2-D tensors decayed, the rest not)
    /// and the warm-up-then-cosine schedule of `settings`. Stops with a message if every parameter is frozen.
    public init(model: GPTModel, settings: GPTTrainingSettings = GPTTrainingSettings()) {
        self.model = model
        self.settings = settings
        let parameters = model.trainableParameters
        precondition(!parameters.isEmpty, "GPTTrainer: every parameter of the model is frozen")
        trainableParameters = parameters
        namedTrainableParameters = model.namedParameters.filter { $0.1.requiresGrad }
        decayed = AdamW(parameters.filter { $0.rank >= 2 }, learningRate: settings.learningRate, beta1: settings.beta1,
                        beta2: settings.beta2, weightDecay: settings.weightDecay)
        notDecayed = AdamW(parameters.filter { $0.rank < 2 }, learningRate: settings.learningRate, beta1: settings.beta1,
                           beta2: settings.beta2, weightDecay: 0)
        schedule = LinearWarmup(warmupSteps: settings.warmupSteps,
                                then: CosineAnnealing(baseLearningRate: settings.learningRate,
                                                      totalSteps: max(1, settings.decaySteps - settings.warmupSteps),
                                                      minimumLearningRate: settings.minimumLearningRate))
    }

    /// The learning rate the next step will use.
    public var learningRate: Float { schedule.learningRate(atStep: step) }

    /// One step on `batch` windows of inputs and next-token targets; returns the batch's loss.
    @discardableResult
    public func train(inputs: [Int], targets: [Int], batch: Int, steps: Int) throws -> Float {
        let rate = learningRate
        decayed.learningRate = rate
        notDecayed.learningRate = rate
        let loss = model.loss(inputs, targets: targets, batch: batch, steps: steps)
        let value = loss.value.item
        let replay = { self.model.loss(inputs, targets: targets, batch: batch, steps: steps) }
        do {
            try NumericGuard.checkLoss(loss, step: step + 1, parameters: namedTrainableParameters, replay: replay)
            decayed.zeroGrad()
            notDecayed.zeroGrad()
            loss.backward()
            try NumericGuard.checkGradients(of: namedTrainableParameters, step: step + 1, replay: replay)
        } catch let failure as NonFiniteStep {
            throw GPTTrainingError.nonFinite(failure)
        }
        if let clip = settings.gradientClip { _ = clipGradNorm(trainableParameters, maxNorm: clip) }
        decayed.step()
        notDecayed.step()
        step += 1
        return value
    }
}

extension GPTTrainer {
    /// One step on `batch` random windows of the model's block size drawn from `tokens` with
    /// `progress.dataGenerator`; records the step and its loss in `progress` and returns the loss.
    @discardableResult
    public func train(on tokens: [Int], batch: Int, progress: inout GPTProgress) throws -> Float {
        precondition(progress.step == step, "GPTTrainer: progress is at step \(progress.step), the trainer at \(step)")
        let steps = model.configuration.blockSize
        let (inputs, targets) = TextWindows.sample(from: tokens, batch: batch, steps: steps, generator: &progress.dataGenerator)
        let loss = try train(inputs: inputs, targets: targets, batch: batch, steps: steps)
        progress.step = step
        progress.stepLosses.append(loss)
        return loss
    }
}

extension GPTModel {
    /// Mean cross-entropy per token over the non-overlapping `steps`-token windows of `tokens`.
    public func meanLoss(on tokens: [Int], steps: Int) -> Double {
        noGrad {
            TextWindows.meanLoss(on: tokens, steps: steps, windowsPerPass: 64) { x, y, n in
                Double(loss(x, targets: y, batch: n, steps: steps).value.item)
            }
        }
    }
}
