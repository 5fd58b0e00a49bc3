// The log-likelihood of a continuation under a language model.
//
// A sequence s = prompt ++ continuation of n tokens is scored by feeding
// s[0 ..< n_s − 1] and reading, at each position, the log-probability of the
// token that follows:
//   log π(y | x) = Σ_{t ∈ continuation} log softmax(logits_(t−1))[s_t]
// The prompt's own tokens are not counted (they are given, not chosen), so the
// sum runs over the continuation only. DPO compares these sums between the
// policy and the frozen reference; they are sums, not means, as in the paper.

import Autograd
import GPT
import Tensor

/// Sequences of one length that share a prompt length: a batch for scoring.
public struct ScoredSequences: Sendable {
    /// Every sequence, prompt then continuation, each `length` tokens long.
    public var sequences: [[Int]]
    /// How many tokens at the start of each sequence are the prompt (≥ 1).
    public var promptLength: Int

    /// A batch of `sequences`, all of one length, whose first `promptLength` tokens are the prompt
    /// (at least one token of prompt and one of continuation).
    public init(sequences: [[Int]], promptLength: Int) {
        precondition(!sequences.isEmpty, "ScoredSequences: no sequences")
        let length = sequences[0].count
        precondition(sequences.allSatisfy { $0.count == length },
                     "ScoredSequences: every sequence must have the same length (\(length))")
        precondition(promptLength >= 1 && promptLength < length,
                     "ScoredSequences: the prompt length \(promptLength) must be in 1..<\(length)")
        self.sequences = sequences
        self.promptLength = promptLength
    }

    /// The length of every sequence, prompt included.
    public var length: Int { sequences[0].count }
}

extension GPTModel {
    /// log π(continuation | prompt) for each sequence: a vector of one number per sequence.
    public func continuationLogProbabilities(_ batch: ScoredSequences) -> Variable {
        let count = batch.sequences.count, steps = batch.length - 1
        precondition(steps <= configuration.blockSize,
                     "continuationLogProbabilities: sequences of \(batch.length) tokens need a block of \(steps), the model's is \(configuration.blockSize)")
        let inputs = batch.sequences.flatMap { $0.dropLast() }
        let targets = batch.sequences.flatMap { $0.dropFirst() }
        let logits = self(inputs, batch: count, steps: steps).reshaped([count * steps, configuration.vocabularySize])
        let perToken = logits.targetLogProbabilities(targets).reshaped([count, steps])   // log π(s_t | s_<t), t = 1 … steps
        let counted = batch.promptLength - 1                                                 // targets before it are prompt tokens
        let continuation = counted == 0 ? perToken : perToken.slice(axis: 1, counted..<steps)
        return continuation.sum(axis: 1)                                                     // (count)
    }
}
