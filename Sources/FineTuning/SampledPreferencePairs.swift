// Preference pairs from a model's own samples, judged by a rule (the data DPO
// and the reward model learn from in lab-finetune):
//   1. take a prompt: `promptLength` tokens at a random place of a text
//   2. sample two continuations of `length` tokens from the model (temperature 1,
//      the model's own distribution, with the KV cache)
//   3. when the rule holds for exactly one of them, it is the chosen one and the
//      other is rejected; otherwise the prompt is skipped
// The pairs are on-policy for the base model, as in the DPO paper's setting,
// and the label is a fact a learner can check in the printed text.

import GPT
import NN
import Tensor

/// Pairs of sampled continuations that a rule tells apart, and how often the rule held.
public struct SampledPreferencePairs {
    /// The pairs found: for each, the continuation the rule holds for is chosen, the other rejected.
    public var pairs: [PreferencePair]
    /// Continuations sampled, and how many had the property.
    public var samples = 0, withProperty = 0

    /// The property's rate among every continuation sampled.
    public var propertyRate: Double { samples == 0 ? 0 : Double(withProperty) / Double(samples) }

    /// Samples from `model` until `count` pairs are found (or `maximumSamples` continuations are drawn).
    ///
    /// Each try takes a prompt of `promptLength` tokens (default 8) at a random place of `text` and
    /// samples two continuations of `length` tokens (default 56, so prompt and continuation fit W12's
    /// 64-token block) at temperature 1; a pair is kept when `rule` holds for exactly one of them.
    /// `maximumSamples` defaults to 40 · `count`. Everything random is drawn from `seed`.
    public init(model: GPTModel, text: [Int], decode: ([Int]) -> String, rule: some PreferenceRule, count: Int,
                promptLength: Int = 8, length: Int = 56, maximumSamples: Int? = nil, seed: UInt64) throws {
        precondition(text.count > promptLength && promptLength + length <= model.configuration.blockSize + 1,
                     "SampledPreferencePairs: prompt \(promptLength) + continuation \(length) must fit the block")
        var generator = RandomGenerator(seed: seed)
        let limit = maximumSamples ?? 40 * count
        pairs = []
        while pairs.count < count && samples < limit {
            let start = generator.nextInt(below: text.count - promptLength)
            let prompt = Array(text[start..<(start + promptLength)])
            let promptText = decode(prompt)
            let first = try model.generate(prompt: prompt, count: length, settings: SamplingSettings(temperature: 1),
                                           seed: generator.next())
            let second = try model.generate(prompt: prompt, count: length, settings: SamplingSettings(temperature: 1),
                                            seed: generator.next())
            let firstHolds = rule.holds(prompt: promptText, continuation: decode(first))
            let secondHolds = rule.holds(prompt: promptText, continuation: decode(second))
            samples += 2
            withProperty += (firstHolds ? 1 : 0) + (secondHolds ? 1 : 0)
            guard firstHolds != secondHolds else { continue }
            pairs.append(firstHolds ? PreferencePair(prompt: prompt, chosen: first, rejected: second)
                                    : PreferencePair(prompt: prompt, chosen: second, rejected: first))
        }
    }

    /// The rate of the property in `count` continuations of random prompts of `text` sampled from `model`.
    public static func propertyRate(model: GPTModel, text: [Int], decode: ([Int]) -> String, rule: some PreferenceRule,
                                    count: Int, promptLength: Int = 8, length: Int = 56, seed: UInt64) throws -> Double {
        var generator = RandomGenerator(seed: seed)
        var holds = 0
        for _ in 0..<count {
            let start = generator.nextInt(below: text.count - promptLength)
            let prompt = Array(text[start..<(start + promptLength)])
            let continuation = try model.generate(prompt: prompt, count: length, settings: SamplingSettings(temperature: 1),
                                                  seed: generator.next())
            if rule.holds(prompt: decode(prompt), continuation: decode(continuation)) { holds += 1 }
        }
        return Double(holds) / Double(max(count, 1))
    }
}
