// The character language model's checkpoints: N steps straight equal K steps,
// a save, a load into a fresh model and N − K more steps, bit for bit; files
// that do not fit are typed errors that change nothing.
import Foundation
import Testing
@testable import DeepLearning

@Suite("Language model trainer")
struct LanguageModelTrainerTests {
    let tokens = try! CharVocabulary(text: "to be or not to be, that is the question. ").encode(
        String(repeating: "to be or not to be, that is the question. ", count: 20))
    let vocabularySize = CharVocabulary(text: "to be or not to be, that is the question. ").count

    func makeTrainer(cell: CharLanguageModel.Cell = .lstm, seed: UInt64, hidden: Int = 24) -> LanguageModelTrainer {
        let model = CharLanguageModel(vocabularySize: vocabularySize, cell: cell, embeddingSize: 8, hiddenSize: hidden, seed: seed)
        return LanguageModelTrainer(model: model, learningRate: 5e-3, batch: 4, window: 16)
    }

    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("mllab-lm-\(UUID().uuidString).safetensors").path
    }

    @Test("12 steps straight equal 5 steps, save, load into a fresh model, 7 more steps, bit for bit",
          arguments: CharLanguageModel.Cell.allCases)
    func resumeEqualsStraightRun(cell: CharLanguageModel.Cell) throws {
        let straight = makeTrainer(cell: cell, seed: 3)
        var straightProgress = straight.startingProgress(seed: 4)
        for _ in 0..<12 { try straight.train(on: tokens, progress: &straightProgress) }

        let first = makeTrainer(cell: cell, seed: 3)
        var firstProgress = first.startingProgress(seed: 4)
        for _ in 0..<5 { try first.train(on: tokens, progress: &firstProgress) }
        firstProgress.evaluations.append(LanguageModelEvaluation(step: 5, validationLoss: 2.5))
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try first.save(to: path, progress: firstProgress)

        // Other initial weights and a fresh optimizer, as after a restart.
        let resumed = makeTrainer(cell: cell, seed: 99)
        var resumedProgress = try resumed.load(from: path)
        #expect(resumedProgress == firstProgress)
        for _ in 5..<12 { try resumed.train(on: tokens, progress: &resumedProgress) }

        #expect(resumedProgress.step == 12)
        #expect(resumedProgress.stepLosses == straightProgress.stepLosses)
        #expect(resumedProgress.dataGenerator == straightProgress.dataGenerator)
        #expect(resumed.model.stateDict() == straight.model.stateDict())
        #expect(resumed.optimizer.stateTensors() == straight.optimizer.stateTensors())
    }

    @Test("Another model's checkpoint, an image Trainer's checkpoint or a truncated file is refused and changes nothing")
    func badCheckpointsAreRefused() throws {
        let trainer = makeTrainer(seed: 1)
        var progress = trainer.startingProgress(seed: 2)
        try trainer.train(on: tokens, progress: &progress)
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try trainer.save(to: path, progress: progress)

        let other = makeTrainer(seed: 5, hidden: 32)
        let before = other.model.stateDict()
        #expect { _ = try other.load(from: path) } throws: { error in
            if case CheckpointError.modelMismatch = error { return true } else { return false }
        }
        #expect(other.model.stateDict() == before)

        let imagePath = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: imagePath) }
        try CheckpointFile.save(to: imagePath, model: trainer.model, optimizer: trainer.optimizer,
                                progress: TrainingProgress(learningRate: 5e-3, seed: 2, patience: nil))
        #expect { _ = try trainer.load(from: imagePath) } throws: { error in
            if case CheckpointError.badProgress = error { return true } else { return false }
        }

        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        #expect { _ = try trainer.load(from: path) } throws: { error in
            if case CheckpointError.unreadable = error { return true } else { return false }
        }
    }
}
