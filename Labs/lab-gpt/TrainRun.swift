// Training the W12 GPT on characters (nanoGPT's train.py for the CPU "baby"
// model): each step draws 12 random windows of 64 characters, and the model is
// scored on predicting each next character,
//     L = −(1/(12·64)) Σ log p(x_{t+1} | x₁ … x_t)     nats per character
// (ln 65 ≈ 4.17 for a uniform guess on Shakespeare's 65 characters; PyTorch
// reaches about 1.70 after the 2 000-step schedule). Every --eval-interval
// steps: the mean loss on the validation split and on as many training
// windows, then a checkpoint. Resuming continues the run exactly.
import Foundation
import GPT
import LabKit
import NN

struct TrainRun {
    let lab: LabGPT
    let settings: TourSettings
    let checkpoint: String

    func run(report: inout JSONReport, files: inout [String]) throws {
        let quick = settings.quick
        var optimisation = GPTTrainingSettings()
        var configuration: GPTConfiguration?
        let corpus: CharCorpus
        if lab.resume {
            let header = try GPTCheckpoint.header(at: checkpoint)
            optimisation = header.settings
            configuration = header.configuration
            corpus = try CharCorpus.load(forCheckpoint: header.extra, path: checkpoint)
        } else {
            corpus = try CharCorpus.load()
        }
        report.data = corpus.source
        let steps = lab.steps ?? (lab.resume ? optimisation.decaySteps : (quick ? 60 : 2_000))
        if !lab.resume {
            optimisation.decaySteps = steps
            optimisation.warmupSteps = Swift.min(100, steps / 10)
            if let rate = lab.learningRate {
                optimisation.learningRate = rate
                optimisation.minimumLearningRate = rate / 10
            }
        }
        let model = GPTModel(configuration ?? .w12(vocabularySize: corpus.vocabulary.count), seed: settings.seed)
        let trainer = GPTTrainer(model: model, settings: optimisation)
        var progress = GPTProgress(dataGenerator: RandomGenerator(seed: settings.seed))
        if lab.resume {
            progress = try trainer.load(from: checkpoint)
            Log.info("resumed \(checkpoint) at step \(progress.step)")
        }
        guard progress.step < steps else {
            throw LabGPTError("\(checkpoint) is already at step \(progress.step) ≥ --steps \(steps): nothing to train (ask for more --steps)")
        }
        let interval = lab.evalInterval ?? (quick ? 20 : 250)
        let batch = lab.batchSize, block = model.configuration.blockSize
        let scoredValidation = quick ? Array(corpus.validation.prefix(10_000)) : corpus.validation
        let scoredTrain = Array(corpus.train.prefix(scoredValidation.count))
        Log.info("== GPT: \(model.configuration.layerCount) layers, \(model.configuration.headCount) heads, C \(model.configuration.embeddingSize), block \(block), \(corpus.vocabulary.count) characters, \(model.parameterCount) parameters; \(steps) steps of \(batch) × \(block), AdamW η = \(optimisation.learningRate), warm-up \(optimisation.warmupSteps), cosine to step \(optimisation.decaySteps) ==")

        let bar = ProgressBar(total: steps, label: "training")
        var trainingSeconds = 0.0, trainedSteps = 0
        while progress.step < steps {
            let begin = Stopwatch.now()
            let loss = try trainer.train(on: corpus.train, batch: batch, progress: &progress)
            trainingSeconds += Stopwatch.now() - begin
            trainedSteps += 1
            let tokensPerSecond = Double(trainedSteps * batch * block) / trainingSeconds
            bar.update(completed: progress.step, metrics: [("loss", Double(loss)), ("tok/s", tokensPerSecond)])
            if progress.step % interval == 0 || progress.step == steps {
                progress.evaluations.append(GPTEvaluation(step: progress.step, trainLoss: model.meanLoss(on: scoredTrain, steps: block),
                                                          validationLoss: model.meanLoss(on: scoredValidation, steps: block)))
                try trainer.save(to: checkpoint, progress: progress, extra: corpus.metadata)
            }
        }
        bar.finish()
        let last = progress.evaluations.last!   // the last step always evaluates
        let tokensPerSecond = trainedSteps > 0 ? Double(trainedSteps * batch * block) / trainingSeconds : 0
        Log.info(String(format: "validation loss after %d steps: %.4f nats per character (perplexity %.2f); %.0f tokens/s in training",
                        last.step, last.validationLoss, exp(last.validationLoss), tokensPerSecond))
        Log.info("checkpoint: \(checkpoint)")

        let sample = try Sampling.sample(model, corpus: corpus, prompt: corpus.defaultPrompt, count: quick ? 120 : 500,
                                         settings: SamplingSettings(temperature: 0.8), seed: settings.seed)
        Log.info("sample (temperature 0.8):\n" + sample)
        report.setMetric("val_loss", last.validationLoss)
        report.setMetric("steps", JSONValue(last.step))
        report.setMetric("val_perplexity", exp(last.validationLoss))
        report.setMetric("train_loss_last50", Double(progress.stepLosses.suffix(50).reduce(0, +)) / Double(Swift.min(50, progress.stepLosses.count)))
        report.setMetric("tokens_per_s", tokensPerSecond)
        report.setMetric("val_loss_curve", JSONValue(progress.evaluations.map(\.validationLoss)))
        report.setMetric("eval_steps", JSONValue(progress.evaluations.map(\.step)))
        report.set("checkpoint", .string(checkpoint))
        report.set("sample", .string(sample))
        try settings.write("sample.txt", files: &files) { try (sample + "\n").write(to: $0, atomically: true, encoding: .utf8) }

        var chart = LineChart(title: "GPT on characters: loss", xLabel: "step", yLabel: "cross-entropy (nats per character)")
        chart.addSeries("training batch", y: progress.stepLosses.map(Double.init), firstX: 1)
        chart.addSeries("training (mean)", x: progress.evaluations.map { Double($0.step) }, y: progress.evaluations.map(\.trainLoss))
        chart.addSeries("validation", x: progress.evaluations.map { Double($0.step) }, y: progress.evaluations.map(\.validationLoss))
        try settings.write("loss_curve.png", files: &files) { try chart.write(to: $0) }
        try AttentionMap.write(model, corpus: corpus, sentence: corpus.defaultSentence, layer: lab.layer, head: lab.head,
                               settings: settings, files: &files)
    }
}
