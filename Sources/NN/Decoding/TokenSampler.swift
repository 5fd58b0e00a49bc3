// TokenSampler: choosing the next token from a language model's logits z.
//
//   greedy        temperature τ = 0: the argmax (the limit τ → 0)
//   temperature   p_j ∝ exp(z_j / τ): τ < 1 sharpens, τ > 1 flattens
//   top-k         keep the k largest z_j, give the others probability 0
//   top-p         (nucleus, Holtzman et al. 2019) rank the tokens by p_j and keep
//                 the smallest prefix whose mass reaches p; the rest get 0
//   draw          one token from what is kept, renormalised
// Top-k is applied first, then top-p on the renormalised top-k set, as in
// Hugging Face's generate. Ties in z keep the lower id first, so greedy and the
// kept sets are deterministic. Every draw comes from one seeded generator: the
// same seed, model and settings give the same text. The character LSTM
// (DeepLearning) and the GPT both sample through here.

import Foundation
import Tensor

/// A sampling request that cannot be served (user input, so thrown rather than trapped).
public enum SamplingError: Error, Equatable, CustomStringConvertible {
    /// The prompt is empty: the model needs at least one token to start from.
    case emptyPrompt
    /// A temperature below zero or not finite.
    case invalidTemperature(Float)
    /// A top-k below 1.
    case invalidTopK(Int)
    /// A top-p outside (0, 1].
    case invalidTopP(Float)

    public var description: String {
        switch self {
        case .emptyPrompt: "sampling: the prompt is empty; give at least one token"
        case .invalidTemperature(let t): "sampling: temperature must be finite and ≥ 0, got \(t)"
        case .invalidTopK(let k): "sampling: top-k must be at least 1, got \(k)"
        case .invalidTopP(let p): "sampling: top-p must be in (0, 1], got \(p)"
        }
    }
}

/// How the next token is chosen: temperature (0 = greedy), then top-k, then top-p.
public struct SamplingSettings: Sendable, Equatable, Codable {
    public var temperature: Float
    /// Keep only the k most likely tokens; nil keeps all.
    public var topK: Int?
    /// Keep the smallest set of most likely tokens whose probability reaches p; nil keeps all.
    public var topP: Float?

    public init(temperature: Float = 1, topK: Int? = nil, topP: Float? = nil) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
    }

    /// Greedy decoding: always the most likely token.
    public static let greedy = SamplingSettings(temperature: 0)

    /// Throws `SamplingError` for a setting outside its range.
    public func validate() throws {
        guard temperature.isFinite, temperature >= 0 else { throw SamplingError.invalidTemperature(temperature) }
        if let topK, topK < 1 { throw SamplingError.invalidTopK(topK) }
        if let topP, !(topP > 0 && topP <= 1) { throw SamplingError.invalidTopP(topP) }
    }
}

/// Seeded choice of the next token from logits.
public enum TokenSampler {
    /// The tokens that may be drawn, most likely first, with their renormalised probabilities.
    /// Temperature 0 keeps only the argmax.
    public static func candidates(logits: [Float], settings: SamplingSettings) throws -> [(token: Int, probability: Float)] {
        try settings.validate()
        precondition(!logits.isEmpty, "TokenSampler: no logits")
        let ranked = logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
        var kept = Array(ranked.prefix(Swift.min(settings.topK ?? logits.count, logits.count)))
        if settings.temperature == 0 { return [(kept[0], 1)] }
        // p_j ∝ exp((z_j − z_max)/τ): subtracting the max keeps every exponent ≤ 0.
        let top = Double(logits[kept[0]]), tau = Double(settings.temperature)
        var weights = kept.map { exp((Double(logits[$0]) - top) / tau) }
        if let topP = settings.topP {
            // BEGIN EXERCISE top-p
            let total = weights.reduce(0, +)
            var mass = 0.0, size = 0
            while size < weights.count && mass < Double(topP) * total {   // the smallest prefix reaching p
                mass += weights[size]
                size += 1
            }
            kept.removeSubrange(Swift.max(size, 1)...)
            weights.removeSubrange(Swift.max(size, 1)...)
            // END EXERCISE
        }
        let total = weights.reduce(0, +)
        return zip(kept, weights).map { ($0, Float($1 / total)) }
    }

    /// One token drawn from `logits` under `settings`.
    public static func sample(logits: [Float], settings: SamplingSettings, using generator: inout RandomGenerator) throws -> Int {
        let kept = try candidates(logits: logits, settings: settings)
        if kept.count == 1 { return kept[0].token }
        return kept[generator.categorical(kept.map(\.probability))].token
    }
}
