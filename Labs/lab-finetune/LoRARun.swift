// lab-finetune lora: supervised fine-tuning of the base on the second corpus,
// once with every weight trainable and once with LoRA adapters only, the same
// steps and batches, each at its own constant learning rate (W13's recipe,
// SupervisedFineTuning.swift, with LoRA's rate ten times full fine-tuning's as
// in practice: W13 itself uses one rate for both, as its peer does).
// Measured: the validation loss on the second corpus through training, the
// pre-training validation loss at the end (what each method forgets), the
// trainable fraction, the time per step, merged = unmerged, and the adapters'
// file against the model's.
import Autograd
import Foundation
import FineTuning
import GPT
import LabKit
import NN
import Tensor

struct LoRARun {
    let lab: LabFineTune
    let settings: TourSettings
    let base: PretrainedBase

    struct Outcome {
        var run: FineTuningRun
        var stepLosses: [Float] = []
        var evaluations: [(step: Int, loss: Double)] = []
        var stepSeconds: [Double] = []
        var pretrainValidationLoss = 0.0
        var medianStepSeconds: Double { Stopwatch.median(of: stepSeconds) }
    }

    func run(report: inout JSONReport, files: inout [String]) throws {
        let second = try SecondCorpus.load(lab.corpus, base: base.corpus)
        let steps = lab.steps ?? (settings.quick ? 30 : 200)
        let rates: [FineTuningMode: Float] = [.full: lab.learningRate ?? 1e-3, .lora: lab.loraLearningRate]
        let block = base.model.configuration.blockSize, batch = 12
        let scored = settings.quick ? Array(second.validation.prefix(10_000)) : second.validation
        let interval = max(1, steps / 10)
        let before = base.model.meanLoss(on: scored, steps: block)
        let pretrainBefore = base.model.meanLoss(on: base.scoredValidation, steps: block)
        let rateShape = lab.schedule == .constant ? "a constant η" : "η annealed by a cosine to 0"
        let warmup = lab.warmupSteps > 0 ? " after \(lab.warmupSteps) warm-up steps" : ""
        Log.info(String(format: "== SFT on %@: %d steps of %d × %d, AdamW at %@%@ (full %g, LoRA %g); validation loss before %.4f ==",
                        second.name, steps, batch, block, rateShape, warmup, rates[.full]!, rates[.lora]!, before))

        var outcomes: [FineTuningMode: Outcome] = [:]
        for mode in [FineTuningMode.full, .lora] {
            let run = try FineTuningRun(base: base.model, mode: mode, targets: lab.targetNames,
                                        configuration: LoRAConfiguration(rank: lab.rank, alpha: lab.alpha),
                                        settings: .fineTuning(learningRate: rates[mode]!, schedule: lab.schedule, steps: steps,
                                                              warmupSteps: lab.warmupSteps),
                                        seed: settings.seed)
            var outcome = Outcome(run: run, evaluations: [(0, before)])
            var progress = GPTProgress(dataGenerator: RandomGenerator(seed: settings.seed))   // the same batches for both
            let bar = ProgressBar(total: steps, label: mode == .full ? "full fine-tune" : "LoRA")
            for step in 1...steps {
                let begin = Stopwatch.now()
                let loss = try run.trainer.train(on: second.train, batch: batch, progress: &progress)
                outcome.stepSeconds.append(Stopwatch.now() - begin)
                outcome.stepLosses.append(loss)
                bar.update(completed: step, metrics: [("loss", Double(loss))])
                if step % interval == 0 || step == steps {
                    outcome.evaluations.append((step, run.model.meanLoss(on: scored, steps: block)))
                }
            }
            bar.finish()
            outcome.pretrainValidationLoss = run.model.meanLoss(on: base.scoredValidation, steps: block)
            Log.info(String(format: "%@: %.2f%% of the parameters trainable, %.1f ms per step; validation loss %.4f, pre-training validation loss %.4f → %.4f",
                            mode.rawValue, 100 * run.trainableFraction, 1000 * outcome.medianStepSeconds,
                            outcome.evaluations.last!.loss, pretrainBefore, outcome.pretrainValidationLoss))
            outcomes[mode] = outcome
        }
        let full = outcomes[.full]!, lora = outcomes[.lora]!
        let adapters = lora.run.lora!

        // Merged and unmerged give the same logits; the adapters alone go to their own file.
        let probe = Array(second.validation.prefix(2 * block))
        let unmerged = noGrad { lora.run.model(probe, batch: 2, steps: block).value.scalars }
        adapters.merge()
        let merged = noGrad { lora.run.model(probe, batch: 2, steps: block).value.scalars }
        adapters.unmerge()
        let restored = noGrad { lora.run.model(probe, batch: 2, steps: block).value.scalars } == unmerged   // W₀ back bit for bit
        let mergeDifference = zip(unmerged, merged).map { Double(abs($0 - $1)) }.max() ?? 0
        // Norm-wise relative: ‖Δ‖∞ / ‖logits‖∞ (x·(W₀ + sBA) and x·W₀ + s(xA)B round differently, about one
        // float32 ulp per layer, which four layers of LayerNorm and attention carry to the logits).
        let mergeScaledDifference = mergeDifference / Double(unmerged.map { abs($0) }.max() ?? 1)
        let adapterPath = settings.out.appendingPathComponent("adapters.safetensors")
        try adapters.save(to: adapterPath.path)
        files.append(adapterPath.path)
        let adapterBytes = (try FileManager.default.attributesOfItem(atPath: adapterPath.path)[.size] as? Int) ?? 0
        let gap = lora.evaluations.last!.loss - full.evaluations.last!.loss
        let stepRatio = lora.medianStepSeconds / full.medianStepSeconds
        Log.info(String(format: "LoRA − full validation loss: %+.4f; LoRA step / full step: %.2f; merged vs unmerged logits differ by at most %.2g (%.2g of the largest logit), unmerged again %@; adapters: %d bytes (%@)",
                        gap, stepRatio, mergeDifference, mergeScaledDifference,
                        restored ? "identical" : "different", adapterBytes, adapterPath.path))
        let sample = try base.decode(lora.run.model.generate(prompt: Array(second.validation.prefix(8)), count: settings.quick ? 80 : 240,
                                                              settings: SamplingSettings(temperature: 0.8), seed: settings.seed))
        Log.info("LoRA sample (temperature 0.8):\n" + sample)

        report.setMetric("trainable_fraction", lora.run.trainableFraction)
        report.setMetric("trainable_params", JSONValue(adapters.parameterCount))
        report.setMetric("total_params", JSONValue(lora.run.model.parameterCount))
        report.setMetric("val_loss", lora.evaluations.last!.loss)
        report.setMetric("val_loss_full", full.evaluations.last!.loss)
        report.setMetric("val_loss_before", before)
        report.setMetric("val_loss_gap_lora_minus_full", gap)
        report.setMetric("pretrain_val_loss_before", pretrainBefore)
        report.setMetric("pretrain_val_loss_after_lora", lora.pretrainValidationLoss)
        report.setMetric("pretrain_val_loss_after_full", full.pretrainValidationLoss)
        report.setMetric("step_seconds_lora", lora.medianStepSeconds)
        report.setMetric("step_seconds_full", full.medianStepSeconds)
        report.setMetric("step_time_ratio_lora_over_full", stepRatio)
        report.setMetric("merged_max_abs_difference", mergeDifference)
        report.setMetric("merged_max_scaled_difference", mergeScaledDifference)
        report.set("unmerge_restores_logits_exactly", .bool(restored))
        report.setMetric("adapter_file_bytes", JSONValue(adapterBytes))
        report.setMetric("steps", JSONValue(steps))
        report.setMetric("learning_rate_full", Double(rates[.full]!))
        report.setMetric("learning_rate_lora", Double(rates[.lora]!))
        report.set("schedule", .string(lab.schedule.rawValue))
        report.setMetric("warmup_steps", JSONValue(lab.warmupSteps))
        report.set("corpus", .string(second.name))
        report.set("targets", JSONValue(adapters.targetNames))   // all-linear spelled out
        report.set("sample", .string(sample))

        var chart = LineChart(title: "Fine-tuning on \(second.name)", xLabel: "step", yLabel: "cross-entropy (nats per character)")
        chart.addSeries("full: batch", y: full.stepLosses.map(Double.init), firstX: 1)
        chart.addSeries("LoRA: batch", y: lora.stepLosses.map(Double.init), firstX: 1)
        chart.addSeries("full: validation", x: full.evaluations.map { Double($0.step) }, y: full.evaluations.map(\.loss))
        chart.addSeries("LoRA: validation", x: lora.evaluations.map { Double($0.step) }, y: lora.evaluations.map(\.loss))
        try settings.write("loss_curves.png", files: &files) { try chart.write(to: $0) }
        let bars = BarChart(labels: ["full", "LoRA r=\(lab.rank)"], values: [1000 * full.medianStepSeconds, 1000 * lora.medianStepSeconds],
                            title: "Time per step", valueLabel: "ms")
        try settings.write("step_time.png", files: &files) { try bars.write(to: $0) }
    }
}
