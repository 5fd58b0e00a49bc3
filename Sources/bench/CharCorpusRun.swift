// What W11 and W12 share: tiny shakespeare as characters (vocabulary = sorted
// characters, the first 90% for training, the rest for validation, as
// the PyTorch peer splits it, docs/BENCHMARKS.md), and training in chunks of 200 steps
// (20 with --quick) up to 1 200 steps (2 000 with --long, 60 with --quick),
// each chunk timed; the first chunk is the warm-up, the next five give the
// median. Each workload supplies its model's step and its validation loss.
import Foundation
import LabKit
import Tensor
import Tokenizers

struct CharCorpusRun {
    let workload: String
    let vocabulary: CharVocabulary
    let train: [Int], validation: [Int]
    let chunk: Int, total: Int
    let quick: Bool

    /// The corpus from MLLAB_DATA, or nil (logged) when it is absent.
    init?(workload: String, threads: Int, quick: Bool, long: Bool) throws {
        guard let path = DataLocator.standard.file("tinyshakespeare/input.txt") else {
            Log.progress("\(workload): tinyshakespeare/input.txt not found (set MLLAB_DATA); skipped")
            return nil
        }
        Log.progress("\(workload) threads=\(threads) (\(path))")
        let text = try CharVocabulary.readText(path: path)
        self.workload = workload
        vocabulary = CharVocabulary(text: text)
        (train, validation) = CharVocabulary.split(try vocabulary.encode(text))
        chunk = quick ? 20 : 200
        total = quick ? 60 : (long ? 2_000 : 1_200)
        self.quick = quick
    }

    /// The validation tokens scored (the first 10 000 with --quick).
    var scoredValidation: [Int] { quick ? Array(validation.prefix(10_000)) : validation }

    /// Runs `step` (returning the batch loss) `steps` (default `total`) times in timed chunks; returns the
    /// chunk times and losses.
    func trainInChunks(steps: Int? = nil, _ step: () throws -> Float) throws -> (times: [Double], losses: [Float]) {
        var times: [Double] = [], losses: [Float] = []
        var done = 0
        let steps = steps ?? total
        while done < steps {
            let n = Swift.min(chunk, steps - done)
            times.append(try Stopwatch.time { for _ in 0..<n { losses.append(try step()) } })
            done += n
            Log.progress(String(format: "  \(workload) step %d: %.2fs per chunk, loss %.4f", done, times.last!, losses.last!))
        }
        return (times, losses)
    }

    /// The record of a run: tokens/s from the median of chunks 2-6, and the quality figures.
    func record(threads: Int, tokensPerStep: Int, params: [(String, JSONValue)], times: [Double], losses: [Float],
                validationLoss: Double, parameterCount: Int) -> BenchRecord {
        let median = Stopwatch.median(of: Array(times.dropFirst().prefix(5)))
        let last50 = losses.suffix(50).reduce(0, +) / Float(Swift.min(50, losses.count))
        Log.progress(String(format: "  \(workload) val loss after %d steps: %.4f", losses.count, validationLoss))
        return BenchRecord(workload: workload, impl: "mllab", threads: threads,
                           params: params + [("chunk_steps", .number(Double(chunk)))],
                           secondsMedian: median,
                           rate: [("tokens_per_s", Double(chunk * tokensPerStep) / median),
                                  ("steps_per_s", Double(chunk) / median)],
                           quality: [("val_loss_after_\(losses.count)_steps", .number((validationLoss * 1e4).rounded() / 1e4)),
                                     ("train_loss_last50", .number((Double(last50) * 1e4).rounded() / 1e4)),
                                     ("steps", .number(Double(losses.count))),
                                     ("params", .number(Double(parameterCount))),
                                     ("chunk_seconds", .array(times.map { .number(($0 * 1000).rounded() / 1000) }))])
    }
}
