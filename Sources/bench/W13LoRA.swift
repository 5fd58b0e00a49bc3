// W13: LoRA r = 8, α = 16 on the query and value projections of W12's model,
// base frozen, against full fine-tuning, as the PyTorch peer (docs/BENCHMARKS.md) runs
// it: 200 steps each (1 warm-up and --reps timed repetitions, each from the
// base, the two modes taking turns), AdamW lr 1e-3 constant, betas (0.9, 0.99), weight decay 0.1 on 2-D
// trainable tensors, clip 1.0, batch 12 × 64. Fine-tune corpus: the training
// split upper-cased (same characters, a clear shift of style); held-out: the
// validation split upper-cased. Only the 200 steps are timed.
import Foundation
import FineTuning
import GPT
import LabKit
import NN
import Tensor

enum W13LoRA {
    static func run(threads: Int, quick: Bool, repetitions: Int, seed: UInt64 = 0) throws -> [BenchRecord] {
        guard let base = try FineTuneBase.shared(workload: "W13", threads: threads, quick: quick, seed: seed) else { return [] }
        let corpus = base.run
        let upper = { (tokens: [Int]) in try corpus.vocabulary.encode(corpus.vocabulary.decode(tokens).uppercased()) }
        let fineTuneTrain = try upper(corpus.train), fineTuneValidation = try upper(corpus.scoredValidation)
        let block = W12MiniGPT.block, batch = W12MiniGPT.batch, steps = base.stepsPerRepetition
        let before = base.model.meanLoss(on: fineTuneValidation, steps: block)
        // The modes' repetitions alternate (LoRA, full, LoRA, full, ...) so that a slow
        // spell of this shared machine falls on both alike.
        let modes = [FineTuningMode.lora, .full]
        var times: [FineTuningMode: [Double]] = [:]
        var lastRuns: [FineTuningMode: FineTuningRun] = [:]
        for repetition in 0...repetitions {
            for mode in modes {
                let fineTune = try FineTuningRun(base: base.model, mode: mode, seed: seed)
                var progress = GPTProgress(dataGenerator: RandomGenerator(seed: seed))
                let time = try Stopwatch.time {
                    for _ in 0..<steps { try fineTune.trainer.train(on: fineTuneTrain, batch: batch, progress: &progress) }
                }
                if repetition > 0 { times[mode, default: []].append(time) }
                lastRuns[mode] = fineTune
                Log.progress(String(format: "  W13 \(mode.rawValue) repetition %d: %.2f s, loss %.4f", repetition, time,
                                    progress.stepLosses.last!))
            }
        }
        // Each LoRA repetition over the full one run right after it; the median of those ratios.
        let paired = zip(times[.lora] ?? [], times[.full] ?? []).map { $0 / $1 }
        let pairedRatio: JSONValue = paired.isEmpty ? .null : .number((Stopwatch.median(of: paired) * 1000).rounded() / 1000)
        var records: [BenchRecord] = []
        for mode in modes {
            let times = times[mode] ?? []
            let fineTune = lastRuns[mode]!, median = Stopwatch.median(of: times)
            let after = fineTune.model.meanLoss(on: fineTuneValidation, steps: block)
            let original = fineTune.model.meanLoss(on: corpus.scoredValidation, steps: block)
            let trainable = fineTune.trainer.trainableParameters.reduce(0) { $0 + $1.value.count }
            Log.progress(String(format: "  W13 \(mode.rawValue): %.3f s per %d steps; fine-tune val loss %.4f -> %.4f", median,
                                steps, before, after))
            func rounded(_ x: Double) -> JSONValue { .number((x * 1e4).rounded() / 1e4) }
            records.append(BenchRecord(
                workload: "W13", impl: "mllab", threads: threads,
                params: [("mode", .string(mode.rawValue)), ("steps", .number(Double(steps))), ("batch", .number(Double(batch))),
                         ("block", .number(Double(block)))] + (mode == .lora ? [("rank", .number(8)), ("alpha", .number(16))] : []),
                secondsMedian: median,
                rate: [("steps_per_s", Double(steps) / median), ("tokens_per_s", Double(steps * batch * block) / median)],
                quality: [("trainable_fraction", .number((fineTune.trainableFraction * 1e5).rounded() / 1e5)),
                          ("trainable_params", .number(Double(trainable))),
                          ("total_params", .number(Double(fineTune.model.parameterCount))),
                          ("ft_val_loss_before", rounded(before)),
                          ("ft_val_loss_after_\(steps)", rounded(after)),
                          ("orig_val_loss_after_\(steps)", rounded(original)),
                          ("base_steps", .number(Double(base.steps))),
                          ("seconds", .array(times.map { .number(($0 * 1000).rounded() / 1000) })),
                          ("corpus", .string("tiny shakespeare upper-cased (train split / val split)"))]
                    + (mode == .lora ? [("step_time_ratio_lora_over_full", pairedRatio)] : [])))
        }
        return records
    }
}
