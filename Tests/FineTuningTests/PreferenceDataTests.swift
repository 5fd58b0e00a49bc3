// The data of the preference labs: the full-stop rule on hand-written cases,
// corrupted-text pairs (W14) change about 15% of the tokens and never keep a
// changed token the same, sampled pairs really differ in the rule, and the
// ship's log is deterministic and written in tiny Shakespeare's characters.
import Testing
import GPT
import LabKit
import NN
import Tensor
@testable import FineTuning

@Suite("Preference data")
struct PreferenceDataTests {
    @Test("The full-stop rule: a line break right after '.', counting the prompt's last character")
    func rule() {
        let rule = FullStopLineEnd()
        #expect(rule.holds(prompt: "ab", continuation: "I go.\nYou stay"))
        #expect(rule.holds(prompt: "It is so.", continuation: "\nand"))
        #expect(!rule.holds(prompt: "ab", continuation: "I go,\nYou stay."))
        #expect(!rule.holds(prompt: "ab", continuation: "no line break at all."))
        #expect(!rule.holds(prompt: "ab", continuation: ". \n"))
    }

    @Test("Corrupted pairs: real text chosen, about 15% of its tokens changed to other tokens in the rejected")
    func corruptedPairs() {
        let text = (0..<5_000).map { ($0 * 7 + $0 / 13) % 11 }
        var generator = RandomGenerator(seed: 3)
        let pairs = CorruptedTextPairs.make(from: text, count: 300, vocabularySize: 11, generator: &generator)
        var changed = 0
        for pair in pairs {
            #expect(pair.prompt.count == 1 && pair.chosen.count == 64 && pair.rejected.count == 64)
            let start = (0..<(text.count - 65)).first { Array(text[$0...($0 + 64)]) == pair.prompt + pair.chosen }
            #expect(start != nil)
            changed += zip(pair.chosen, pair.rejected).filter { $0 != $1 }.count
        }
        let fraction = Double(changed) / Double(300 * 64)
        #expect(abs(fraction - 0.15) < 0.01, "changed fraction \(fraction)")
    }

    @Test("Sampled pairs: the rule holds for the chosen continuation and not for the rejected one")
    func sampledPairs() throws {
        let vocabulary = CharVocabulary(text: "ab.\n ")
        let model = GPTModel(GPTConfiguration(vocabularySize: vocabulary.count, blockSize: 24, layerCount: 1, headCount: 1,
                                              embeddingSize: 8), seed: 4)
        let text = try vocabulary.encode(String(repeating: "ab a.\nba b.\n", count: 20))
        let sampled = try SampledPreferencePairs(model: model, text: text, decode: { vocabulary.decode($0) }, rule: FullStopLineEnd(),
                                                 count: 10, promptLength: 4, length: 16, seed: 5)
        #expect(sampled.pairs.count == 10 && sampled.samples >= 20 && sampled.withProperty >= 10)
        for pair in sampled.pairs {
            let prompt = vocabulary.decode(pair.prompt)
            #expect(FullStopLineEnd().holds(prompt: prompt, continuation: vocabulary.decode(pair.chosen)))
            #expect(!FullStopLineEnd().holds(prompt: prompt, continuation: vocabulary.decode(pair.rejected)))
        }
    }

    @Test("The ship's log is the same for a seed, and uses only characters tiny Shakespeare has")
    func shipLog() throws {
        let text = ShipLogCorpus.text(characters: 20_000, seed: 1)
        #expect(text == ShipLogCorpus.text(characters: 20_000, seed: 1) && text != ShipLogCorpus.text(characters: 20_000, seed: 2))
        #expect(text.count >= 20_000 && text.hasPrefix("Day one.\n"))
        let shakespeare = Set("\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        #expect(text.allSatisfy { shakespeare.contains($0) })
    }
}
