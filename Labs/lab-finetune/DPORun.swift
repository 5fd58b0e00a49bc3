// lab-finetune dpo: DPO of the base against itself frozen as the reference, on
// sampled pairs labelled by the full-stop rule. Measured before and after:
//   property rate   the share of fresh samples (temperature 1, prompts of the
//                   validation split) in which the rule holds
//   KL(π ‖ π_ref)   estimated on the policy's own samples y ~ π:
//                   mean over samples of Σ_t (log π(y_t|…) − log π_ref(y_t|…))
//   pre-training validation loss, to see what the policy forgot
// and on held-out pairs the implicit reward's accuracy and margin.
import Autograd
import Foundation
import FineTuning
import GPT
import LabKit
import NN
import Tensor

struct DPORun {
    let lab: LabFineTune
    let settings: TourSettings
    let base: PretrainedBase

    func run(report: inout JSONReport, files: inout [String]) throws {
        let data = try PreferenceData.sample(lab: lab, settings: settings, base: base)
        let steps = lab.steps ?? (settings.quick ? 30 : 300)
        let trainer = DPOTrainer(base: base.model, settings: DPOSettings(beta: lab.beta, learningRate: lab.learningRate ?? 3e-5))
        var batches = PreferenceData.Batches(data.train, size: lab.batchSize, seed: settings.seed)
        let interval = max(1, steps / 10)
        let samplesToRate = settings.quick ? 60 : 300
        let block = base.model.configuration.blockSize
        let rateBefore = try SampledPreferencePairs.propertyRate(model: base.model, text: base.corpus.validation, decode: base.decode,
                                                                  rule: data.rule, count: samplesToRate, seed: settings.seed &+ 3)
        let pretrainBefore = base.model.meanLoss(on: base.scoredValidation, steps: block)
        Log.info(String(format: "== DPO: β = %g, %d steps of %d pairs, AdamW η = %g; the rule holds in %.1f%% of %d base samples ==",
                        lab.beta, steps, batches.size, trainer.settings.learningRate, 100 * rateBefore, samplesToRate))

        var losses: [Float] = [], chosenRewards: [Double] = [], rejectedRewards: [Double] = []
        var evaluations: [(step: Int, result: PreferenceStepResult)] = [(0, trainer.evaluate(data.heldOut))]
        let bar = ProgressBar(total: steps, label: "DPO")
        for step in 1...steps {
            let batch = batches.next()
            let result = try trainer.train(on: batch)
            losses.append(result.loss)
            bar.update(completed: step, metrics: [("loss", Double(result.loss)), ("margin", result.margin)])
            if step % interval == 0 || step == steps {
                let heldOut = trainer.evaluate(data.heldOut)
                evaluations.append((step, heldOut))
                let rewards = Self.meanRewards(trainer, data.heldOut)
                chosenRewards.append(rewards.chosen)
                rejectedRewards.append(rewards.rejected)
            }
        }
        bar.finish()
        let final = evaluations.last!.result
        let rateAfter = try SampledPreferencePairs.propertyRate(model: trainer.policy, text: base.corpus.validation, decode: base.decode,
                                                                 rule: data.rule, count: samplesToRate, seed: settings.seed &+ 3)
        let pretrainAfter = trainer.policy.meanLoss(on: base.scoredValidation, steps: block)
        let divergence = try Self.klFromReference(trainer, text: base.corpus.validation, count: settings.quick ? 20 : 100,
                                                  seed: settings.seed &+ 4)
        let sample = try base.decode(trainer.policy.generate(prompt: Array(base.corpus.validation.prefix(8)), count: settings.quick ? 120 : 300,
                                                             settings: SamplingSettings(temperature: 1), seed: settings.seed))
        Log.info(String(format: "rule rate %.1f%% → %.1f%% (×%.2f); held-out implicit-reward accuracy %.3f, margin %.3f; KL(π‖π_ref) %.3f nats per sample; pre-training validation loss %.4f → %.4f (%+.4f)",
                        100 * rateBefore, 100 * rateAfter, rateAfter / max(rateBefore, 1e-9), final.accuracy, final.margin,
                        divergence, pretrainBefore, pretrainAfter, pretrainAfter - pretrainBefore))
        Log.info("policy sample (temperature 1):\n" + base.decode(Array(base.corpus.validation.prefix(8))) + sample)

        report.setMetric("preference_accuracy", final.accuracy)
        report.setMetric("heldout_reward_margin", final.margin)
        report.setMetric("property_rate_before", rateBefore)
        report.setMetric("property_rate_after", rateAfter)
        report.setMetric("kl_from_reference", divergence)
        report.setMetric("pretrain_val_loss_before", pretrainBefore)
        report.setMetric("pretrain_val_loss_after", pretrainAfter)
        report.setMetric("pretrain_val_loss_increase", pretrainAfter - pretrainBefore)
        report.setMetric("steps", JSONValue(steps))
        report.setMetric("beta", Double(lab.beta))
        report.set("rule", .string(data.rule.name))
        report.set("sample", .string(sample))

        var chart = LineChart(title: "DPO loss", xLabel: "step", yLabel: "−log σ(z)")
        chart.addSeries("training batch", y: losses.map(Double.init), firstX: 1)
        chart.addSeries("held out", x: evaluations.map { Double($0.step) }, y: evaluations.map { Double($0.result.loss) })
        try settings.write("dpo_loss.png", files: &files) { try chart.write(to: $0) }
        let evalSteps = evaluations.dropFirst().map { Double($0.step) }
        var rewards = LineChart(title: "Implicit rewards β·log(π/π_ref), held out", xLabel: "step", yLabel: "mean reward")
        rewards.addSeries("chosen", x: evalSteps, y: chosenRewards)
        rewards.addSeries("rejected", x: evalSteps, y: rejectedRewards)
        rewards.addSeries("margin", x: evalSteps, y: evaluations.dropFirst().map(\.result.margin))
        try settings.write("dpo_rewards.png", files: &files) { try rewards.write(to: $0) }
        let bars = BarChart(labels: ["base", "after DPO"], values: [100 * rateBefore, 100 * rateAfter],
                            title: "Samples where \(data.rule.name)", valueLabel: "%")
        try settings.write("property_rate.png", files: &files) { try bars.write(to: $0) }
    }

    /// The mean implicit reward of the chosen and of the rejected continuations of `pairs`.
    static func meanRewards(_ trainer: DPOTrainer, _ pairs: [PreferencePair]) -> (chosen: Double, rejected: Double) {
        let policy = DPOTrainer.logProbabilities(of: trainer.policy, pairs, batchSize: 50)
        let reference = DPOTrainer.logProbabilities(of: trainer.reference, pairs, batchSize: 50)
        let beta = Double(trainer.settings.beta)
        func mean(_ a: Tensor, _ b: Tensor) -> Double { beta * zip(a.scalars, b.scalars).reduce(0.0) { $0 + Double($1.0 - $1.1) } / Double(a.count) }
        return (mean(policy.chosen, reference.chosen), mean(policy.rejected, reference.rejected))
    }

    /// KL(π ‖ π_ref) per 56-character continuation, estimated on `count` samples of the policy.
    static func klFromReference(_ trainer: DPOTrainer, text: [Int], count: Int, seed: UInt64) throws -> Double {
        var generator = RandomGenerator(seed: seed)
        var sequences: [[Int]] = []
        for _ in 0..<count {
            let start = generator.nextInt(below: text.count - 8)
            let prompt = Array(text[start..<(start + 8)])
            sequences.append(prompt + (try trainer.policy.generate(prompt: prompt, count: 56, settings: SamplingSettings(temperature: 1),
                                                                  seed: generator.next())))
        }
        let batch = ScoredSequences(sequences: sequences, promptLength: 8)
        let policy = noGrad { trainer.policy.continuationLogProbabilities(batch).value.scalars }
        let reference = noGrad { trainer.reference.continuationLogProbabilities(batch).value.scalars }
        return zip(policy, reference).reduce(0.0) { $0 + Double($1.0 - $1.1) } / Double(count)
    }
}
