// CheckpointFile: everything needed to resume training, in one safetensors file.
//
// A resumed run equals a straight one only if every number the next step
// depends on is restored:
//   • the model's parameters and buffers (BatchNorm's running statistics),
//     stored under "model.<PyTorch state_dict name>";
//   • the optimizer's state (Adam's m, v and t, SGD's velocity, RMSProp's
//     running averages), under "optimizer.state.<i>.<name>" as in PyTorch's
//     optimizer.state_dict();
//   • the training progress, as JSON in the file's metadata under "progress":
//     for the Trainer, `TrainingProgress` (epochs done, optimizer steps for the
//     schedule, learning rate, early-stopping state, seed, history); for the
//     language model, `LanguageModelProgress` (step, data generator, losses);
//   • the state of every random-number generator inside the model (Dropout's
//     masks), as JSON under "generators", keyed by the module's dotted path.
// The data order and the augmentation need no state: they are functions of
// (seed, epoch, sample). The file is written to a temporary file and renamed
// over the old one, so a crash mid-write leaves the previous checkpoint intact.
// Loading checks everything before changing anything: a missing, truncated or
// garbled file, a file that is not an MLLab checkpoint, or one that does not
// fit the model or the optimizer throws a `CheckpointError` naming the file and
// what is wrong, and leaves the model and optimizer as they were. The epoch
// and step counts must lie in 0…2^53 (exact in a Double, and far from Int.max,
// so that counting on from them can never overflow).

import Foundation
import Tensor

/// Why a checkpoint cannot be loaded.
public enum CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is missing, truncated or not a well-formed safetensors file.
    case unreadable(DataError)
    /// A safetensors file without MLLab's checkpoint metadata (e.g. a bare parameter file).
    case notACheckpoint(path: String, reason: String)
    /// The "progress" metadata is missing or does not decode.
    case badProgress(path: String, reason: String)
    /// The checkpoint was written by another kind of optimizer.
    case optimizerKind(path: String, expected: String, found: String)
    /// The model tensors do not fit the model (a missing or unexpected name, a wrong shape).
    case modelMismatch(path: String, StateDictError)
    /// The optimizer state does not fit the optimizer.
    case optimizerMismatch(path: String, reason: String)
    /// The saved random-generator states do not fit the model's randomized modules (e.g. Dropout).
    case generatorMismatch(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let error):
            return "cannot read checkpoint: \(error)"
        case .notACheckpoint(let path, let reason):
            return "\(path): not an MLLab checkpoint (\(reason))"
        case .badProgress(let path, let reason):
            return "\(path): the training progress in the metadata is unusable: \(reason)"
        case .optimizerKind(let path, let expected, let found):
            return "\(path): the checkpoint holds \(found) state, the optimizer is \(expected)"
        case .modelMismatch(let path, let error):
            return "\(path): the model does not fit the checkpoint: \(error)"
        case .optimizerMismatch(let path, let reason):
            return "\(path): the optimizer does not fit the checkpoint: \(reason)"
        case .generatorMismatch(let path, let reason):
            return "\(path): the random-generator states do not fit the model: \(reason)"
        }
    }
}

/// The training progress a checkpoint stores as JSON beside the tensors.
public protocol CheckpointProgress: Codable, Sendable {
    /// The optimizer's learning rate, restored on load.
    var learningRate: Float { get }
    /// Why the decoded progress cannot be resumed from (a negative count, or one above
    /// `CheckpointFile.maximumCount` that the next step would overflow), or nil when it can.
    var problem: String? { get }
}

extension TrainingProgress: CheckpointProgress {
    public var problem: String? {
        if epochsCompleted < 0 || optimizerSteps < 0 { return "negative epoch or step count" }
        if epochsCompleted > CheckpointFile.maximumCount || optimizerSteps > CheckpointFile.maximumCount {
            return "epoch count \(epochsCompleted) or step count \(optimizerSteps) is above 2^53"
        }
        return nil
    }
}

/// Saves and loads training checkpoints: model state, optimizer state and training progress.
public enum CheckpointFile {
    /// The value of the "format" metadata entry that marks an MLLab checkpoint.
    public static let format = "mllab-checkpoint-1"
    static let modelPrefix = "model."
    static let optimizerPrefix = "optimizer.state."
    /// The largest epoch or step count a checkpoint may hold.
    public static let maximumCount = 1 << 53

    /// Writes a checkpoint of `model`, `optimizer` and `progress` to `path`, atomically.
    public static func save(to path: String, model: some Module, optimizer: any StatefulOptimizer,
                            progress: some CheckpointProgress) throws {
        var tensors: [String: Tensor] = [:]
        for (name, tensor) in model.stateDict() { tensors[modelPrefix + name] = tensor }
        for (name, tensor) in optimizer.stateTensors() { tensors[optimizerPrefix + name] = tensor }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(progress), as: UTF8.self)
        var generators: [String: RandomGenerator] = [:]
        for (name, module) in model.namedGenerators { generators[name] = module.generator }
        let generatorJSON = String(decoding: try encoder.encode(generators), as: UTF8.self)
        let metadata = ["format": format, "optimizer": optimizerName(optimizer), "progress": json,
                        "generators": generatorJSON]
        try Safetensors.write(tensors, metadata: metadata, to: path)
    }

    /// Reads the Trainer's checkpoint at `path` into `model` and `optimizer` and returns the saved progress.
    /// Throws `CheckpointError` (changing nothing) when the file cannot be read or does not fit.
    public static func load(from path: String, into model: some Module,
                            optimizer: any StatefulOptimizer) throws -> TrainingProgress {
        try load(from: path, into: model, optimizer: optimizer, progress: TrainingProgress.self)
    }

    /// Reads the Trainer's checkpoint bytes `data`, as `load(from:into:optimizer:)`; `path` names them in errors.
    public static func load(_ data: Data, path: String, into model: some Module,
                            optimizer: any StatefulOptimizer) throws -> TrainingProgress {
        try load(data, path: path, into: model, optimizer: optimizer, progress: TrainingProgress.self)
    }

    /// Reads the checkpoint at `path` into `model` and `optimizer` and returns the saved progress,
    /// decoded as `Progress`. Throws `CheckpointError` (changing nothing) when the file cannot be
    /// read or does not fit.
    public static func load<Progress: CheckpointProgress>(from path: String, into model: some Module,
                                                          optimizer: any StatefulOptimizer,
                                                          progress: Progress.Type) throws -> Progress {
        let data: Data
        do { data = try DataFile.read(path) } catch let error as DataError { throw CheckpointError.unreadable(error) }
        return try load(data, path: path, into: model, optimizer: optimizer, progress: progress)
    }

    /// Reads the checkpoint bytes `data` into `model` and `optimizer`, as `load(from:into:optimizer:progress:)`;
    /// `path` names them in errors.
    public static func load<Progress: CheckpointProgress>(_ data: Data, path: String, into model: some Module,
                                                          optimizer: any StatefulOptimizer,
                                                          progress _: Progress.Type) throws -> Progress {
        let file: SafetensorsFile
        do {
            file = try Safetensors.decode(data, path: path)
        } catch let error as DataError {
            throw CheckpointError.unreadable(error)
        }
        guard let found = file.metadata["format"] else {
            throw CheckpointError.notACheckpoint(path: path, reason: "the metadata has no 'format' entry")
        }
        guard found == format else {
            throw CheckpointError.notACheckpoint(path: path, reason: "format '\(found)', expected '\(format)'")
        }
        let kind = optimizerName(optimizer)
        if let saved = file.metadata["optimizer"], saved != kind {
            throw CheckpointError.optimizerKind(path: path, expected: kind, found: saved)
        }
        guard let json = file.metadata["progress"] else {
            throw CheckpointError.badProgress(path: path, reason: "the metadata has no 'progress' entry")
        }
        let progress: Progress
        do {
            progress = try JSONDecoder().decode(Progress.self, from: Data(json.utf8))
        } catch {
            throw CheckpointError.badProgress(path: path, reason: "the JSON does not decode (\(error))")
        }
        if let problem = progress.problem {
            throw CheckpointError.badProgress(path: path, reason: problem)
        }

        let generators = try savedGenerators(in: file, path: path, fitting: model)

        var modelTensors: [String: Tensor] = [:], optimizerTensors: [String: Tensor] = [:]
        for (name, tensor) in file.tensors {
            if name.hasPrefix(modelPrefix) {
                modelTensors[String(name.dropFirst(modelPrefix.count))] = tensor
            } else if name.hasPrefix(optimizerPrefix) {
                optimizerTensors[String(name.dropFirst(optimizerPrefix.count))] = tensor
            } else {
                throw CheckpointError.notACheckpoint(path: path, reason: "tensor '\(name)' is neither 'model.…' nor 'optimizer.state.…'")
            }
        }
        // Load the model (which checks before it assigns), then the optimizer; if the optimizer
        // refuses its state, put the model back so that a failed load changes nothing.
        let previous = model.stateDict()
        do {
            try model.loadStateDict(modelTensors, source: path)
        } catch let error as StateDictError {
            throw CheckpointError.modelMismatch(path: path, error)
        }
        do {
            try optimizer.loadState(optimizerTensors, source: path)
        } catch {
            try? model.loadStateDict(previous, source: "the model before loading \(path)")
            throw CheckpointError.optimizerMismatch(path: path, reason: String(describing: error))
        }
        for (name, module) in model.namedGenerators { module.generator = generators[name]! }
        optimizer.learningRate = progress.learningRate
        return progress
    }

    /// The saved generator state of each of the model's randomized modules, checked to name exactly those modules.
    static func savedGenerators(in file: SafetensorsFile, path: String,
                                fitting model: some Module) throws -> [String: RandomGenerator] {
        guard let json = file.metadata["generators"] else {
            throw CheckpointError.generatorMismatch(path: path, reason: "the metadata has no 'generators' entry")
        }
        let saved: [String: RandomGenerator]
        do {
            saved = try JSONDecoder().decode([String: RandomGenerator].self, from: Data(json.utf8))
        } catch {
            throw CheckpointError.generatorMismatch(path: path, reason: "the JSON does not decode (\(error))")
        }
        let expected = Set(model.namedGenerators.map(\.0))
        if let missing = expected.subtracting(saved.keys).sorted().first {
            throw CheckpointError.generatorMismatch(path: path, reason: "no saved state for the generator of '\(missing)'")
        }
        if let unexpected = Set(saved.keys).subtracting(expected).sorted().first {
            throw CheckpointError.generatorMismatch(path: path, reason: "a saved generator for '\(unexpected)', which the model does not have")
        }
        return saved
    }

    /// The optimizer's type name ("Adam", "SGD"), stored so that state is never loaded into another rule.
    static func optimizerName(_ optimizer: any StatefulOptimizer) -> String {
        String(describing: type(of: optimizer))
    }
}
