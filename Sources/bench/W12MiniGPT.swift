// W12: the mini-GPT on tiny shakespeare, as ../shared/peers/bench_deep.py trains
// nanoGPT's model.py: characters (65), 90/10 split, 4 layers, 4 heads, C = 128,
// block 64, batch 12, AdamW lr 1e-3 with betas (0.9, 0.99) and weight decay 0.1
// on the 2-D tensors, 100 warm-up steps, cosine decay to 1e-4 at step 2 000,
// gradient clip 1.0 (GPTTrainer). Training runs in chunks of 200 steps of the
// 2 000-step schedule: chunk 1 is the warm-up, chunks 2-6 are timed (median;
// tokens/s = 200·12·64 / median). The default run stops at 1 200 steps; `--long`
// trains to 2 000 (the acceptance figure). Quality: the mean cross-entropy
// over all non-overlapping 64-character windows of the validation split.
// `--quick` runs 3 chunks of 20 steps and scores 10 000 validation characters.
// (The generation phases of W12 arrive with the KV cache.)
import Foundation
import GPT
import LabKit
import Tensor

enum W12MiniGPT {
    static let batch = 12, block = 64

    static func run(threads: Int, quick: Bool, long: Bool, seed: UInt64 = 0) throws -> [BenchRecord] {
        guard let path = DataLocator.standard.file("tinyshakespeare/input.txt") else {
            Log.progress("W12: tinyshakespeare/input.txt not found (set MLLAB_DATA); skipped")
            return []
        }
        Log.progress("W12 threads=\(threads) (\(path))")
        let text = try CharVocabulary.readText(path: path)
        let vocabulary = CharVocabulary(text: text)
        let (train, validation) = CharVocabulary.split(try vocabulary.encode(text))
        let chunk = quick ? 20 : 200
        let total = quick ? 60 : (long ? 2_000 : 1_200)

        let model = GPTModel(.w12(vocabularySize: vocabulary.count), seed: seed)
        let trainer = GPTTrainer(model: model)
        var generator = RandomGenerator(seed: seed)
        var losses: [Float] = []
        var times: [Double] = []
        var done = 0
        while done < total {
            let n = Swift.min(chunk, total - done)
            times.append(try Stopwatch.time {
                for _ in 0..<n {
                    let (x, y) = TextWindows.sample(from: train, batch: batch, steps: block, generator: &generator)
                    losses.append(try trainer.train(inputs: x, targets: y, batch: batch, steps: block))
                }
            })
            done += n
            Log.progress(String(format: "  W12 step %d: %.2fs per chunk, loss %.4f", done, times.last!, losses.last!))
        }
        let scored = quick ? Array(validation.prefix(10_000)) : validation
        let validationLoss = model.meanLoss(on: scored, steps: block)
        let median = Stopwatch.median(of: Array(times.dropFirst().prefix(5)))
        let last50 = losses.suffix(50).reduce(0, +) / Float(Swift.min(50, losses.count))
        Log.progress(String(format: "  W12 val loss after %d steps: %.4f", total, validationLoss))
        return [BenchRecord(workload: "W12", impl: "mllab", threads: threads,
                            params: [("phase", .string("train")), ("batch", .number(Double(batch))),
                                     ("block", .number(Double(block))), ("chunk_steps", .number(Double(chunk)))],
                            secondsMedian: median,
                            rate: [("tokens_per_s", Double(chunk * batch * block) / median),
                                   ("steps_per_s", Double(chunk) / median)],
                            quality: [("val_loss_after_\(total)_steps", .number((validationLoss * 1e4).rounded() / 1e4)),
                                      ("train_loss_last50", .number((Double(last50) * 1e4).rounded() / 1e4)),
                                      ("steps", .number(Double(total))),
                                      ("params", .number(Double(model.parameterCount))),
                                      ("chunk_seconds", .array(times.map { .number(($0 * 1000).rounded() / 1000) }))])]
    }
}
