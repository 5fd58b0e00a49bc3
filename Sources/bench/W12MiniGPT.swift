// W12: the mini-GPT on tiny shakespeare, as the PyTorch peer (docs/BENCHMARKS.md) trains
// nanoGPT's model.py: characters (65), 4 layers, 4 heads, C = 128, block 64,
// batch 12, AdamW lr 1e-3 with betas (0.9, 0.99) and weight decay 0.1 on the
// 2-D tensors, 100 warm-up steps, cosine decay to 1e-4 at step 2 000, gradient
// clip 1.0 (GPTTrainer). Corpus, chunks of the 2 000-step schedule and timing:
// CharCorpusRun (tokens/s = 200·12·64 / median chunk); `--long` trains to
// 2 000 steps and then, as the peer does, a second model on a 5 000-step
// schedule. Quality: the mean cross-entropy over all non-overlapping
// 64-character windows of the validation split.
// Generation (no peer figure: PyTorch's side has no decoding phase): the
// trained model writes 64 tokens after a one-character prompt, exactly one
// full block, with the KV cache (phase generate-cache) and with a full forward
// per token (generate-nocache), and then 256 tokens, past the block, where the
// cache is re-filled from the last half block. Median of several runs each.
import Foundation
import GPT
import LabKit
import NN
import Tensor

enum W12MiniGPT {
    static let batch = 12, block = 64

    static func run(threads: Int, quick: Bool, long: Bool, seed: UInt64 = 0) throws -> [BenchRecord] {
        guard let run = try CharCorpusRun(workload: "W12", threads: threads, quick: quick, long: long) else { return [] }
        let (model, record) = try train(run, threads: threads, steps: run.total, decaySteps: 2_000, seed: seed)
        var records = [record]
        if long {   // the peer's second model: max_iters 5 000
            let (_, record5000) = try train(run, threads: threads, steps: 5_000, decaySteps: 5_000, seed: seed)
            records[0].quality += record5000.quality.filter { $0.0.hasPrefix("val_loss_after_") }
        }
        for tokens in [64, 256] {
            for useCache in [true, false] {
                records.append(try generation(model, run: run, threads: threads, tokens: tokens, useCache: useCache,
                                              repetitions: quick ? 3 : (useCache ? 21 : 7)))
            }
        }
        return records
    }

    /// A fresh W12 model trained for `steps` steps of a schedule decaying to its minimum at `decaySteps`.
    static func train(_ run: CharCorpusRun, threads: Int, steps: Int, decaySteps: Int,
                      seed: UInt64) throws -> (GPTModel, BenchRecord) {
        let model = GPTModel(.w12(vocabularySize: run.vocabulary.count), seed: seed)
        var settings = GPTTrainingSettings()
        settings.decaySteps = decaySteps
        let trainer = GPTTrainer(model: model, settings: settings)
        var progress = GPTProgress(dataGenerator: RandomGenerator(seed: seed))
        let (times, losses) = try run.trainInChunks(steps: steps) {
            try trainer.train(on: run.train, batch: batch, progress: &progress)
        }
        let validationLoss = model.meanLoss(on: run.scoredValidation, steps: block)
        let record = run.record(threads: threads, tokensPerStep: batch * block,
                                params: [("phase", .string("train")), ("batch", .number(Double(batch))),
                                         ("block", .number(Double(block)))],
                                times: times, losses: losses, validationLoss: validationLoss,
                                parameterCount: model.parameterCount)
        return (model, record)
    }

    /// tokens/s of writing `tokens` tokens after a one-character prompt, with or without the KV cache.
    static func generation(_ model: GPTModel, run: CharCorpusRun, threads: Int, tokens: Int, useCache: Bool,
                           repetitions: Int) throws -> BenchRecord {
        let prompt = [run.train[0]]
        let settings = SamplingSettings(temperature: 0.8, topK: 20)
        var text: [Int] = []
        let times = try (0..<repetitions).map { repetition in
            try Stopwatch.time {
                text = try model.generate(prompt: prompt, count: tokens, settings: settings, seed: UInt64(repetition),
                                          useCache: useCache)
            }
        }
        let median = Stopwatch.median(of: times)
        let phase = useCache ? "generate-cache" : "generate-nocache"
        Log.progress(String(format: "  W12 \(phase) \(tokens) tokens: %.2f ms (%.0f tokens/s)", median * 1000,
                            Double(tokens) / median))
        return BenchRecord(workload: "W12", impl: "mllab", threads: threads,
                           params: [("phase", .string(phase)), ("tokens", .number(Double(tokens))),
                                    ("block", .number(Double(block))), ("prompt_tokens", .number(1))],
                           secondsMedian: median, rate: [("tokens_per_s", Double(tokens) / median)],
                           quality: [("sample", .string(run.vocabulary.decode(prompt + text)))])
    }
}
