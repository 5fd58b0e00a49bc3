// lab-gpt's sample and eval modes, on a checkpoint written by train.
//
// sample: the prompt's characters, then --tokens more drawn one at a time
// (temperature, top-k, top-p; seeded), with the KV cache or, with --no-cache,
// a full forward of the last 64 characters per token.
// eval: the mean cross-entropy L per character and the perplexity e^L on the
// validation split or a given text.
import Foundation
import GPT
import LabKit
import NN

/// A checkpoint's model and the corpus it was trained on, with its saved vocabulary.
func loadTrained(_ checkpoint: String, seed: UInt64) throws -> (GPTModel, CharCorpus) {
    let header = try GPTCheckpoint.header(at: checkpoint)
    let corpus = try CharCorpus.load(forCheckpoint: header.extra, path: checkpoint)
    let model = GPTModel(header.configuration, seed: seed)
    _ = try GPTTrainer(model: model, settings: header.settings).load(from: checkpoint)
    Log.info("model: \(checkpoint) (\(model.parameterCount) parameters)")
    return (model, corpus)
}

enum Sampling {
    /// `prompt` followed by `count` generated characters.
    static func sample(_ model: GPTModel, corpus: CharCorpus, prompt: String, count: Int, settings: SamplingSettings,
                       seed: UInt64, useCache: Bool = true) throws -> String {
        let ids = try corpus.vocabulary.encode(prompt)
        return prompt + corpus.vocabulary.decode(try model.generate(prompt: ids, count: count, settings: settings,
                                                                    seed: seed, useCache: useCache))
    }
}

struct SampleRun {
    let lab: LabGPT
    let checkpoint: String

    func run(report: inout JSONReport, files: inout [String], settings: TourSettings) throws {
        let (model, corpus) = try loadTrained(checkpoint, seed: settings.seed)
        report.data = corpus.source
        let prompt = lab.prompt ?? corpus.defaultPrompt
        var text = ""
        let seconds = try Stopwatch.time {
            text = try Sampling.sample(model, corpus: corpus, prompt: prompt, count: lab.tokens, settings: lab.samplingSettings,
                                       seed: settings.seed, useCache: !lab.noCache)
        }
        print(text)
        Log.info(String(format: "%d characters in %.3f s: %.0f tokens/s (%@)", lab.tokens, seconds, Double(lab.tokens) / seconds,
                        lab.noCache ? "no cache" : "KV cache"))
        report.setMetric("tokens_per_s", Double(lab.tokens) / seconds)
        report.set("sample", .string(text))
        report.set("kv_cache", .bool(!lab.noCache))
        try settings.write("sample.txt", files: &files) { try (text + "\n").write(to: $0, atomically: true, encoding: .utf8) }
    }
}

struct EvalRun {
    let lab: LabGPT
    let settings: TourSettings
    let checkpoint: String

    func run(report: inout JSONReport, files: inout [String]) throws {
        let (model, corpus) = try loadTrained(checkpoint, seed: settings.seed)
        let tokens: [Int]
        if let path = lab.text {
            tokens = try corpus.vocabulary.encode(try CharVocabulary.readText(path: path))
            report.data = path
        } else {
            tokens = corpus.validation
            report.data = corpus.source + " (validation split)"
        }
        guard tokens.count > model.configuration.blockSize else {
            throw LabGPTError("the text has \(tokens.count) characters; it needs more than one block (\(model.configuration.blockSize))")
        }
        let loss = model.meanLoss(on: tokens, steps: model.configuration.blockSize)
        Log.info(String(format: "loss %.4f nats per character, perplexity %.2f, over %d characters", loss, exp(loss), tokens.count))
        report.setMetric("val_loss", loss)
        report.setMetric("perplexity", exp(loss))
        report.setMetric("characters", JSONValue(tokens.count))
        try AttentionMap.write(model, corpus: corpus, sentence: lab.sentence ?? corpus.defaultSentence, layer: lab.layer,
                               head: lab.head, settings: settings, files: &files)
    }
}
