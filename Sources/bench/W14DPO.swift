// W14: DPO with β = 0.1 from W12's model, as the PyTorch peer (docs/BENCHMARKS.md) runs
// it: the policy starts as a copy of the base and the reference is the base,
// frozen. Pairs (CorruptedTextPairs): prompt = one character of the training
// split, chosen = the next 64, rejected = the same 64 with 15% of the positions
// changed to another character. 12 pairs per step, AdamW lr 1e-4, betas (0.9,
// 0.99), no weight decay, clip 1.0; 200 steps (1 warm-up and --reps timed
// repetitions, each from the base). Held-out: 1 000 pairs from the validation
// split; accuracy = share with r̂(chosen) > r̂(rejected), r̂ = β(log π − log π_ref).
import Foundation
import FineTuning
import GPT
import LabKit
import NN
import Tensor

enum W14DPO {
    static let pairsPerStep = 12

    static func run(threads: Int, quick: Bool, repetitions: Int, seed: UInt64 = 0) throws -> [BenchRecord] {
        guard let base = try FineTuneBase.shared(workload: "W14", threads: threads, quick: quick, seed: seed) else { return [] }
        let corpus = base.run, vocabulary = corpus.vocabulary.count, steps = base.stepsPerRepetition
        var heldOutGenerator = RandomGenerator(seed: 777)
        let heldOut = CorruptedTextPairs.make(from: corpus.validation, count: quick ? 200 : 1_000, vocabularySize: vocabulary,
                                              generator: &heldOutGenerator)
        var times: [Double] = []
        var last: (trainer: DPOTrainer, loss: Float)?
        for repetition in 0...repetitions {
            let trainer = DPOTrainer(base: base.model, settings: DPOSettings(beta: 0.1, learningRate: 1e-4))
            var generator = RandomGenerator(seed: seed)
            var loss: Float = 0
            let time = try Stopwatch.time {
                for _ in 0..<steps {
                    let pairs = CorruptedTextPairs.make(from: corpus.train, count: pairsPerStep, vocabularySize: vocabulary,
                                                        generator: &generator)
                    loss = try trainer.train(on: pairs).loss
                }
            }
            if repetition > 0 { times.append(time) }
            last = (trainer, loss)
            Log.progress(String(format: "  W14 repetition %d: %.2f s, loss %.4f", repetition, time, loss))
        }
        let (trainer, loss) = last!, median = Stopwatch.median(of: times)
        let policy = trainer.evaluate(heldOut)
        let referencePrefersChosen = trainer.referencePrefersChosen(heldOut)
        Log.progress(String(format: "  W14: %.3f s per %d steps; held-out accuracy %.4f, margin %.4f", median, steps,
                            policy.accuracy, policy.margin))
        func rounded(_ x: Double) -> JSONValue { .number((x * 1e4).rounded() / 1e4) }
        return [BenchRecord(
            workload: "W14", impl: "mllab", threads: threads,
            params: [("steps", .number(Double(steps))), ("pairs_per_step", .number(Double(pairsPerStep))),
                     ("continuation", .number(64))],
            secondsMedian: median,
            rate: [("steps_per_s", Double(steps) / median)],
            quality: [("heldout_pref_accuracy", rounded(policy.accuracy)), ("heldout_reward_margin", rounded(policy.margin)),
                      ("ref_loglik_prefers_chosen", rounded(referencePrefersChosen)), ("final_train_loss", rounded(Double(loss))),
                      ("beta", .number(0.1)), ("heldout_pairs", .number(Double(heldOut.count))),
                      ("base_steps", .number(Double(base.steps))),
                      ("seconds", .array(times.map { .number(($0 * 1000).rounded() / 1000) }))])]
    }
}
