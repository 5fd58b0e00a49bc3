// lab-finetune reward: a reward model (FineTuning's RewardModel: the base's
// body and a scalar head) trained with the Bradley-Terry loss on sampled pairs
// labelled by the full-stop rule, scored on held-out pairs: the share it ranks
// the right way round (preference_accuracy) and the mean reward margin.
import Foundation
import FineTuning
import GPT
import LabKit
import NN

struct RewardRun {
    let lab: LabFineTune
    let settings: TourSettings
    let base: PretrainedBase

    func run(report: inout JSONReport, files: inout [String]) throws {
        let data = try PreferenceData.sample(lab: lab, settings: settings, base: base)
        let steps = lab.steps ?? (settings.quick ? 30 : 300)
        let rate = lab.learningRate ?? 1e-4
        let trainer = RewardTrainer(model: RewardModel(base: base.model), learningRate: rate)
        var batches = PreferenceData.Batches(data.train, size: lab.batchSize, seed: settings.seed)
        let interval = max(1, steps / 10)
        var losses: [Float] = [], evaluations: [(step: Int, result: PreferenceStepResult)] = [(0, trainer.evaluate(data.heldOut))]
        Log.info(String(format: "== reward model: %d steps of %d pairs, AdamW η = %g; held-out accuracy before %.3f ==",
                        steps, batches.size, rate, evaluations[0].result.accuracy))
        let bar = ProgressBar(total: steps, label: "reward model")
        for step in 1...steps {
            let result = try trainer.train(on: batches.next())
            losses.append(result.loss)
            bar.update(completed: step, metrics: [("loss", Double(result.loss)), ("acc", result.accuracy)])
            if step % interval == 0 || step == steps { evaluations.append((step, trainer.evaluate(data.heldOut))) }
        }
        bar.finish()
        let final = evaluations.last!.result
        Log.info(String(format: "held-out preference accuracy %.3f (%d pairs), mean reward margin %.3f, loss %.4f",
                        final.accuracy, data.heldOut.count, final.margin, final.loss))

        report.setMetric("preference_accuracy", final.accuracy)
        report.setMetric("heldout_reward_margin", final.margin)
        report.setMetric("heldout_loss", Double(final.loss))
        report.setMetric("base_property_rate", data.basePropertyRate)
        report.setMetric("steps", JSONValue(steps))
        report.setMetric("accuracy_curve", JSONValue(evaluations.map(\.result.accuracy)))
        report.setMetric("eval_steps", JSONValue(evaluations.map(\.step)))
        report.set("rule", .string(data.rule.name))

        var chart = LineChart(title: "Reward model (Bradley-Terry)", xLabel: "step", yLabel: "loss / accuracy")
        chart.addSeries("training batch loss", y: losses.map(Double.init), firstX: 1)
        chart.addSeries("held-out loss", x: evaluations.map { Double($0.step) }, y: evaluations.map { Double($0.result.loss) })
        chart.addSeries("held-out accuracy", x: evaluations.map { Double($0.step) }, y: evaluations.map(\.result.accuracy))
        try settings.write("reward_curves.png", files: &files) { try chart.write(to: $0) }
        var margins = LineChart(title: "Reward margin r(chosen) − r(rejected), held out", xLabel: "step", yLabel: "margin")
        margins.addSeries("mean margin", x: evaluations.map { Double($0.step) }, y: evaluations.map(\.result.margin))
        try settings.write("reward_margins.png", files: &files) { try margins.write(to: $0) }
    }
}
