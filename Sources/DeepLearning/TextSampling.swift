// TextSampling: generating text from a character-level language model.
//
// Feed the prompt, then repeat n times: take the logits z of the last position,
//   p_j ∝ exp(z_j / τ)         temperature τ > 0: small τ sharpens, large τ flattens;
//                              τ = 0 means argmax (the limit τ → 0)
//   top-k: keep the k largest z_j, set the others' probability to 0
//   draw the next character from p, feed it back with the carried state.
// The recurrent state makes each new character cost one step, not a re-run of
// the whole text. Every draw comes from one seeded generator: the same seed,
// prompt and settings give the same text.

import Autograd
import Foundation
import LabKit
import Tensor

/// A sampling request that cannot be served (user input, so thrown rather than trapped).
public enum TextSamplingError: Error, Equatable, CustomStringConvertible {
    /// The prompt is empty: the model needs at least one character to start from.
    case emptyPrompt
    /// A temperature below zero or not finite.
    case invalidTemperature(Float)
    /// A top-k below 1.
    case invalidTopK(Int)

    public var description: String {
        switch self {
        case .emptyPrompt: "TextSampling: the prompt is empty; give at least one character"
        case .invalidTemperature(let t): "TextSampling: temperature must be finite and ≥ 0, got \(t)"
        case .invalidTopK(let k): "TextSampling: topK must be at least 1, got \(k)"
        }
    }
}

/// Seeded sampling of characters from a `CharLanguageModel`.
public enum TextSampling {
    /// Draws a token from `logits` with `temperature` (0 = argmax) among the `topK` largest (nil = all).
    public static func sampleToken(logits: [Float], temperature: Float, topK: Int?,
                                   using generator: inout RandomGenerator) throws -> Int {
        guard temperature.isFinite, temperature >= 0 else { throw TextSamplingError.invalidTemperature(temperature) }
        if let topK, topK < 1 { throw TextSamplingError.invalidTopK(topK) }
        precondition(!logits.isEmpty, "TextSampling.sampleToken: no logits")
        // Candidates in decreasing logit order (ties keep the lower id first), cut to the top k.
        let ranked = logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
        let candidates = ranked.prefix(Swift.min(topK ?? logits.count, logits.count))
        if temperature == 0 { return candidates.first! }
        // p_j ∝ exp((z_j − z_max)/τ): subtracting the max keeps every exponent ≤ 0.
        let top = logits[candidates.first!]
        let weights = candidates.map { Float(exp(Double((logits[$0] - top) / temperature))) }
        return candidates[candidates.startIndex + generator.categorical(weights)]
    }

    /// `count` characters generated after `prompt` (the prompt itself not included).
    ///
    /// Throws `UnknownCharacterError` for a prompt character outside `vocabulary`, and
    /// `TextSamplingError` for an empty prompt or invalid settings.
    public static func generate(_ model: CharLanguageModel, vocabulary: CharVocabulary, prompt: String, count: Int,
                                temperature: Float = 1, topK: Int? = nil, seed: UInt64 = 0) throws -> String {
        precondition(vocabulary.count == model.vocabularySize,
                     "TextSampling.generate: vocabulary has \(vocabulary.count) characters, the model \(model.vocabularySize)")
        precondition(count >= 0, "TextSampling.generate: count must be ≥ 0, got \(count)")
        let promptIds = try vocabulary.encode(prompt)
        guard !promptIds.isEmpty else { throw TextSamplingError.emptyPrompt }
        guard temperature.isFinite, temperature >= 0 else { throw TextSamplingError.invalidTemperature(temperature) }
        if let topK, topK < 1 { throw TextSamplingError.invalidTopK(topK) }

        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        var generator = RandomGenerator(seed: seed)
        var generated: [Int] = []
        generated.reserveCapacity(count)
        try noGrad {
            // The prompt in one pass; then one character per step with the carried state.
            var (logits, state) = model.forward(promptIds, batch: 1, steps: promptIds.count, state: nil)
            var lastRow = promptIds.count - 1
            for _ in 0..<count {
                let v = model.vocabularySize
                let row = Array(logits.value.scalars[lastRow * v..<(lastRow + 1) * v])   // last position's logits
                let next = try sampleToken(logits: row, temperature: temperature, topK: topK, using: &generator)
                generated.append(next)
                (logits, state) = model.forward([next], batch: 1, steps: 1, state: state)
                lastRow = 0
            }
        }
        return vocabulary.decode(generated)
    }
}
