// Preference pairs made by corrupting text (W14's synthetic pairs): the real
// continuation of a text is preferred to the same continuation with some of its
// tokens changed.
//   prompt   = the token at a random position i
//   chosen   = the next L tokens, text[i+1 … i+L]
//   rejected = chosen with each token, with probability p (15%), replaced by a
//              different one: (t + s) mod V, s uniform in 1 … V−1
// A pretrained model already prefers most chosen continuations (they are real
// text); DPO has to widen that gap without leaving the reference.

import Tensor

/// Preference pairs made by corrupting real text: the true continuation is chosen, a copy with some
/// tokens changed is rejected (W14's synthetic pairs).
public enum CorruptedTextPairs {
    /// `count` pairs drawn from `tokens` (ids below `vocabularySize`) with `generator`.
    ///
    /// Each prompt is one token at a random place, `chosen` the `length` tokens after it (default 64,
    /// W14's), and `rejected` the same tokens with each one changed, with probability `corruption`
    /// (default 0.15), to a different id.
    public static func make(from tokens: [Int], count: Int, vocabularySize: Int, length: Int = 64,
                            corruption: Double = 0.15, generator: inout RandomGenerator) -> [PreferencePair] {
        precondition(tokens.count > length + 1 && vocabularySize > 1 && length > 0,
                     "CorruptedTextPairs: need more than \(length + 1) tokens and a vocabulary of at least 2")
        return (0..<count).map { _ in
            let start = generator.nextInt(below: tokens.count - length - 1)
            let chosen = Array(tokens[(start + 1)...(start + length)])
            let rejected = chosen.map { token -> Int in
                guard generator.nextUniformDouble() < corruption else { return token }
                let shift = 1 + generator.nextInt(below: vocabularySize - 1)
                return (token + shift) % vocabularySize
            }
            return PreferencePair(prompt: [tokens[start]], chosen: chosen, rejected: rejected)
        }
    }
}
