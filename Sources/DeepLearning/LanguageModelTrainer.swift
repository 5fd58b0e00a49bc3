// LanguageModelTrainer: training a character-level language model on random
// windows of a text, one Adam step at a time, with checkpoints to resume from.
//
// Step t draws `batch` windows of `window` characters with the data generator
// (TextWindows.sample) and takes one Adam step on their mean cross-entropy
//     L = −(1/(B·T)) Σ log p(x_{t+1} | x₁ … x_t)      nats per character.
// A loss or a gradient that is NaN or ±∞ stops with `NonFiniteStep` before the
// weights change (NumericGuard replays the step to name the first bad op).
// The next step depends on the weights, Adam's m, v and step count, and the
// state of the data generator. A checkpoint (CheckpointFile) stores the first
// two as tensors and `LanguageModelProgress` (the step, the generator, the
// losses so far) as JSON, so a run saved at step K and resumed into a fresh
// model takes exactly the steps K+1 … N of the straight run, bit for bit.

import Autograd
import LabKit
import NN
import Tensor

/// The validation loss measured at a step.
public struct LanguageModelEvaluation: Sendable, Equatable, Codable {
    public var step: Int
    /// Mean cross-entropy on the validation text, nats per character.
    public var validationLoss: Double

    public init(step: Int, validationLoss: Double) {
        self.step = step
        self.validationLoss = validationLoss
    }
}

/// Where a language-model run stands: what it needs besides the weights and Adam's state to continue.
public struct LanguageModelProgress: CheckpointProgress, Equatable {
    /// The optimizer steps taken.
    public var step: Int
    /// The generator the training windows are drawn from, in its state for the next step.
    public var dataGenerator: RandomGenerator
    /// Adam's learning rate.
    public var learningRate: Float
    /// The loss of every step taken, in order.
    public var stepLosses: [Float]
    /// The evaluations made so far.
    public var evaluations: [LanguageModelEvaluation]

    /// The progress of a run that has not started, drawing its windows from `seed`.
    public init(seed: UInt64, learningRate: Float) {
        step = 0
        dataGenerator = RandomGenerator(seed: seed)
        self.learningRate = learningRate
        stepLosses = []
        evaluations = []
    }

    public var problem: String? {
        if step < 0 { return "negative step \(step)" }
        if step > CheckpointFile.maximumCount { return "step \(step) is above 2^53" }
        if stepLosses.count != step { return "\(stepLosses.count) step losses for \(step) steps" }
        return nil
    }
}

/// Runs Adam steps of a character language model on random windows of a text, and saves and resumes them.
public final class LanguageModelTrainer {
    public let model: CharLanguageModel
    public let optimizer: Adam
    /// Windows per step.
    public let batch: Int
    /// Characters per window.
    public let window: Int
    /// The parameters with their dotted names, for NumericGuard's messages.
    let namedParameters: [(String, Variable)]

    public init(model: CharLanguageModel, learningRate: Float, batch: Int = 32, window: Int = 64) {
        precondition(batch > 0 && window > 0, "LanguageModelTrainer: batch and window must be positive, got \(batch), \(window)")
        self.model = model
        optimizer = Adam(model.parameters, learningRate: learningRate)
        self.batch = batch
        self.window = window
        namedParameters = model.namedParameters
    }

    /// The progress of a fresh run whose windows are drawn from `seed`.
    public func startingProgress(seed: UInt64) -> LanguageModelProgress {
        LanguageModelProgress(seed: seed, learningRate: optimizer.learningRate)
    }

    /// One step on `batch` random windows of `tokens` drawn with `progress.dataGenerator`;
    /// records the step and its loss in `progress` and returns the loss.
    @discardableResult
    public func train(on tokens: [Int], progress: inout LanguageModelProgress) throws -> Float {
        let (inputs, targets) = TextWindows.sample(from: tokens, batch: batch, steps: window, generator: &progress.dataGenerator)
        let (batch, window) = (batch, window)
        let replay = { [model] in model.loss(inputs: inputs, targets: targets, batch: batch, steps: window) }
        let loss = replay()
        try NumericGuard.checkLoss(loss, step: progress.step + 1, parameters: namedParameters, replay: replay)
        optimizer.zeroGrad()
        loss.backward()
        try NumericGuard.checkGradients(of: namedParameters, step: progress.step + 1, replay: replay)
        optimizer.step()
        let value = loss.value.item
        progress.step += 1
        progress.stepLosses.append(value)
        return value
    }

    /// Writes the model, Adam's state and `progress` to `path`, atomically (CheckpointFile).
    public func save(to path: String, progress: LanguageModelProgress) throws {
        try CheckpointFile.save(to: path, model: model, optimizer: optimizer, progress: progress)
    }

    /// Restores the model and Adam's state from `path` and returns the saved progress.
    /// Throws `CheckpointError`, changing nothing, when the file cannot be read or does not fit.
    public func load(from path: String) throws -> LanguageModelProgress {
        try CheckpointFile.load(from: path, into: model, optimizer: optimizer, progress: LanguageModelProgress.self)
    }
}
