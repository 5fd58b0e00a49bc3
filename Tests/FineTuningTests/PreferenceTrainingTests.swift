// Training on preference pairs, small and seeded: a tiny GPT learns by DPO
// and a reward model by Bradley-Terry to prefer continuations without token 5
// over the same continuations with two tokens changed to 5, on held-out pairs.
import Testing
import Autograd
import GPT
import NN
import Tensor
@testable import FineTuning

@Suite("Preference training")
struct PreferenceTrainingTests {
    let configuration = GPTConfiguration(vocabularySize: 6, blockSize: 8, layerCount: 1, headCount: 2, embeddingSize: 16)

    /// Prompt 1 token; chosen 7 tokens of 0…4; rejected the same with two positions set to 5.
    func pairs(_ count: Int, seed: UInt64) -> [PreferencePair] {
        var generator = RandomGenerator(seed: seed)
        return (0..<count).map { _ in
            let prompt = [Int(generator.next() % 5)]
            let chosen = (0..<7).map { _ in Int(generator.next() % 5) }
            var rejected = chosen
            let first = Int(generator.next() % 7)
            rejected[first] = 5
            rejected[(first + 1 + Int(generator.next() % 6)) % 7] = 5
            return PreferencePair(prompt: prompt, chosen: chosen, rejected: rejected)
        }
    }

    @Test("DPO starts at loss log 2 (policy = reference) and learns held-out pairs to ≥ 90%")
    func dpoLearns() throws {
        let base = GPTModel(configuration, seed: 1)
        let trainer = DPOTrainer(base: base, settings: DPOSettings(beta: 0.1, learningRate: 3e-3))
        let heldOut = pairs(200, seed: 99)
        let start = trainer.evaluate(heldOut)
        #expect(abs(start.loss - Float(0.6931472)) < 1e-5 && start.margin == 0)
        let first = try trainer.train(on: pairs(16, seed: 0))
        #expect(abs(first.loss - Float(0.6931472)) < 1e-5)
        for step in 1..<60 { try trainer.train(on: pairs(16, seed: UInt64(step))) }
        let end = trainer.evaluate(heldOut)
        #expect(end.accuracy >= 0.9, "held-out accuracy \(end.accuracy)")
        #expect(end.loss < start.loss && end.margin > 0)
        #expect(base.parameters.allSatisfy { !$0.requiresGrad && $0.grad == nil })   // the reference never trains
    }

    @Test("The Bradley-Terry reward model learns held-out pairs to ≥ 90%")
    func rewardModelLearns() throws {
        let trainer = RewardTrainer(model: RewardModel(base: GPTModel(configuration, seed: 2)), learningRate: 3e-3)
        let heldOut = pairs(200, seed: 98)
        let start = trainer.evaluate(heldOut)
        #expect(abs(start.loss - Float(0.6931472)) < 1e-5)   // the head starts at zero: every pair at P = ½
        for step in 0..<80 { try trainer.train(on: pairs(16, seed: 1_000 + UInt64(step))) }
        let end = trainer.evaluate(heldOut)
        #expect(end.accuracy >= 0.9, "held-out accuracy \(end.accuracy)")
        #expect(end.loss < 0.5 * start.loss)
    }

    @Test("A NaN loss stops DPO with the step named, before the weights move")
    func nonFiniteLoss() throws {
        let base = GPTModel(configuration, seed: 3)
        let trainer = DPOTrainer(base: base)
        trainer.policy.transformer.finalNorm.weight.value = Tensor(shape: [16], repeating: .nan)
        let before = trainer.policy.transformer.blocks[0].feedForward.expand.weight.value.scalars
        #expect(throws: FineTuningError.self) { try trainer.train(on: pairs(4, seed: 1)) }
        #expect(trainer.policy.transformer.blocks[0].feedForward.expand.weight.value.scalars == before)
    }
}
