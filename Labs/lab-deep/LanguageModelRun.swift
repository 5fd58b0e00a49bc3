// Training a character-level language model on tiny Shakespeare.
//
// Each step draws 32 random windows of 64 characters; the network reads
// x₁ … x₆₄ and is scored on predicting x₂ … x₆₅, the mean cross-entropy
//     L = −(1/64·32) Σ log p(x_{t+1} | x₁ … x_t)
// in nats per character (ln 65 ≈ 4.17 for a uniform guess over the 65
// characters; the PyTorch run of W11 reaches about 1.60 on the validation
// tenth after 2 000 steps). Then the model writes text: starting from a
// prompt it samples one character at a time from softmax(logits / T).
// With --checkpoint FILE the run is saved every --checkpoint-every steps and at
// the end (LanguageModelTrainer); --resume continues it exactly.
import DeepLearning
import Foundation
import LabKit

struct LanguageModelRun {
    let lab: LabDeep
    let settings: TourSettings

    func run(report: inout JSONReport, files: inout [String]) throws {
        let text: String
        if let path = DataLocator.standard.file("tinyshakespeare/input.txt") {
            text = try CharVocabulary.readText(path: path)
            report.data = path
            Log.info("data: tiny Shakespeare (\(path)), \(text.unicodeScalars.count) characters")
        } else {
            text = String(repeating: Self.fallbackText, count: 40)
            report.data = "built-in text"
            Log.info("data: built-in text (tinyshakespeare/input.txt not found; set MLLAB_DATA to use it)")
        }
        let vocabulary = CharVocabulary(text: text)
        let (train, validation) = CharVocabulary.split(try vocabulary.encode(text))
        let steps = lab.steps ?? (settings.quick ? 60 : 2_000)
        let batch = lab.batchSize ?? 32, window = 64
        let learningRate = lab.learningRate ?? 2e-3
        let model = CharLanguageModel(vocabularySize: vocabulary.count, cell: lab.cell, embeddingSize: 64,
                                      hiddenSize: settings.quick ? 64 : 256, seed: settings.seed)
        let trainer = LanguageModelTrainer(model: model, learningRate: learningRate, batch: batch, window: window)
        var progress = trainer.startingProgress(seed: settings.seed)
        if lab.resume, let path = lab.checkpoint, FileManager.default.fileExists(atPath: path) {
            progress = try trainer.load(from: path)
            report.set("resumed_after_step", JSONValue(progress.step))
            Log.info("resuming from \(path) after step \(progress.step)")
        }
        let every = lab.checkpointEvery ?? 100
        Log.info("== character-level \(lab.cell.rawValue.uppercased()): \(vocabulary.count) characters, \(model.parameterCount) parameters, \(steps) steps of \(batch) × \(window), Adam η = \(learningRate)\(lab.checkpoint == nil ? "" : ", a checkpoint every \(every) steps") ==")

        let scored = settings.quick ? Array(validation.prefix(10_000)) : validation
        func evaluate() {
            model.eval()
            progress.evaluations.append(LanguageModelEvaluation(step: progress.step,
                                                                validationLoss: model.meanLoss(on: scored, steps: window)))
            model.train()
        }
        let bar = ProgressBar(total: steps, label: "training")
        let start = Stopwatch.now(), firstStep = progress.step
        model.train()
        while progress.step < steps {
            let loss = try trainer.train(on: train, progress: &progress)
            bar.update(completed: progress.step, metrics: [("loss", Double(loss))])
            if progress.step % 500 == 0 || progress.step == steps { evaluate() }
            if let path = lab.checkpoint, progress.step % every == 0 || progress.step == steps {
                try trainer.save(to: path, progress: progress)
            }
        }
        // A resumed run with no steps left scores the restored weights.
        if progress.evaluations.last?.step != progress.step { evaluate() }
        bar.finish()
        model.eval()
        let seconds = Stopwatch.now() - start
        let charactersPerSecond = Double((progress.step - firstStep) * batch * window) / seconds
        let validationLoss = progress.evaluations.last!.validationLoss
        let losses = progress.stepLosses.map(Double.init)
        Log.info(String(format: "validation loss after %d steps: %.4f nats per character (%.0f characters per second in training)",
                        progress.step, validationLoss, charactersPerSecond))
        // Shakespeare's "ROMEO:" when the text has those letters, else the text's own first line.
        let prompt = (try? vocabulary.encode("ROMEO:")) != nil ? "ROMEO:" : String(text.prefix { $0 != "\n" }.prefix(12))
        let sample = prompt + (try TextSampling.generate(model, vocabulary: vocabulary, prompt: prompt,
                                                         count: settings.quick ? 100 : 400, temperature: 0.8, seed: settings.seed))
        Log.info("sample (temperature 0.8):\n" + sample)

        report.setMetric("val_loss", validationLoss)
        report.setMetric("steps", JSONValue(progress.step))
        report.setMetric("train_loss_last50", losses.suffix(50).reduce(0, +) / Double(Swift.max(1, Swift.min(50, losses.count))))
        report.setMetric("tokens_per_s", charactersPerSecond)
        report.setMetric("val_loss_curve", JSONValue(progress.evaluations.map(\.validationLoss)))
        report.set("sample", .string(sample))
        try settings.write("sample.txt", files: &files) { try (sample + "\n").write(to: $0, atomically: true, encoding: .utf8) }
        var chart = LineChart(title: "Character-level \(lab.cell.rawValue.uppercased()): loss per step", xLabel: "step",
                              yLabel: "cross-entropy (nats per character)")
        chart.addSeries("training batch", y: losses, firstX: 1)
        chart.addSeries("validation", x: progress.evaluations.map { Double($0.step) }, y: progress.evaluations.map(\.validationLoss))
        try settings.write("loss_curve.png", files: &files) { try chart.write(to: $0) }
    }

    /// A few lines to learn from when tiny Shakespeare is absent (repeated, they still show the loss falling).
    static let fallbackText = """
        First Citizen:
        Before we proceed any further, hear me speak.

        All:
        Speak, speak.

        First Citizen:
        You are all resolved rather to die than to famish?

        All:
        Resolved. resolved.

        """
}
