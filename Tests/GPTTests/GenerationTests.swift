// Generation: the token sampler's greedy, top-k and top-p rules, the KV cache
// against full recomputation (inside the block and after the half-block
// re-fill), seeded reproducibility, and perplexity.
import Foundation
import Testing
import Autograd
import NN
import Tensor
@testable import GPT

@Suite("GPT generation")
struct GenerationTests {
    let w12 = GPTConfiguration.w12(vocabularySize: 65)

    @Test("Top-k = 1 equals greedy, for single draws and for whole generated texts")
    func topKOneIsGreedy() throws {
        var generator = RandomGenerator(seed: 3)
        var logitGenerator = RandomGenerator(seed: 4)
        for _ in 0..<200 {
            let logits = (0..<20).map { _ in logitGenerator.nextUniformFloat() * 6 - 3 }
            let argmax = logits.indices.max { logits[$0] < logits[$1] }!
            #expect(try TokenSampler.sample(logits: logits, settings: SamplingSettings(temperature: 1.5, topK: 1), using: &generator) == argmax)
            #expect(try TokenSampler.sample(logits: logits, settings: .greedy, using: &generator) == argmax)
        }
        let model = GPTModel(GPTConfiguration(vocabularySize: 11, blockSize: 16, layerCount: 2, headCount: 2, embeddingSize: 16), seed: 5)
        let greedy = try model.generate(prompt: [1, 2, 3], count: 40, settings: .greedy, seed: 1)
        let topOne = try model.generate(prompt: [1, 2, 3], count: 40, settings: SamplingSettings(temperature: 0.8, topK: 1), seed: 2)
        #expect(greedy == topOne)
    }

    @Test("Top-p keeps the smallest set of most likely tokens whose mass reaches p, renormalised")
    func topPKeepsTheNucleus() throws {
        let probabilities: [Float] = [0.15, 0.5, 0.05, 0.2, 0.1]   // ranked: 1 (0.5), 3 (0.2), 0 (0.15), 4 (0.1), 2 (0.05)
        let logits = probabilities.map { Foundation.log($0) }
        func kept(_ p: Float) throws -> [Int] {
            try TokenSampler.candidates(logits: logits, settings: SamplingSettings(topP: p)).map(\.token)
        }
        #expect(try kept(0.3) == [1])
        #expect(try kept(0.6) == [1, 3])
        #expect(try kept(0.8) == [1, 3, 0])
        #expect(try kept(0.9) == [1, 3, 0, 4])
        #expect(try kept(1.0) == [1, 3, 0, 4, 2])
        let nucleus = try TokenSampler.candidates(logits: logits, settings: SamplingSettings(topP: 0.8))
        #expect(abs(nucleus.map(\.probability).reduce(0, +) - 1) < 1e-6)
        #expect(abs(nucleus[0].probability - 0.5 / 0.85) < 1e-5)
        // Top-k first, then top-p on what is left: among {1, 3} (mass 5/7, 2/7), p = 0.6 keeps only 1.
        #expect(try TokenSampler.candidates(logits: logits, settings: SamplingSettings(topK: 2, topP: 0.6)).map(\.token) == [1])
        // Draws stay inside the nucleus and reach all of it.
        var generator = RandomGenerator(seed: 9)
        var seen = Set<Int>()
        for _ in 0..<3_000 { seen.insert(try TokenSampler.sample(logits: logits, settings: SamplingSettings(topP: 0.8), using: &generator)) }
        #expect(seen == [1, 3, 0])
    }

    @Test("Bad sampling settings and an empty prompt are typed errors")
    func badSettings() {
        let model = GPTModel(GPTConfiguration(vocabularySize: 5, blockSize: 4, layerCount: 1, headCount: 1, embeddingSize: 4))
        #expect(throws: SamplingError.emptyPrompt) { try model.generate(prompt: [], count: 3) }
        #expect(throws: SamplingError.invalidTopP(0)) { try model.generate(prompt: [1], count: 3, settings: SamplingSettings(topP: 0)) }
        #expect(throws: SamplingError.invalidTopP(1.5)) { try model.generate(prompt: [1], count: 3, settings: SamplingSettings(topP: 1.5)) }
        #expect(throws: SamplingError.invalidTopK(0)) { try model.generate(prompt: [1], count: 3, settings: SamplingSettings(topK: 0)) }
        #expect(throws: SamplingError.invalidTemperature(-1)) { try model.generate(prompt: [1], count: 3, settings: SamplingSettings(temperature: -1)) }
    }

    /// The largest |a − b| over two tensors of the same shape.
    func largestDifference(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.scalars, b.scalars).map { abs($0 - $1) }.max()!
    }

    @Test("KV-cache logits equal full recomputation to 1e-4 for every position of a full block (W12 model)")
    func cacheMatchesFullForward() {
        let model = GPTModel(w12, seed: 7)
        var generator = RandomGenerator(seed: 8)
        let tokens = (0..<64).map { _ in generator.nextInt(below: 65) }
        let full = noGrad { model(tokens, batch: 1, steps: 64).value.reshaped([64, 65]) }
        let decoder = KVCacheDecoder(model: model)
        var rows = [decoder.append(Array(tokens[..<10]))]   // a 10-token prompt in one pass, then one at a time
        for t in 10..<64 { rows.append(decoder.append([tokens[t]])) }
        let cached = Tensor.concatenated(rows, axis: 0)
        #expect(cached.shape == [64, 65])
        #expect(largestDifference(cached, full) < 1e-4)
        #expect(decoder.count == 64)
    }

    @Test("Inside a block, generation with and without the cache gives the same tokens")
    func cachedEqualsUncachedInsideBlock() throws {
        let model = GPTModel(w12, seed: 11)
        for settings in [SamplingSettings.greedy, SamplingSettings(temperature: 1), SamplingSettings(temperature: 0.9, topK: 10, topP: 0.9)] {
            let cached = try model.generate(prompt: [5, 9, 1], count: 61, settings: settings, seed: 3, useCache: true)
            let uncached = try model.generate(prompt: [5, 9, 1], count: 61, settings: settings, seed: 3, useCache: false)
            #expect(cached == uncached)
            #expect(try model.generate(prompt: [5, 9, 1], count: 61, settings: settings, seed: 3) == cached)   // seeded
        }
    }

    @Test("Past the block, the cache is re-filled from the last half block: its logits equal a full forward of that window")
    func refillPastTheBlock() throws {
        let model = GPTModel(GPTConfiguration(vocabularySize: 13, blockSize: 8, layerCount: 2, headCount: 2, embeddingSize: 16), seed: 2)
        let generated = try model.generate(prompt: [1, 2], count: 30, settings: .greedy)
        #expect(generated.count == 30)
        // Replay the documented strategy by hand: the cache holds 2..8 positions, re-filled with the last 4 tokens when full.
        let sequence = [1, 2] + generated
        let decoder = KVCacheDecoder(model: model)
        var logits = decoder.append([1, 2])
        for index in 2..<sequence.count {
            let context: [Int]
            if decoder.count == 8 {
                decoder.reset()
                context = Array(sequence[(index - 3)...index])
                logits = decoder.append(context)
            } else {
                logits = decoder.append([sequence[index]])
                context = Array(sequence[(index + 1 - decoder.count)...index])
            }
            let full = noGrad { model(context, batch: 1, steps: context.count).value.reshaped([context.count, 13]) }
            let lastFull = Tensor(shape: [13], scalars: Array(full.scalars.suffix(13)))
            let lastCached = Tensor(shape: [13], scalars: Array(logits.scalars.suffix(13)))
            #expect(largestDifference(lastCached, lastFull) < 1e-4, "position \(index)")
            #expect(decoder.count >= Swift.min(index + 1, 4) && decoder.count <= 8)
        }
    }

    @Test("The decoder records the attention of a head in any layer, not only the last: causal rows that sum to 1")
    func recordsAttentionOfEveryLayer() {
        let model = GPTModel(GPTConfiguration(vocabularySize: 13, blockSize: 8, layerCount: 3, headCount: 2, embeddingSize: 16), seed: 4)
        for layer in 0..<3 {
            let decoder = KVCacheDecoder(model: model)
            _ = decoder.append([1, 2, 3, 4, 5], recordingHead: (layer: layer, head: 1))
            guard let weights = decoder.recordedAttention else { Issue.record("layer \(layer): nothing recorded"); continue }
            #expect(weights.shape == [5, 5])
            for row in 0..<5 {
                let sum = (0...row).reduce(Float(0)) { $0 + weights[row, $1] }
                #expect(abs(sum - 1) < 1e-5, "layer \(layer), row \(row)")
                #expect((row + 1..<5).allSatisfy { weights[row, $0] == 0 }, "layer \(layer), row \(row) looks ahead")
            }
        }
    }

    @Test("Perplexity: about V for an untrained model, lower after training on the text")
    func perplexity() throws {
        let config = GPTConfiguration(vocabularySize: 6, blockSize: 16, layerCount: 1, headCount: 2, embeddingSize: 16)
        let model = GPTModel(config, seed: 4)
        let text = (0..<200).map { [0, 1, 2, 3, 4, 5, 4, 3, 2, 1][$0 % 10] }
        let before = model.perplexity(of: text)
        #expect(abs(before - 6) < 0.3)
        let trainer = GPTTrainer(model: model, settings: {
            var s = GPTTrainingSettings(); s.warmupSteps = 10; s.decaySteps = 150; s.learningRate = 3e-3; return s
        }())
        for step in 0..<150 {
            let starts = (0..<4).map { (step * 7 + $0 * 37) % 150 }
            try trainer.train(inputs: starts.flatMap { text[$0..<$0 + 16] }, targets: starts.flatMap { text[$0 + 1..<$0 + 17] },
                              batch: 4, steps: 16)
        }
        #expect(model.perplexity(of: text) < 2)
    }
}
