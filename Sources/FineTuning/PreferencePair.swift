// A preference pair: one prompt and two continuations of it, the chosen y_w
// preferred to the rejected y_l. DPO and the reward model read pairs in
// batches whose continuations all have one length, scored as prompt ++ y.

import Autograd
import Tensor

/// A prompt and two continuations, `chosen` preferred to `rejected`.
public struct PreferencePair: Sendable, Equatable, Codable {
    /// x, the token ids both continuations follow.
    public var prompt: [Int]
    /// y_w, the preferred continuation (token ids after the prompt).
    public var chosen: [Int]
    /// y_l, the other continuation. Within a batch every chosen and rejected continuation has one
    /// length, and every prompt another (``ScoredSequences``).
    public var rejected: [Int]

    /// A pair preferring `chosen` to `rejected` after `prompt`.
    public init(prompt: [Int], chosen: [Int], rejected: [Int]) {
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
    }
}

extension Array where Element == PreferencePair {
    /// prompt ++ chosen for every pair, then prompt ++ rejected for every pair: one batch of 2N sequences.
    public var chosenThenRejected: ScoredSequences {
        precondition(!isEmpty, "preference pairs: an empty batch")
        let promptLength = self[0].prompt.count
        precondition(allSatisfy { $0.prompt.count == promptLength },
                     "preference pairs: every prompt of a batch must have the same length (\(promptLength))")
        return ScoredSequences(sequences: map { $0.prompt + $0.chosen } + map { $0.prompt + $0.rejected },
                               promptLength: promptLength)
    }

    /// Scores every pair's chosen and rejected sequence with `score`, which gets one
    /// `chosenThenRejected` batch of at most `batchSize` pairs and returns 2N numbers;
    /// no graph is recorded.
    func scoresInBatches(of batchSize: Int, _ score: (ScoredSequences) -> Tensor) -> (chosen: Tensor, rejected: Tensor) {
        precondition(!isEmpty && batchSize > 0, "preference pairs: nothing to score")
        var chosen: [Float] = [], rejected: [Float] = []
        noGrad {
            for start in stride(from: 0, to: count, by: batchSize) {
                let part = Array(self[start..<Swift.min(start + batchSize, count)])
                let scores = score(part.chosenThenRejected).scalars
                chosen += scores[0..<part.count]
                rejected += scores[part.count...]
            }
        }
        return (Tensor(chosen), Tensor(rejected))
    }
}
