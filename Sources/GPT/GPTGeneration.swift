// Generating text from a GPT, and measuring how well it predicts a text.
//
// generate: feed the prompt, then repeat: take the last position's logits,
// choose a token (NN's TokenSampler: greedy, temperature, top-k, top-p, from
// one seeded generator), append it, feed it.
//   without a cache  every step runs the full forward on the last blockSize
//                    tokens (nanoGPT's crop) and keeps one row of logits;
//   with the cache   every step feeds one token (KVCache.swift). When the
//                    cache is full (blockSize positions), it is emptied and
//                    re-filled with the last blockSize/2 tokens in one pass,
//                    then grows one token at a time again: the context is
//                    always between half a block and a block long, and the
//                    re-fill costs one half-block forward every blockSize/2
//                    tokens, still far less than a full forward per token.
// The two agree token for token while the text fits in a block; past it they
// see different contexts (a sliding window of blockSize vs. half to full).
//
// perplexity = exp(mean cross-entropy per token): the number of equally likely
// tokens the model is, on average, choosing among (V for a model that knows
// nothing, 1 for one that is always sure and right).

import Autograd
import Foundation
import LabKit
import NN
import Tensor

extension GPTModel {
    /// `count` tokens generated after `prompt` (the prompt not included), drawn under `settings` from `seed`.
    /// Only the last blockSize tokens of a longer prompt are seen. Throws `SamplingError` for an
    /// empty prompt or bad settings; trap on token ids outside the vocabulary (as the embedding does).
    public func generate(prompt: [Int], count: Int, settings: SamplingSettings = SamplingSettings(),
                         seed: UInt64 = 0, useCache: Bool = true) throws -> [Int] {
        guard !prompt.isEmpty else { throw SamplingError.emptyPrompt }
        try settings.validate()
        precondition(count >= 0, "GPTModel.generate: count must be ≥ 0, got \(count)")
        let block = configuration.blockSize, vocabulary = configuration.vocabularySize
        var generator = RandomGenerator(seed: seed)
        var sequence = prompt
        var generated: [Int] = []
        generated.reserveCapacity(count)
        let decoder = KVCacheDecoder(model: self)
        /// The logits of every position of `window` by a full forward (the path without a cache).
        func recomputed(_ window: [Int]) -> Tensor {
            noGrad { self(window, batch: 1, steps: window.count).value.reshaped([window.count, vocabulary]) }
        }
        var logits = useCache ? decoder.append(Array(prompt.suffix(block))) : recomputed(Array(prompt.suffix(block)))
        while generated.count < count {
            let last = logits.shape[0] - 1
            let row = Array(logits.scalars[last * vocabulary..<(last + 1) * vocabulary])
            let next = try TokenSampler.sample(logits: row, settings: settings, using: &generator)
            generated.append(next)
            sequence.append(next)
            if generated.count == count { break }
            if !useCache {
                logits = recomputed(Array(sequence.suffix(block)))
            } else if decoder.count == decoder.capacity {   // full: re-fill from the last half block
                decoder.reset()
                logits = decoder.append(Array(sequence.suffix(block / 2)))
            } else {
                logits = decoder.append([next])
            }
        }
        return generated
    }

    /// exp(mean cross-entropy per token) of predicting each token of `tokens` from the ones before it,
    /// over non-overlapping windows of blockSize tokens.
    public func perplexity(of tokens: [Int]) -> Double {
        precondition(tokens.count >= 2, "GPTModel.perplexity: need at least 2 tokens, got \(tokens.count)")
        return exp(meanLoss(on: tokens, steps: Swift.min(configuration.blockSize, tokens.count - 1)))
    }
}
