// lab-gpt: phase 5's mini-GPT (nanoGPT's "baby" model, W12) trained on tiny
// Shakespeare, or on the project's own documentation and sources when the data
// set is absent, one character per token.
//
//   swift run -c release lab-gpt [train|sample|eval] [options]
//
//   train   AdamW with warm-up and cosine decay, evaluation every
//           --eval-interval steps, a checkpoint at each evaluation
//           (--checkpoint, default <out>/gpt.safetensors; --resume continues
//           it); writes the loss curves, an attention heat map, a sample and
//           report.json (val_loss, steps, tokens_per_s)
//   sample  generates --tokens characters after --prompt from a checkpoint,
//           with --temperature, --top-k and --top-p (seeded), with the KV
//           cache unless --no-cache; prints tokens/s
//   eval    validation loss and perplexity of a checkpoint (or of --text FILE),
//           and the attention heat map of --layer/--head for --sentence
import ArgumentParser
import Foundation
import GPT
import LabKit
import NN

@main
struct LabGPT: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab-gpt",
        abstract: "Phase 5: a mini-GPT trained from scratch on characters; sampling with a KV cache; evaluation.")

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case train, sample, eval
    }

    @Argument(help: "What to do: \(Mode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var mode: Mode = .train

    @OptionGroup var common: LabOptions

    @Option(help: "Checkpoint file (default: <out>/gpt.safetensors).")
    var checkpoint: String?

    @Flag(help: "train: continue from --checkpoint.")
    var resume = false

    @Option(help: "train: optimizer steps (default 2000, the W12 schedule; --quick 60).")
    var steps: Int?

    @Option(help: "train: steps between evaluations and checkpoints (default 250; --quick 20).")
    var evalInterval: Int?

    @Option(help: "train: peak learning rate (default 1e-3).")
    var learningRate: Float?

    @Option(help: "train: windows of 64 characters per batch (default 12).")
    var batchSize: Int = 12

    @Option(help: "sample: the text to continue (default: \"ROMEO:\" or the corpus's first line).")
    var prompt: String?

    @Option(help: "sample: characters to generate.")
    var tokens: Int = 500

    @Option(help: "sample: temperature; 0 is greedy.")
    var temperature: Float = 0.8

    @Option(help: "sample: keep only the k most likely characters.")
    var topK: Int?

    @Option(help: "sample: keep the smallest set of characters whose probability reaches p.")
    var topP: Float?

    @Flag(help: "sample: recompute the whole window for every token instead of using the KV cache.")
    var noCache = false

    @Option(help: "eval: a text file to measure (default: the validation split).")
    var text: String?

    @Option(help: "eval: the sentence whose attention is drawn (default: one from the corpus).")
    var sentence: String?

    @Option(help: "train/eval: the layer whose attention is drawn (default: the last).")
    var layer: Int?

    @Option(help: "train/eval: the head whose attention is drawn.")
    var head: Int = 0

    func validate() throws {
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1, got \(steps)") }
        if let evalInterval, evalInterval < 1 { throw ValidationError("--eval-interval must be at least 1, got \(evalInterval)") }
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
            throw ValidationError("--learning-rate must be a positive number, got \(learningRate)")
        }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        if tokens < 1 { throw ValidationError("--tokens must be at least 1, got \(tokens)") }
        do { try samplingSettings.validate() } catch { throw ValidationError("\(error)") }
        if let layer, layer < 0 { throw ValidationError("--layer must be ≥ 0, got \(layer)") }
        if head < 0 { throw ValidationError("--head must be ≥ 0, got \(head)") }
        if resume && mode != .train { throw ValidationError("--resume applies to train only") }
    }

    var samplingSettings: SamplingSettings { SamplingSettings(temperature: temperature, topK: topK, topP: topP) }

    func run() throws {
        common.applyThreads()
        let start = Stopwatch.now()
        let out = try common.outputDirectory(lab: "gpt")
        let settings = TourSettings(seed: common.seed, quick: common.quick, out: out)
        let checkpointPath = checkpoint ?? out.appendingPathComponent("gpt.safetensors").path
        var report = JSONReport(lab: "gpt", mode: mode.rawValue, seed: common.seed)
        var files: [String] = []
        switch mode {
        case .train: try TrainRun(lab: self, settings: settings, checkpoint: checkpointPath).run(report: &report, files: &files)
        case .sample: try SampleRun(lab: self, checkpoint: checkpointPath).run(report: &report, files: &files, settings: settings)
        case .eval: try EvalRun(lab: self, settings: settings, checkpoint: checkpointPath).run(report: &report, files: &files)
        }
        try report.finish(in: out, startedAt: start, files: files)
    }
}

/// A run that cannot go on (a missing corpus, a checkpoint of the wrong kind, nothing left to train).
struct LabGPTError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
