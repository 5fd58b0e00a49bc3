// Supervised fine-tuning, small and seeded: a tiny GPT pre-trained on one
// rule of succession (the next token is usually x + 1 mod 8) is fine-tuned on
// another (usually x + 3), once with every weight and once with LoRA adapters
// on the query and value projections (rate annealed by a cosine). Both learn
// the new rule from the same batches: full fine-tuning comes close to the
// rule's entropy, −(0.825 ln 0.825 + 7 · 0.025 ln 0.025) = 0.80 nats, and LoRA
// more than halves the base's loss while every base weight stays as it was.
import Testing
import Autograd
import GPT
import LabKit
import NN
import Tensor
@testable import FineTuning

@Suite("Supervised fine-tuning")
struct SupervisedFineTuningTests {
    let configuration = GPTConfiguration(vocabularySize: 8, blockSize: 16, layerCount: 1, headCount: 2, embeddingSize: 16)

    /// The x + 3 rule: training text, and held-out text to score on.
    let secondTrain = Self.text(stride: 3, count: 4_000, seed: 6), secondHeldOut = Self.text(stride: 3, count: 2_000, seed: 7)

    /// A sequence whose next token is x + `stride` mod 8 with probability 0.8, any token otherwise.
    static func text(stride: Int, count: Int, seed: UInt64) -> [Int] {
        var generator = RandomGenerator(seed: seed)
        var tokens = [0]
        while tokens.count < count {
            let step = generator.next() % 5 == 0 ? Int(generator.next() % 8) : tokens.last! + stride
            tokens.append(step % 8)
        }
        return tokens
    }

    /// A base that has learnt the x + 1 rule.
    func pretrainedBase() throws -> GPTModel {
        let model = GPTModel(configuration, seed: 3)
        var settings = GPTTrainingSettings.fineTuning(learningRate: 1e-2)
        settings.weightDecay = 0
        let trainer = GPTTrainer(model: model, settings: settings)
        var progress = GPTProgress(dataGenerator: RandomGenerator(seed: 4))
        let corpus = Self.text(stride: 1, count: 4_000, seed: 5)
        for _ in 0..<150 { try trainer.train(on: corpus, batch: 8, progress: &progress) }
        return model
    }

    /// Fine-tunes `run` for `steps` steps on the x + 3 rule (the same batches for every run); returns the held-out loss.
    func fineTune(_ run: FineTuningRun, steps: Int) throws -> Double {
        var progress = GPTProgress(dataGenerator: RandomGenerator(seed: 8))
        for _ in 0..<steps { try run.trainer.train(on: secondTrain, batch: 8, progress: &progress) }
        return run.model.meanLoss(on: secondHeldOut, steps: configuration.blockSize)
    }

    @Test("Full fine-tuning and LoRA on q and v both learn a new rule; LoRA leaves the base weights untouched")
    func bothLearnTheSecondRule() throws {
        let base = try pretrainedBase()
        let before = base.meanLoss(on: secondHeldOut, steps: configuration.blockSize)
        let full = try fineTune(FineTuningRun(base: base, mode: .full, settings: .fineTuning(learningRate: 1e-2)), steps: 150)
        let loraRun = try FineTuningRun(base: base, mode: .lora, configuration: LoRAConfiguration(rank: 4, alpha: 8),
                                        settings: .fineTuning(learningRate: 3e-2, schedule: .cosine, steps: 150, warmupSteps: 0))
        let frozen = loraRun.model.parameters.filter { !$0.requiresGrad }.map(\.value.scalars)
        let lora = try fineTune(loraRun, steps: 150)
        print("held-out loss on the x + 3 rule: base \(before), full \(full), LoRA \(lora)")
        #expect(full < 0.9, "full fine-tuning: \(before) → \(full), the rule's entropy 0.80")
        #expect(lora < 0.5 * before, "LoRA: \(before) → \(lora)")
        #expect(loraRun.model.parameters.filter { !$0.requiresGrad }.map(\.value.scalars) == frozen)
        #expect(base.meanLoss(on: secondHeldOut, steps: configuration.blockSize) == before)   // the base itself was copied, not trained
    }
}
