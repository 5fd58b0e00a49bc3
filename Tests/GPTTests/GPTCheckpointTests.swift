// GPT checkpoints: a run saved at step 12 and resumed continues the loss curve
// of the straight run exactly (same losses, same weights), and files that do
// not fit are typed errors that change nothing.
import Foundation
import Testing
import Autograd
import LabKit
import NN
import Tensor
@testable import GPT

@Suite("GPT checkpoints")
struct GPTCheckpointTests {
    let config = GPTConfiguration(vocabularySize: 9, blockSize: 8, layerCount: 2, headCount: 2, embeddingSize: 16)
    let text = (0..<400).map { ($0 * 7 + $0 / 5) % 9 }
    var settings: GPTTrainingSettings {
        var s = GPTTrainingSettings()
        s.warmupSteps = 4
        s.decaySteps = 24
        return s
    }

    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("mllab-gpt-\(UUID().uuidString)-\(name)").path
    }

    @Test("Saving at step 12 and resuming into a fresh model continues the loss curve exactly")
    func resumeContinuesExactly() throws {
        let straight = GPTTrainer(model: GPTModel(config, seed: 1), settings: settings)
        var straightProgress = GPTProgress(dataGenerator: RandomGenerator(seed: 5))
        for _ in 0..<24 { try straight.train(on: text, batch: 3, progress: &straightProgress) }

        let first = GPTTrainer(model: GPTModel(config, seed: 1), settings: settings)
        var firstProgress = GPTProgress(dataGenerator: RandomGenerator(seed: 5))
        for _ in 0..<12 { try first.train(on: text, batch: 3, progress: &firstProgress) }
        let path = temporaryPath("resume.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try first.save(to: path, progress: firstProgress, extra: ["vocabulary": "abc"])

        let header = try GPTCheckpoint.header(at: path)
        #expect(header.configuration == config && header.settings == settings && header.extra == ["vocabulary": "abc"])
        let resumed = GPTTrainer(model: GPTModel(header.configuration, seed: 99), settings: header.settings)
        var resumedProgress = try resumed.load(from: path)
        #expect(resumed.step == 12 && resumedProgress == firstProgress)
        for _ in 0..<12 { try resumed.train(on: text, batch: 3, progress: &resumedProgress) }
        #expect(resumedProgress.stepLosses == straightProgress.stepLosses)
        #expect(resumed.model.stateDict() == straight.model.stateDict())
        #expect(resumed.learningRate == straight.learningRate)
    }

    @Test("A truncated file, another model's checkpoint or other settings are typed errors that change nothing")
    func badCheckpoints() throws {
        let trainer = GPTTrainer(model: GPTModel(config, seed: 2), settings: settings)
        var progress = GPTProgress(dataGenerator: RandomGenerator(seed: 1))
        try trainer.train(on: text, batch: 2, progress: &progress)
        let path = temporaryPath("good.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try trainer.save(to: path, progress: progress)

        let other = GPTTrainer(model: GPTModel(config, seed: 3), settings: settings)
        let weights = other.model.stateDict()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let truncated = temporaryPath("truncated.safetensors")
        defer { try? FileManager.default.removeItem(atPath: truncated) }
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        #expect { _ = try other.load(from: truncated) } throws: { error in
            guard case GPTCheckpointError.unreadable = error else { return false }
            return "\(error)".contains("truncated")
        }
        #expect(throws: GPTCheckpointError.unreadable(.fileNotFound(path: "/nonexistent/ckpt"))) { _ = try other.load(from: "/nonexistent/ckpt") }

        let wider = GPTConfiguration(vocabularySize: 9, blockSize: 8, layerCount: 2, headCount: 2, embeddingSize: 32)
        #expect(throws: GPTCheckpointError.configurationMismatch(path: path, saved: config, model: wider)) {
            _ = try GPTTrainer(model: GPTModel(wider), settings: settings).load(from: path)
        }
        #expect(throws: GPTCheckpointError.settingsMismatch(path: path)) {
            _ = try GPTTrainer(model: GPTModel(config), settings: GPTTrainingSettings()).load(from: path)
        }
        #expect(other.model.stateDict() == weights && other.step == 0)
    }

    @Test("header(at:) refuses a configuration the tensors do not bear out, before a model is built from it; a step of Int.max is refused")
    func editedConfigurationIsRefused() throws {
        let trainer = GPTTrainer(model: GPTModel(config, seed: 2), settings: settings)
        let path = temporaryPath("header.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try trainer.save(to: path, progress: GPTProgress(dataGenerator: RandomGenerator(seed: 1)))
        #expect(try GPTCheckpoint.header(at: path).configuration == config)
        let file = try Safetensors.read(contentsOf: path)

        func edited(_ change: (inout GPTConfiguration) -> Void) throws -> String {
            var configuration = config
            change(&configuration)
            var metadata = file.metadata
            metadata["configuration"] = try GPTCheckpoint.encode(configuration)
            let editedPath = temporaryPath("edited.safetensors")
            try Safetensors.write(file.tensors, metadata: metadata, to: editedPath)
            return editedPath
        }
        // A terabyte-sized embedding, Int.max layers, 0 heads, a negative vocabulary: typed errors, no allocation.
        let claims: [(inout GPTConfiguration) -> Void] = [
            { $0.embeddingSize = 1 << 40 }, { $0.layerCount = .max }, { $0.headCount = 0 }, { $0.vocabularySize = -9 },
            { $0.blockSize = 1 << 50 },
        ]
        for claim in claims {
            let editedPath = try edited(claim)
            defer { try? FileManager.default.removeItem(atPath: editedPath) }
            #expect { _ = try GPTCheckpoint.header(at: editedPath) } throws: { error in
                switch error as? GPTCheckpointError {
                case .stateMismatch(let p, _)?, .notACheckpoint(let p, _)?: return p == editedPath
                default: return false
                }
            }
        }
        // A step of Int.max decodes, but the next training step would overflow it.
        var metadata = file.metadata
        metadata["progress"] = try GPTCheckpoint.encode(GPTProgress(step: .max, dataGenerator: RandomGenerator(seed: 1)))
        let farPath = temporaryPath("far.safetensors")
        defer { try? FileManager.default.removeItem(atPath: farPath) }
        try Safetensors.write(file.tensors, metadata: metadata, to: farPath)
        #expect { _ = try GPTTrainer(model: GPTModel(config, seed: 2), settings: settings).load(from: farPath) } throws: { error in
            guard case .notACheckpoint(_, let reason)? = error as? GPTCheckpointError else { return false }
            return reason.contains("above 2^53")
        }
    }
}
