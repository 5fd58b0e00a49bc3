// GPTCheckpoint: a GPT training run saved to one safetensors file, so that a
// resumed run takes exactly the steps the straight run would have taken.
//
// The next step depends on: the weights; both AdamW groups' m, v and step
// count; the step number (the learning-rate schedule's position); and the
// generator that draws the training windows. All are stored:
//   tensors   "model.<nanoGPT name>", "optimizer.decay.<i>.exp_avg" …,
//             "optimizer.no_decay.<i>.exp_avg" …
//   metadata  "format", "configuration" and "settings" (JSON, checked on load),
//             "progress" (JSON: step, the data generator, the evaluations so far)
// The file is written to a temporary file and renamed over the old one
// (LabKit's DataFile), so a crash mid-write leaves the previous checkpoint.
// Loading checks everything before it changes anything: a missing, truncated
// or garbled file, another model's checkpoint or one with other settings
// throws a `GPTCheckpointError` naming the file and what is wrong.
// `header(at:)` hands out the saved configuration to build a model from, so
// it first checks it against the tensors the file really holds (every size
// positive, C divisible by the heads, wte [V, C], wpe [block, C], blocks
// h.0 … h.(layers−1)): a configuration edited to claim a huge model is
// refused instead of allocated.

import Foundation
import LabKit
import NN
import Tensor

/// One evaluation during training: the mean losses on the two splits at a step.
public struct GPTEvaluation: Sendable, Equatable, Codable {
    /// The optimizer steps taken when the losses were measured.
    public var step: Int
    /// The mean next-token cross-entropy on training text (nats per token).
    public var trainLoss: Double
    /// The mean next-token cross-entropy on the held-out validation text (nats per token).
    public var validationLoss: Double

    /// An evaluation made at `step`.
    public init(step: Int, trainLoss: Double, validationLoss: Double) {
        self.step = step
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
    }
}

/// What a run needs besides the weights and the optimizer state to continue.
public struct GPTProgress: Sendable, Equatable, Codable {
    /// The optimizer steps taken.
    public var step: Int
    /// The generator the training windows are drawn from, in the state for the next step.
    public var dataGenerator: RandomGenerator
    /// The loss of every step taken, in order.
    public var stepLosses: [Float]
    /// The evaluations made so far.
    public var evaluations: [GPTEvaluation]

    /// The progress of a run at `step` (0: a fresh run) whose training windows are drawn from `dataGenerator`.
    public init(step: Int = 0, dataGenerator: RandomGenerator, stepLosses: [Float] = [], evaluations: [GPTEvaluation] = []) {
        self.step = step
        self.dataGenerator = dataGenerator
        self.stepLosses = stepLosses
        self.evaluations = evaluations
    }
}

/// Why a GPT checkpoint cannot be used.
public enum GPTCheckpointError: Error, Equatable, CustomStringConvertible {
    /// The file is missing or is not a readable safetensors file.
    case unreadable(DataError)
    /// The file is safetensors but not an MLLab GPT checkpoint: another format tag, metadata that is
    /// missing or does not decode, an invalid configuration, or an impossible step count.
    case notACheckpoint(path: String, reason: String)
    /// The checkpoint is of another model shape than the one it is loaded into.
    case configurationMismatch(path: String, saved: GPTConfiguration, model: GPTConfiguration)
    /// The checkpoint was trained with other optimisation settings than the trainer's.
    case settingsMismatch(path: String)
    /// A tensor is missing, unexpected or of the wrong shape.
    case stateMismatch(path: String, reason: String)

    /// What is wrong, naming the file.
    public var description: String {
        switch self {
        case .unreadable(let error): "cannot read GPT checkpoint: \(error)"
        case .notACheckpoint(let path, let reason): "\(path): not an MLLab GPT checkpoint (\(reason))"
        case .configurationMismatch(let path, let saved, let model):
            "\(path): the checkpoint holds a \(saved.describe) model, this one is \(model.describe)"
        case .settingsMismatch(let path): "\(path): the checkpoint was trained with other optimisation settings"
        case .stateMismatch(let path, let reason): "\(path): the saved state does not fit: \(reason)"
        }
    }
}

extension GPTConfiguration {
    /// "4 layers, 4 heads, C 128, block 64, V 65".
    var describe: String {
        "\(layerCount) layers, \(headCount) heads, C \(embeddingSize), block \(blockSize), V \(vocabularySize)"
    }
}

/// Reading and writing GPT training checkpoints.
public enum GPTCheckpoint {
    /// The value of the "format" metadata key that marks a file as a GPT checkpoint (version 1).
    public static let format = "mllab-gpt-checkpoint-1"
    static let modelPrefix = "model.", decayPrefix = "optimizer.decay.", noDecayPrefix = "optimizer.no_decay."

    /// The model shape, settings and the caller's extra metadata stored at `path`: what building the
    /// model and trainer of a resume needs.
    public static func header(at path: String) throws
        -> (configuration: GPTConfiguration, settings: GPTTrainingSettings, extra: [String: String]) {
        try header(of: readBytes(path), path: path)
    }

    /// The header of the checkpoint bytes `data`, as `header(at:)`; `path` names them in errors.
    public static func header(of data: Data, path: String) throws
        -> (configuration: GPTConfiguration, settings: GPTTrainingSettings, extra: [String: String]) {
        let file = try read(data, path: path)
        let extra = file.metadata.filter { !reservedKeys.contains($0.key) }
        let configuration = try decode(GPTConfiguration.self, "configuration", file, path)
        try check(configuration, against: file, path: path)
        return (configuration, try decode(GPTTrainingSettings.self, "settings", file, path), extra)
    }

    /// Throws unless `configuration` describes a valid model whose embeddings and blocks are the file's tensors.
    static func check(_ configuration: GPTConfiguration, against file: SafetensorsFile, path: String) throws {
        let c = configuration
        guard c.vocabularySize > 0, c.blockSize > 0, c.layerCount > 0, c.headCount > 0, c.embeddingSize % c.headCount == 0 else {
            throw GPTCheckpointError.notACheckpoint(path: path, reason: "the configuration (\(c.describe)) is not a valid model")
        }
        for (name, shape) in [("wte", [c.vocabularySize, c.embeddingSize]), ("wpe", [c.blockSize, c.embeddingSize])] {
            let key = modelPrefix + "transformer.\(name).weight"
            guard let found = file.tensors[key]?.shape, found == shape else {
                throw GPTCheckpointError.stateMismatch(
                    path: path, reason: "the configuration (\(c.describe)) needs '\(key)' of shape \(shape), the file holds \(file.tensors[key].map { "\($0.shape)" } ?? "none")")
            }
        }
        let blockPrefix = modelPrefix + "transformer.h."
        let blocks = Set(file.tensors.keys.compactMap { name in
            name.hasPrefix(blockPrefix) ? Int(name.dropFirst(blockPrefix.count).prefix { $0 != "." }) : nil
        })
        guard blocks.count == c.layerCount, blocks.allSatisfy({ (0..<c.layerCount).contains($0) }) else {
            throw GPTCheckpointError.stateMismatch(
                path: path, reason: "the configuration has \(c.layerCount) layers, the file holds the blocks \(blocks.sorted())")
        }
    }

    /// The metadata keys the checkpoint itself uses.
    static let reservedKeys: Set<String> = ["format", "configuration", "settings", "progress"]

    static func readBytes(_ path: String) throws -> Data {
        do { return try DataFile.read(path) } catch let error as DataError { throw GPTCheckpointError.unreadable(error) }
    }

    static func read(_ data: Data, path: String) throws -> SafetensorsFile {
        let file: SafetensorsFile
        do { file = try Safetensors.decode(data, path: path) } catch let error as DataError { throw GPTCheckpointError.unreadable(error) }
        guard file.metadata["format"] == format else {
            throw GPTCheckpointError.notACheckpoint(path: path, reason: "format '\(file.metadata["format"] ?? "none")', expected '\(format)'")
        }
        return file
    }

    static func decode<T: Decodable>(_ type: T.Type, _ key: String, _ file: SafetensorsFile, _ path: String) throws -> T {
        guard let json = file.metadata[key], let value = try? JSONDecoder().decode(T.self, from: Data(json.utf8)) else {
            throw GPTCheckpointError.notACheckpoint(path: path, reason: "the '\(key)' metadata is missing or does not decode")
        }
        return value
    }

    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

extension GPTTrainer {
    /// Writes the model, both optimizer groups, the settings and `progress` to `path`, atomically;
    /// `extra` adds the caller's own metadata (e.g. the tokenizer), returned by `GPTCheckpoint.header(at:)`.
    public func save(to path: String, progress: GPTProgress, extra: [String: String] = [:]) throws {
        precondition(GPTCheckpoint.reservedKeys.isDisjoint(with: extra.keys), "GPTTrainer.save: extra metadata uses a reserved key")
        precondition(progress.step == step, "GPTTrainer.save: progress is at step \(progress.step), the trainer at \(step)")
        var tensors: [String: Tensor] = [:]
        for (name, tensor) in model.stateDict() { tensors[GPTCheckpoint.modelPrefix + name] = tensor }
        for (name, tensor) in decayed.stateTensors() { tensors[GPTCheckpoint.decayPrefix + name] = tensor }
        for (name, tensor) in notDecayed.stateTensors() { tensors[GPTCheckpoint.noDecayPrefix + name] = tensor }
        let metadata = extra.merging(["format": GPTCheckpoint.format,
                        "configuration": try GPTCheckpoint.encode(model.configuration),
                        "settings": try GPTCheckpoint.encode(settings),
                        "progress": try GPTCheckpoint.encode(progress)]) { $1 }
        try Safetensors.write(tensors, metadata: metadata, to: path)
    }

    /// Restores the model, the optimizer groups and the step from `path` and returns the saved progress.
    /// Throws `GPTCheckpointError`, changing nothing, when the file does not fit this model and trainer.
    public func load(from path: String) throws -> GPTProgress {
        try load(GPTCheckpoint.readBytes(path), path: path)
    }

    /// Restores from the checkpoint bytes `data`, as `load(from:)`; `path` names them in errors.
    public func load(_ data: Data, path: String) throws -> GPTProgress {
        let file = try GPTCheckpoint.read(data, path: path)
        let saved = try GPTCheckpoint.decode(GPTConfiguration.self, "configuration", file, path)
        guard saved == model.configuration else {
            throw GPTCheckpointError.configurationMismatch(path: path, saved: saved, model: model.configuration)
        }
        guard try GPTCheckpoint.decode(GPTTrainingSettings.self, "settings", file, path) == settings else {
            throw GPTCheckpointError.settingsMismatch(path: path)
        }
        let progress = try GPTCheckpoint.decode(GPTProgress.self, "progress", file, path)
        // 0…2^53, as for CheckpointFile: counting on from a step can never overflow.
        guard (0...(1 << 53)).contains(progress.step) else {
            throw GPTCheckpointError.notACheckpoint(path: path, reason: "step \(progress.step) is negative or above 2^53")
        }
        var groups: [String: [String: Tensor]] = [GPTCheckpoint.modelPrefix: [:], GPTCheckpoint.decayPrefix: [:], GPTCheckpoint.noDecayPrefix: [:]]
        for (name, tensor) in file.tensors {
            guard let prefix = groups.keys.first(where: { name.hasPrefix($0) }) else {
                throw GPTCheckpointError.stateMismatch(path: path, reason: "unexpected tensor '\(name)'")
            }
            groups[prefix]![String(name.dropFirst(prefix.count))] = tensor
        }
        // Each load checks before it assigns; if a later one refuses, put the earlier ones back.
        let before = (model.stateDict(), decayed.stateTensors(), notDecayed.stateTensors())
        do {
            try model.loadStateDict(groups[GPTCheckpoint.modelPrefix]!, source: path)
            try decayed.loadState(groups[GPTCheckpoint.decayPrefix]!, source: path + " (decayed group)")
            try notDecayed.loadState(groups[GPTCheckpoint.noDecayPrefix]!, source: path + " (not-decayed group)")
        } catch {
            try? model.loadStateDict(before.0, source: "the model before loading \(path)")
            try? decayed.loadState(before.1, source: "the optimizer before loading \(path)")
            try? notDecayed.loadState(before.2, source: "the optimizer before loading \(path)")
            throw GPTCheckpointError.stateMismatch(path: path, reason: String(describing: error))
        }
        step = progress.step
        return progress
    }
}
