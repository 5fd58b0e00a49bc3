// W12: the mini-GPT on tiny shakespeare, as ../shared/peers/bench_deep.py trains
// nanoGPT's model.py: characters (65), 4 layers, 4 heads, C = 128, block 64,
// batch 12, AdamW lr 1e-3 with betas (0.9, 0.99) and weight decay 0.1 on the
// 2-D tensors, 100 warm-up steps, cosine decay to 1e-4 at step 2 000, gradient
// clip 1.0 (GPTTrainer). Corpus, chunks of the 2 000-step schedule and timing:
// CharCorpusRun (tokens/s = 200·12·64 / median chunk); `--long` trains to
// 2 000 steps (the acceptance figure). Quality: the mean cross-entropy over all
// non-overlapping 64-character windows of the validation split.
// (The generation phases of W12 arrive with the KV cache.)
import Foundation
import GPT
import LabKit
import Tensor

enum W12MiniGPT {
    static let batch = 12, block = 64

    static func run(threads: Int, quick: Bool, long: Bool, seed: UInt64 = 0) throws -> [BenchRecord] {
        guard let run = try CharCorpusRun(workload: "W12", threads: threads, quick: quick, long: long) else { return [] }
        let model = GPTModel(.w12(vocabularySize: run.vocabulary.count), seed: seed)
        let trainer = GPTTrainer(model: model)
        var generator = RandomGenerator(seed: seed)
        let (times, losses) = try run.trainInChunks {
            let (x, y) = TextWindows.sample(from: run.train, batch: batch, steps: block, generator: &generator)
            return try trainer.train(inputs: x, targets: y, batch: batch, steps: block)
        }
        let validationLoss = model.meanLoss(on: run.scoredValidation, steps: block)
        return [run.record(threads: threads, tokensPerStep: batch * block,
                           params: [("phase", .string("train")), ("batch", .number(Double(batch))),
                                    ("block", .number(Double(block)))],
                           times: times, losses: losses, validationLoss: validationLoss,
                           parameterCount: model.parameterCount)]
    }
}
