// GPTTrainer: nanoGPT's schedule and parameter groups, a loss that falls, and a
// NaN loss that stops training with the step named, before any update.
import Testing
import Autograd
import NN
import Tensor
@testable import GPT

@Suite("GPT trainer")
struct GPTTrainerTests {
    let config = GPTConfiguration(vocabularySize: 6, blockSize: 8, layerCount: 1, headCount: 2, embeddingSize: 16)

    @Test("The schedule warms up over 100 steps and decays to 1e-4 at step 2 000; LayerNorm gains are not decayed")
    func scheduleAndGroups() {
        let trainer = GPTTrainer(model: GPTModel(config, seed: 1))
        #expect(abs(trainer.schedule.learningRate(atStep: 0) - 1e-3 / 101) < 1e-9)
        #expect(abs(trainer.schedule.learningRate(atStep: 100) - 1e-3) < 1e-9)
        #expect(abs(trainer.schedule.learningRate(atStep: 1_050) - 5.5e-4) < 1e-6)
        #expect(abs(trainer.schedule.learningRate(atStep: 2_000) - 1e-4) < 1e-9)
        #expect(trainer.notDecayed.parameters.allSatisfy { $0.rank == 1 } && trainer.notDecayed.parameters.count == 3)
        #expect(trainer.decayed.weightDecay == 0.1 && trainer.notDecayed.weightDecay == 0)
    }

    @Test("Training steps lower the loss of a repeated pattern")
    func lossFalls() throws {
        let trainer = GPTTrainer(model: GPTModel(config, seed: 2), settings: {
            var settings = GPTTrainingSettings()
            settings.warmupSteps = 5
            settings.decaySteps = 100
            settings.learningRate = 3e-3
            return settings
        }())
        let pattern = [0, 1, 2, 3, 4, 5, 0, 1, 2]
        let inputs = Array(pattern[0..<8]), targets = Array(pattern[1..<9])
        let first = try trainer.train(inputs: inputs, targets: targets, batch: 1, steps: 8)
        var last = first
        for _ in 0..<60 { last = try trainer.train(inputs: inputs, targets: targets, batch: 1, steps: 8) }
        #expect(last < 0.5 * first, "loss \(first) → \(last)")
        #expect(trainer.step == 61)
    }

    @Test("A NaN loss stops training at its step, leaving the weights as they were")
    func nanStops() throws {
        let model = GPTModel(config, seed: 3)
        let trainer = GPTTrainer(model: model)
        let inputs = [0, 1, 2, 3], targets = [1, 2, 3, 4]
        try trainer.train(inputs: inputs, targets: targets, batch: 1, steps: 4)
        let weight = model.transformer.blocks[0].feedForward.expand.weight
        var broken = weight.value
        broken.withUnsafeMutableBufferPointer { $0[0] = .nan }
        weight.value = broken
        let before = model.parameters.map { $0.value.scalars }
        #expect(throws: GPTTrainingError.self) { try trainer.train(inputs: inputs, targets: targets, batch: 1, steps: 4) }
        do {
            try trainer.train(inputs: inputs, targets: targets, batch: 1, steps: 4)
        } catch let error as GPTTrainingError {
            guard case .nonFinite(let failure) = error else { return }
            #expect(failure.step == 2)   // the trainer's second step (one was taken above)
            #expect(error.description.contains("step 2"))
            // The replay names the parameter that already held the NaN, by its dotted path.
            #expect(failure.firstAnomaly?.place == .leaf)
            #expect(failure.firstAnomaly?.tensor.hasPrefix("transformer.h.0.mlp.c_fc.weight") == true, "\(failure)")
        }
        let after = model.parameters.map { $0.value.scalars }
        #expect(zip(before, after).allSatisfy { zip($0, $1).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) } })
    }

    @Test("A diverging run (learning rate 1e3) stops at a step with the first non-finite tensor named, weights untouched")
    func divergingRunNamesTheFirstNonFiniteTensor() throws {
        let model = GPTModel(config, seed: 3)
        var settings = GPTTrainingSettings()
        settings.learningRate = 1e3
        settings.warmupSteps = 0
        let trainer = GPTTrainer(model: model, settings: settings)
        let inputs = [0, 1, 2, 3, 4, 5, 0, 1], targets = [1, 2, 3, 4, 5, 0, 1, 2]
        var before: [[Float]] = []
        do {
            for _ in 0..<200 {
                before = model.parameters.map { $0.value.scalars }
                try trainer.train(inputs: inputs, targets: targets, batch: 1, steps: 8)
            }
            Issue.record("200 steps at learning rate 1e3 stayed finite")
        } catch let GPTTrainingError.nonFinite(failure) {
            let anomaly = try #require(failure.firstAnomaly, "the replay should find the op: \(failure)")
            #expect(failure.step == trainer.step + 1)
            #expect(!anomaly.value.isFinite)
            #expect("\(GPTTrainingError.nonFinite(failure))".contains("step \(failure.step)"))
            #expect("\(failure)".contains("first non-finite tensor: "))
            #expect(model.parameters.map { $0.value.scalars } == before)   // the failed step changed nothing
        }
    }
}
