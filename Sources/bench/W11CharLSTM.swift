// W11: a character-level LSTM language model on tiny shakespeare, as
// the PyTorch peer trains it (docs/BENCHMARKS.md, W11): embedding 64, one LSTM
// layer of 256, a linear head; Adam lr 2e-3; each step a batch of 32 random
// windows of 64 characters (nanoGPT's get_batch), targets shifted by one.
// Corpus, chunks and timing: CharCorpusRun (tokens/s = 200·32·64 / median
// chunk); `--long` trains to 2 000 steps (the acceptance figure). Quality: the
// mean cross-entropy over every position of all non-overlapping 64-character
// windows of the validation split.
import Autograd
import Foundation
import LabKit
import NN
import DeepLearning

enum W11CharLSTM {
    static let batch = 32, block = 64

    static func run(threads: Int, quick: Bool, long: Bool, seed: UInt64 = 0) throws -> [BenchRecord] {
        guard let run = try CharCorpusRun(workload: "W11", threads: threads, quick: quick, long: long) else { return [] }
        let model = CharLanguageModel(vocabularySize: run.vocabulary.count, cell: .lstm, embeddingSize: 64,
                                      hiddenSize: 256, seed: seed)
        let optimizer = Adam(model.parameters, learningRate: 2e-3)
        var generator = RandomGenerator(seed: seed)

        model.train()
        let (times, losses) = try run.trainInChunks {
            // One training step on a batch of random windows (x = text[i..<i+64], y = text[i+1...i+64]).
            let (inputs, targets) = TextWindows.sample(from: run.train, batch: batch, steps: block, generator: &generator)
            let loss = model.loss(inputs: inputs, targets: targets, batch: batch, steps: block)
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            return loss.value.item
        }
        model.eval()
        let validationLoss = model.meanLoss(on: run.scoredValidation, steps: block)
        return [run.record(threads: threads, tokensPerStep: batch * block,
                           params: [("batch", .number(Double(batch))), ("block", .number(Double(block)))],
                           times: times, losses: losses, validationLoss: validationLoss,
                           parameterCount: model.parameterCount)]
    }
}
