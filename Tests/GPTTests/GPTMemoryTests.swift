// A long GPT training run keeps its memory flat: 3 000 steps of GPTTrainer
// (AdamW, clipping, the numeric guard) with an evaluation every 500 steps, as
// lab-gpt trains. The resident size after step 3 000 may exceed the one after
// step 500, when the heap, the scratch pools and the worker threads have reached
// their working size, by at most 5%. Each step's graph (attention, LayerNorm,
// the logits of 4 × 32 tokens) is about a megabyte, so one graph kept alive per
// step, or a per-step buffer never freed, would grow it many times over.
// Runs in its own process (an exit test) so that other tests do not move the figure.
import Foundation
import Testing
import GPT
import LabKit
import Tensor

@Suite struct GPTMemoryTests {
    @Test("3 000 GPT training steps with evaluations: resident memory grows by at most 5% after step 500",
          .enabled(if: ResidentMemory.isAvailable))
    func residentSizeStaysFlat() async {
        await #expect(processExitsWith: .success) {
            let configuration = GPTConfiguration(vocabularySize: 65, blockSize: 32, layerCount: 2, headCount: 2, embeddingSize: 64)
            let trainer = GPTTrainer(model: GPTModel(configuration, seed: 1))
            var generator = RandomGenerator(seed: 2)
            let tokens = (0..<20_000).map { _ in generator.nextInt(below: 65) }
            var progress = GPTProgress(dataGenerator: RandomGenerator(seed: 3))
            var atStep500 = 0
            for step in 1...3_000 {
                _ = try trainer.train(on: tokens, batch: 4, progress: &progress)
                if step % 500 == 0 { _ = trainer.model.meanLoss(on: Array(tokens.prefix(2_048)), steps: 32) }
                if step == 500 { atStep500 = ResidentMemory.bytes() }
            }
            let atStep3000 = ResidentMemory.bytes()
            let growth = Double(atStep3000 - atStep500) / Double(max(atStep500, 1))
            FileHandle.standardError.write(Data("GPT RSS after step 500: \(atStep500) B, after step 3000: \(atStep3000) B, growth \(growth)\n".utf8))
            exit(atStep500 > 0 && growth <= 0.05 ? 0 : 1)
        }
    }
}
