// W11: a character-level LSTM language model on tiny shakespeare, as
// ../shared/peers/bench_deep.py trains it in PyTorch: vocabulary = sorted
// characters (65), the first 90% of the text for training and the rest for
// validation; embedding 64, one LSTM layer of 256, a linear head; Adam lr 2e-3;
// each step a batch of 32 random windows of 64 characters (nanoGPT's
// get_batch), targets shifted by one. Training runs in chunks of 200 steps:
// chunk 1 is the warm-up, chunks 2-6 are timed (median reported, rate
// tokens/s = 200·32·64 / median). The default run stops at 1 200 steps;
// `--long` trains to 2 000 (the acceptance figure). Quality: the mean
// cross-entropy over every position of all non-overlapping 64-character
// windows of the validation split. `--quick` runs 3 chunks of 20 steps and
// scores the first 10 000 validation characters.
import Autograd
import Foundation
import LabKit
import NN
import DeepLearning

enum W11CharLSTM {
    static let batch = 32, block = 64

    static func run(threads: Int, quick: Bool, long: Bool, seed: UInt64 = 0) throws -> [BenchRecord] {
        guard let path = DataLocator.standard.file("tinyshakespeare/input.txt") else {
            Log.progress("W11: tinyshakespeare/input.txt not found (set MLLAB_DATA); skipped")
            return []
        }
        Log.progress("W11 threads=\(threads) (\(path))")
        let text = try CharVocabulary.readText(path: path)
        let vocabulary = CharVocabulary(text: text)
        let (train, validation) = CharVocabulary.split(try vocabulary.encode(text))
        let chunk = quick ? 20 : 200
        let total = quick ? 60 : (long ? 2_000 : 1_200)

        let model = CharLanguageModel(vocabularySize: vocabulary.count, cell: .lstm, embeddingSize: 64,
                                      hiddenSize: 256, seed: seed)
        let optimizer = Adam(model.parameters, learningRate: 2e-3)
        var generator = RandomGenerator(seed: seed)
        var losses: [Float] = []

        /// One training step on a batch of random windows (x = text[i..<i+64], y = text[i+1...i+64]).
        func step() {
            let (inputs, targets) = TextWindows.sample(from: train, batch: batch, steps: block, generator: &generator)
            let loss = model.loss(inputs: inputs, targets: targets, batch: batch, steps: block)
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            losses.append(loss.value.item)
        }

        model.train()
        var times: [Double] = []
        var done = 0
        while done < total {
            let n = Swift.min(chunk, total - done)
            times.append(Stopwatch.time { for _ in 0..<n { step() } })
            done += n
            Log.progress(String(format: "  W11 step %d: %.2fs per chunk, loss %.4f", done, times.last!, losses.last!))
        }
        model.eval()
        let scored = quick ? Array(validation.prefix(10_000)) : validation
        let validationLoss = model.meanLoss(on: scored, steps: block)
        let median = Stopwatch.median(of: Array(times.dropFirst().prefix(5)))
        let last50 = losses.suffix(50).reduce(0, +) / Float(Swift.min(50, losses.count))
        Log.progress(String(format: "  W11 val loss after %d steps: %.4f", total, validationLoss))
        return [BenchRecord(workload: "W11", impl: "mllab", threads: threads,
                            params: [("batch", .number(Double(batch))), ("block", .number(Double(block))),
                                     ("chunk_steps", .number(Double(chunk)))],
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
