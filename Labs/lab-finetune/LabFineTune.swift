// lab-finetune: phases 10 and 16 on the mini-GPT: LoRA against full
// fine-tuning, a reward model, and DPO.
//
//   swift run -c release lab-finetune [lora|reward|dpo] [options]
//
//   lora    fine-tunes the pretrained GPT on a second corpus twice, every weight
//           and LoRA adapters only (r, α, targets), for the same steps; writes
//           both loss curves, the trainable fraction, merged = unmerged, step
//           times and the adapters' own file
//   reward  samples pairs of continuations from the base, labels them with the
//           rule "a line ends with a full stop", trains a reward model (GPT body +
//           scalar head, Bradley-Terry) and scores held-out pairs
//   dpo     the same kind of pairs, DPO against the frozen base: loss and reward
//           margins, the rule's rate in samples before and after, the KL from
//           the reference and the pre-training validation loss before and after
// Every mode starts from the base of PretrainedBase.swift and writes PNG plots
// and report.json into --out (default lab-output/finetune).
import ArgumentParser
import Foundation
import FineTuning
import GPT
import LabKit
import NN

@main
struct LabFineTune: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab-finetune",
        abstract: "Phases 10 and 16: LoRA vs full fine-tuning, a reward model and DPO on the mini-GPT.")

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case lora, reward, dpo
    }

    @Argument(help: "What to do: \(Mode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var mode: Mode = .lora

    @OptionGroup var common: LabOptions

    @Option(help: "A lab-gpt checkpoint to start from (default: <out>/base-<steps>-seed<seed>.safetensors, pre-trained here when missing).")
    var base: String?

    @Option(help: "Steps of pre-training for the base when none is given (default 1200; --quick 100).")
    var pretrainSteps: Int?

    @Option(help: "Training steps of the mode (default lora 200, reward 300, dpo 300; --quick 30).")
    var steps: Int?

    @Option(help: "lora: the second corpus, 'ship' (a built-in ship's log in modern prose) or 'upper' (the pre-training text in capitals, W13's).")
    var corpus: String = "ship"

    @Option(help: "lora: the rank r of each adapter.")
    var rank: Int = 8

    @Option(help: "lora: α; updates are scaled by α / r.")
    var alpha: Float = 16

    @Option(help: "lora: comma-separated targets among \(LoRATarget.knownGPTNames.joined(separator: ", ")), or \(LoRATarget.allLinear) for all six.")
    var targets: String = "query,value"

    @Option(help: "dpo: β, how strongly the policy is held to the reference (W14 uses 0.1; at 0.1 the lab's policy drifts far from the base).")
    var beta: Float = 1

    @Option(help: "Learning rate (default lora 1e-3 for the full fine-tune, reward 1e-4, dpo 3e-5).")
    var learningRate: Float?

    @Option(help: "lora: the adapters' learning rate (B starts at zero and only a few numbers move, so LoRA's best rate is several times full fine-tuning's).")
    var loraLearningRate: Float = 1e-2

    @Option(help: "lora: how the rate moves over the run, 'constant' (W13's) or 'cosine' (warm-up, then a cosine to zero at the last step).")
    var schedule: FineTuningSchedule = .constant

    @Option(help: "lora: steps of linear warm-up before the schedule.")
    var warmupSteps: Int = 0

    @Option(help: "reward/dpo: preference pairs per step.")
    var batchSize: Int = 12

    @Option(help: "reward/dpo: preference pairs to sample for training (default 2400; --quick 60).")
    var trainPairs: Int?

    @Option(help: "reward/dpo: held-out preference pairs (default 200; --quick 40).")
    var heldOutPairs: Int?

    func validate() throws {
        for (name, value) in [("--pretrain-steps", pretrainSteps), ("--steps", steps), ("--train-pairs", trainPairs),
                              ("--held-out-pairs", heldOutPairs)] {
            if let value, value < 1 { throw ValidationError("\(name) must be at least 1, got \(value)") }
        }
        if rank < 1 { throw ValidationError("--rank must be at least 1, got \(rank)") }
        if !(alpha > 0 && alpha.isFinite) { throw ValidationError("--alpha must be a positive number, got \(alpha)") }
        if !(beta > 0 && beta.isFinite) { throw ValidationError("--beta must be a positive number, got \(beta)") }
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
            throw ValidationError("--learning-rate must be a positive number, got \(learningRate)")
        }
        if !(loraLearningRate > 0 && loraLearningRate.isFinite) {
            throw ValidationError("--lora-learning-rate must be a positive number, got \(loraLearningRate)")
        }
        if warmupSteps < 0 { throw ValidationError("--warmup-steps must be at least 0, got \(warmupSteps)") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        if !SecondCorpus.names.contains(corpus) {
            throw ValidationError("--corpus must be one of \(SecondCorpus.names.joined(separator: ", ")), got '\(corpus)'")
        }
        do { _ = try LoRATarget.gpt(targetNames, embeddingSize: 128) } catch { throw ValidationError("--targets: \(error)") }
    }

    var targetNames: [String] { targets.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func run() throws {
        common.applyThreads()
        let start = Stopwatch.now()
        let out = try common.outputDirectory(lab: "finetune")
        let settings = TourSettings(seed: common.seed, quick: common.quick, out: out)
        var report = JSONReport(lab: "finetune", mode: mode.rawValue, seed: common.seed)
        var files: [String] = []
        let base = try PretrainedBase.load(lab: self, settings: settings)
        report.data = base.corpus.source
        report.set("base", .string(base.path))
        switch mode {
        case .lora: try LoRARun(lab: self, settings: settings, base: base).run(report: &report, files: &files)
        case .reward: try RewardRun(lab: self, settings: settings, base: base).run(report: &report, files: &files)
        case .dpo: try DPORun(lab: self, settings: settings, base: base).run(report: &report, files: &files)
        }
        try report.finish(in: out, startedAt: start, files: files)
    }
}

/// A run that cannot go on (a missing base, a corpus the base cannot read).
struct LabFineTuneError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension FineTuningSchedule: ExpressibleByArgument {}
