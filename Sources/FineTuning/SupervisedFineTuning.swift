// Supervised fine-tuning (SFT): more next-token training of a pretrained GPT,
// on a second corpus, either of every weight (full fine-tuning) or of LoRA
// adapters alone with the base frozen. Both run GPTTrainer's step (AdamW,
// weight decay on 2-D tensors, clip 1.0), W13's recipe: lr 1e-3, betas
// (0.9, 0.99), decay 0.1, batch 12 windows of 64, at a constant rate η.
// Longer runs can anneal the rate instead, as Hugging Face's Trainer does by
// default: a linear warm-up over W steps, then a cosine down to zero at the
// run's last step T,
//     η_t = η · ½ (1 + cos(π (t − W) / (T − W)))   for W ≤ t ≤ T,
// so the last steps average out the noise of the batches that a constant
// rate keeps adding.
// What LoRA saves is visible in the step: the backward computes no weight
// gradient for a frozen layer (MatmulOp.swift), and AdamW keeps moments for
// 16 384 numbers instead of 804 096.

import GPT
import NN

/// Full fine-tuning or LoRA.
public enum FineTuningMode: String, Sendable, Codable, CaseIterable {
    /// `full` trains every weight of the copy; `lora` freezes it and trains adapters only.
    case full, lora
}

/// How the learning rate moves over a fine-tuning run.
public enum FineTuningSchedule: String, Sendable, Codable, CaseIterable {
    /// η at every step (W13's recipe).
    case constant
    /// A linear warm-up, then a cosine from η down to zero at the last step.
    case cosine
}

extension GPTTrainingSettings {
    /// W13's constant-rate AdamW: no warm-up, no decay of the rate.
    public static func fineTuning(learningRate: Float = 1e-3) -> GPTTrainingSettings {
        fineTuning(learningRate: learningRate, schedule: .constant, steps: 1, warmupSteps: 0)
    }

    /// AdamW at rate η for a run of `steps` steps: constant, or warmed up over
    /// `warmupSteps` and annealed to zero at `steps` (cosine).
    public static func fineTuning(learningRate: Float, schedule: FineTuningSchedule, steps: Int,
                                  warmupSteps: Int) -> GPTTrainingSettings {
        precondition(steps >= 1 && warmupSteps >= 0, "fineTuning: steps must be ≥ 1 and warmupSteps ≥ 0")
        var settings = GPTTrainingSettings()
        settings.learningRate = learningRate
        settings.warmupSteps = warmupSteps
        switch schedule {
        case .constant:
            settings.minimumLearningRate = learningRate
        case .cosine:
            settings.minimumLearningRate = 0
            settings.decaySteps = max(steps, warmupSteps + 1)
        }
        return settings
    }
}

/// A model prepared for fine-tuning: a copy of the base, adapted when the mode is LoRA.
public struct FineTuningRun {
    /// Full fine-tuning or LoRA.
    public let mode: FineTuningMode
    /// The copy of the base model being fine-tuned (the base itself is never changed).
    public let model: GPTModel
    /// The adapters (LoRA mode), nil for full fine-tuning.
    public let lora: LoRA?
    /// The trainer of `model`'s trainable parameters: every weight, or the adapters alone.
    public let trainer: GPTTrainer

    /// Copies `base` and, for LoRA, freezes the copy and attaches adapters to `targets` (default q and v).
    public init(base: GPTModel, mode: FineTuningMode, targets: [String] = ["query", "value"],
                configuration: LoRAConfiguration = LoRAConfiguration(),
                settings: GPTTrainingSettings = .fineTuning(), seed: UInt64 = 0) throws {
        let model = base.copy()
        let c = model.configuration.embeddingSize
        lora = mode == .lora
            ? try LoRA(attachingTo: model, targets: LoRATarget.gpt(targets, embeddingSize: c),
                       configuration: configuration, seed: seed)
            : nil
        self.mode = mode
        self.model = model
        trainer = GPTTrainer(model: model, settings: settings)
    }

    /// Trainable numbers / all numbers (adapters included).
    public var trainableFraction: Double {
        Double(trainer.trainableParameters.reduce(0) { $0 + $1.value.count }) / Double(model.parameterCount)
    }
}
