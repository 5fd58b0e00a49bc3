// TextSampling: generating text from a character-level language model.
//
// Feed the prompt, then repeat n times: take the logits z of the last position,
// choose the next character from them (NN's TokenSampler: temperature, top-k,
// top-p; temperature 0 is greedy), feed it back with the carried state.
// The recurrent state makes each new character cost one step, not a re-run of
// the whole text. Every draw comes from one seeded generator: the same seed,
// prompt and settings give the same text.

import Autograd
import Foundation
import LabKit
import NN
import Tensor

/// Seeded sampling of characters from a `CharLanguageModel` (the choice of each token: NN's TokenSampler).
public enum TextSampling {
    /// `count` characters generated after `prompt` (the prompt itself not included).
    ///
    /// Throws `UnknownCharacterError` for a prompt character outside `vocabulary`, and
    /// `SamplingError` for an empty prompt or invalid settings.
    public static func generate(_ model: CharLanguageModel, vocabulary: CharVocabulary, prompt: String, count: Int,
                                temperature: Float = 1, topK: Int? = nil, topP: Float? = nil,
                                seed: UInt64 = 0) throws -> String {
        precondition(vocabulary.count == model.vocabularySize,
                     "TextSampling.generate: vocabulary has \(vocabulary.count) characters, the model \(model.vocabularySize)")
        precondition(count >= 0, "TextSampling.generate: count must be ≥ 0, got \(count)")
        let promptIds = try vocabulary.encode(prompt)
        guard !promptIds.isEmpty else { throw SamplingError.emptyPrompt }
        let settings = SamplingSettings(temperature: temperature, topK: topK, topP: topP)
        try settings.validate()

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
                let next = try TokenSampler.sample(logits: row, settings: settings, using: &generator)
                generated.append(next)
                (logits, state) = model.forward([next], batch: 1, steps: 1, state: state)
                lastRow = 0
            }
        }
        return vocabulary.decode(generated)
    }
}
