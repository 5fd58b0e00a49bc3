// Supervised fine-tuning (SFT): more next-token training of a pretrained GPT,
// on a second corpus, either of every weight (full fine-tuning) or of LoRA
// adapters alone with the base frozen. Both run GPTTrainer's step (AdamW,
// weight decay on 2-D tensors, clip 1.0) at a constant learning rate, W13's
// recipe: lr 1e-3, betas (0.9, 0.99), decay 0.1, batch 12 windows of 64.
// What LoRA saves is visible in the step: the backward computes no weight
// gradient for a frozen layer (MatmulOp.swift), and AdamW keeps moments for
// 16 384 numbers instead of 804 096.

import GPT
import NN

/// Full fine-tuning or LoRA.
public enum FineTuningMode: String, Sendable, Codable, CaseIterable {
    case full, lora
}

extension GPTTrainingSettings {
    /// W13's constant-rate AdamW: no warm-up, no decay of the rate.
    public static func fineTuning(learningRate: Float = 1e-3) -> GPTTrainingSettings {
        var settings = GPTTrainingSettings()
        settings.learningRate = learningRate
        settings.minimumLearningRate = learningRate
        settings.warmupSteps = 0
        return settings
    }
}

/// A model prepared for fine-tuning: a copy of the base, adapted when the mode is LoRA.
public struct FineTuningRun {
    public let mode: FineTuningMode
    public let model: GPTModel
    /// The adapters (LoRA mode), nil for full fine-tuning.
    public let lora: LoRA?
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
