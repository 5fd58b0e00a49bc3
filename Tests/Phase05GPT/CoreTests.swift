// Phase 5's core: what the learner is given and does not re-implement (the
// byte-level BPE tokenizer, greedy and top-k decoding). These pass in the
// student edition too.
import Foundation
import GPT
import GradingSupport
import NN
import Testing

@Suite("Phase 5 core: tokenizer and decoding")
struct CoreTests {
    @Test("Byte-level BPE round-trips text it was trained on and text it was not", .points(1))
    func bytePairRoundTrip() throws {
        let corpus = String(repeating: "the cat sat on the mat. the hat. ", count: 20)
        let tokenizer = try BytePairTokenizer.train(on: corpus, vocabularySize: 280)
        #expect(tokenizer.vocabularySize > 256)
        #expect(tokenizer.encode("the cat").count < "the cat".utf8.count)   // merges shorten familiar text
        for text in ["the cat sat", "zebra, über!"] { #expect(tokenizer.decode(tokenizer.encode(text)) == text) }
    }

    @Test("Temperature 0 is the arg-max; top-k keeps the k largest, renormalised", .points(1))
    func greedyAndTopK() throws {
        let logits = [0.1, 0.5, 0.3, 0.1].map { Float(log($0)) }
        #expect(try TokenSampler.candidates(logits: logits, settings: .greedy).map(\.token) == [1])
        let top2 = try TokenSampler.candidates(logits: logits, settings: SamplingSettings(topK: 2))
        #expect(top2.map(\.token) == [1, 2])
        #expect(abs(top2[0].probability - 0.625) < 1e-5 && abs(top2[1].probability - 0.375) < 1e-5)
    }
}
