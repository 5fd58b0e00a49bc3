// The pretrained model every lab-finetune mode starts from: a lab-gpt
// checkpoint given with --base, or else W12's recipe (GPTTrainer, warm-up and
// cosine decay, batch 12 × 64) trained here for --pretrain-steps on the lab's
// corpus (tiny Shakespeare, or the project's own text when it is absent) and
// saved as <out>/base-<steps>-seed<seed>-<corpus>.safetensors, a lab-gpt
// checkpoint that the next mode reuses instead of training again (one file per
// corpus, so a base learnt from the built-in text never stands in for one
// learnt from Shakespeare).
import Foundation
import GPT
import LabKit
import NN

struct PretrainedBase {
    let model: GPTModel
    let corpus: CharCorpus
    let path: String
    /// The pre-training corpus's validation tokens that are scored (the first 10 000 with --quick).
    let scoredValidation: [Int]

    static func load(lab: LabFineTune, settings: TourSettings) throws -> PretrainedBase {
        let steps = lab.pretrainSteps ?? (settings.quick ? 100 : 1_200)
        let path = lab.base ?? settings.out.appendingPathComponent("base-\(steps)-seed\(settings.seed)-\(CharCorpus.availableKind.rawValue).safetensors").path
        let model: GPTModel, corpus: CharCorpus
        if FileManager.default.fileExists(atPath: path) {
            let header = try GPTCheckpoint.header(at: path)
            corpus = try CharCorpus.load(forCheckpoint: header.extra, path: path)
            model = GPTModel(header.configuration, seed: settings.seed)
            let progress = try GPTTrainer(model: model, settings: header.settings).load(from: path)
            Log.info("base: \(path), \(progress.step) steps of pre-training")
        } else {
            guard lab.base == nil else { throw LabFineTuneError("--base \(path): no such file") }
            corpus = try CharCorpus.load()
            model = GPTModel(.w12(vocabularySize: corpus.vocabulary.count), seed: settings.seed)
            var optimisation = GPTTrainingSettings()
            optimisation.decaySteps = max(steps, 2_000 * steps / 1_200)   // W13's base: 1 200 steps of the 2 000-step schedule
            optimisation.warmupSteps = min(100, steps / 10)
            let trainer = GPTTrainer(model: model, settings: optimisation)
            var progress = GPTProgress(dataGenerator: RandomGenerator(seed: settings.seed))
            let bar = ProgressBar(total: steps, label: "pre-training the base")
            while progress.step < steps {
                let loss = try trainer.train(on: corpus.train, batch: 12, progress: &progress)
                bar.update(completed: progress.step, metrics: [("loss", Double(loss))])
            }
            bar.finish()
            try trainer.save(to: path, progress: progress, extra: corpus.metadata)
            Log.info("base: pre-trained \(steps) steps on \(corpus.source), saved to \(path)")
        }
        let scored = settings.quick ? Array(corpus.validation.prefix(10_000)) : corpus.validation
        return PretrainedBase(model: model, corpus: corpus, path: path, scoredValidation: scored)
    }

    func decode(_ tokens: [Int]) -> String { corpus.vocabulary.decode(tokens) }
}
