// Character-level language modelling: the LSTM/GRU model learning a small
// built-in text, and seeded sampling (the vocabulary's tests are in TokenizersTests).
import Testing
import Autograd
import NN
import LabKit
import Tensor
@testable import DeepLearning

/// A short paragraph repeated: small enough to learn in seconds, varied enough that
/// predicting the next character needs the context.
private let paragraph = String(repeating: "The quick brown fox jumps over the lazy dog. A stitch in time saves nine. ", count: 40)

@Suite("Character language model")
struct CharLanguageModelTests {
    @Test("Logits are (B, T, vocabulary) and parameters carry PyTorch's names")
    func shapesAndNames() {
        let model = CharLanguageModel(vocabularySize: 11, cell: .lstm, embeddingSize: 8, hiddenSize: 16, seed: 1)
        #expect(model(Array(repeating: 3, count: 2 * 5), batch: 2, steps: 5).shape == [2, 5, 11])
        #expect(model.namedParameters.map(\.0) == ["emb.weight", "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0",
                                                   "lstm.bias_hh_l0", "head.weight", "head.bias"])
        let gru = CharLanguageModel(vocabularySize: 11, cell: .gru, embeddingSize: 8, hiddenSize: 16, seed: 1)
        #expect(gru.namedParameters.map(\.0).contains("gru.weight_hh_l0"))
        #expect(gru(Array(repeating: 0, count: 3 * 4), batch: 3, steps: 4).shape == [3, 4, 11])
    }

    @Test("Both cells learn a repeated paragraph: loss below 0.6 nats within 300 steps", arguments: CharLanguageModel.Cell.allCases)
    func learnsRepeatedText(cell: CharLanguageModel.Cell) throws {
        let vocabulary = CharVocabulary(text: paragraph)
        let tokens = try vocabulary.encode(paragraph)
        let model = CharLanguageModel(vocabularySize: vocabulary.count, cell: cell, embeddingSize: 16, hiddenSize: 64, seed: 3)
        let optimizer = Adam(model.parameters, learningRate: 1e-2)
        var generator = RandomGenerator(seed: 4)
        let (batch, steps) = (16, 32)
        var losses: [Float] = []
        for _ in 0..<300 {
            var x: [Int] = [], y: [Int] = []
            for _ in 0..<batch {
                let start = generator.nextInt(below: tokens.count - steps)
                x += tokens[start..<start + steps]
                y += tokens[start + 1...start + steps]
            }
            let loss = model.loss(inputs: x, targets: y, batch: batch, steps: steps)
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            losses.append(loss.value.item)
        }
        let start = losses.prefix(5).reduce(0, +) / 5, end = losses.suffix(20).reduce(0, +) / 20
        #expect(start > 2.5, "\(cell): the untrained loss \(start) should be near log(\(vocabulary.count))")
        #expect(end < 0.6, "\(cell): loss after 300 steps is \(end)")
    }
}

@Suite("Text sampling")
struct TextSamplingTests {
    let vocabulary = CharVocabulary(text: paragraph)
    var model: CharLanguageModel {
        CharLanguageModel(vocabularySize: vocabulary.count, cell: .lstm, embeddingSize: 8, hiddenSize: 32, seed: 9)
    }

    @Test("The same seed gives the same text; another seed gives another")
    func deterministicPerSeed() throws {
        let m = model
        let a = try TextSampling.generate(m, vocabulary: vocabulary, prompt: "The ", count: 60, seed: 1)
        let b = try TextSampling.generate(m, vocabulary: vocabulary, prompt: "The ", count: 60, seed: 1)
        let c = try TextSampling.generate(m, vocabulary: vocabulary, prompt: "The ", count: 60, seed: 2)
        #expect(a == b)
        #expect(a != c)
        #expect(a.unicodeScalars.count == 60)
        #expect(a.unicodeScalars.allSatisfy { vocabulary.characters.contains($0) })
    }

    @Test("Temperature 0 (and one close to it) picks the argmax, the same as top-k 1")
    func temperatureZeroIsArgmax() throws {
        var generator = RandomGenerator(seed: 0)
        let logits: [Float] = [0.1, 2.0, -1.0, 1.99, 0.5]
        for _ in 0..<50 {
            #expect(try TokenSampler.sample(logits: logits, settings: SamplingSettings(temperature: 0), using: &generator) == 1)
            #expect(try TokenSampler.sample(logits: logits, settings: SamplingSettings(temperature: 1e-4), using: &generator) == 1)
            #expect(try TokenSampler.sample(logits: logits, settings: SamplingSettings(temperature: 5, topK: 1), using: &generator) == 1)
        }
        // Greedy generation continues from the model's argmax at every step: two runs with different seeds agree.
        let m = model
        let greedyA = try TextSampling.generate(m, vocabulary: vocabulary, prompt: "fox", count: 30, temperature: 0, seed: 1)
        let greedyB = try TextSampling.generate(m, vocabulary: vocabulary, prompt: "fox", count: 30, temperature: 0, seed: 99)
        #expect(greedyA == greedyB)
    }

    @Test("Top-k draws only among the k largest logits, and reaches each of them")
    func topKLimitsChoices() throws {
        var generator = RandomGenerator(seed: 7)
        let logits: [Float] = [1.0, 3.0, 0.0, 2.5, 2.9, -2.0, 0.5]
        var seen = Set<Int>()
        for _ in 0..<2_000 {
            seen.insert(try TokenSampler.sample(logits: logits, settings: SamplingSettings(temperature: 2, topK: 3), using: &generator))
        }
        #expect(seen == [1, 3, 4])
    }

    @Test("Bad requests are typed errors, not crashes")
    func badRequests() {
        let m = model
        #expect(throws: SamplingError.emptyPrompt) { try TextSampling.generate(m, vocabulary: vocabulary, prompt: "", count: 5) }
        #expect(throws: SamplingError.invalidTemperature(-1)) {
            try TextSampling.generate(m, vocabulary: vocabulary, prompt: "a", count: 5, temperature: -1)
        }
        #expect(throws: SamplingError.invalidTopK(0)) {
            try TextSampling.generate(m, vocabulary: vocabulary, prompt: "a", count: 5, topK: 0)
        }
        #expect(throws: UnknownCharacterError.self) { try TextSampling.generate(m, vocabulary: vocabulary, prompt: "@", count: 5) }
    }
}
