// The GPT model: shapes, nanoGPT's parameter names and count, GPT-2's
// initialisation, causality through the whole stack, gradients of a 1-layer
// model against finite differences, and a tiny model overfitting a string.
import Testing
import Autograd
import NN
import Tensor
@testable import GPT

@Suite("GPT model")
struct GPTModelTests {
    let tiny = GPTConfiguration(vocabularySize: 7, blockSize: 8, layerCount: 2, headCount: 2, embeddingSize: 16)

    @Test("Logits are (B, T, V); names, count and initialisation follow nanoGPT")
    func shapesNamesAndInit() {
        let model = GPTModel(tiny, seed: 1)
        #expect(model([1, 2, 3, 4, 5, 6], batch: 2, steps: 3).shape == [2, 3, 7])
        let names = model.namedParameters.map(\.0)
        #expect(names.first == "transformer.wte.weight" && names.last == "transformer.ln_f.weight")
        #expect(names.contains("transformer.h.1.attn.c_attn.weight") && names.contains("transformer.h.0.mlp.c_proj.weight"))
        #expect(!names.contains { $0.hasSuffix(".bias") })
        // W12 at 65 characters: wte 8 320 + wpe 8 192 + 4 × 196 864 + ln_f 128.
        #expect(GPTModel(.w12(vocabularySize: 65)).parameterCount == 804_096)
        let parameters = Dictionary(uniqueKeysWithValues: GPTModel(.w12(vocabularySize: 65), seed: 2).namedParameters)
        func std(_ name: String) -> Double {
            let values = parameters[name]!.value.scalars.map(Double.init)
            let mean = values.reduce(0, +) / Double(values.count)
            return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        }
        #expect(abs(std("transformer.h.0.attn.c_attn.weight") - 0.02) < 0.001)
        #expect(abs(std("transformer.h.3.mlp.c_proj.weight") - 0.02 / 8.0.squareRoot()) < 0.0005)
        #expect(parameters["transformer.h.0.ln_1.weight"]!.value.scalars.allSatisfy { $0 == 1 })
    }

    @Test("Changing token t + 1 leaves the logits at positions ≤ t unchanged")
    func causal() {
        let model = GPTModel(tiny, seed: 3)
        let tokens = [1, 4, 2, 6, 0, 3, 5, 2]
        let before = model(tokens, batch: 1, steps: 8).value.scalars
        for t in 0..<7 {
            var changed = tokens
            changed[t + 1] = (changed[t + 1] + 3) % 7
            let after = model(changed, batch: 1, steps: 8).value.scalars
            #expect(Array(after[..<((t + 1) * 7)]) == Array(before[..<((t + 1) * 7)]), "token \(t + 1) changed")
        }
    }

    @Test("A 1-layer GPT's parameter gradients match central finite differences")
    func gradients() {
        let config = GPTConfiguration(vocabularySize: 5, blockSize: 4, layerCount: 1, headCount: 2, embeddingSize: 8)
        let model = GPTModel(config, seed: 4)
        // Larger weights than GPT-2's 0.02, so that every path carries a visible gradient.
        for (i, (_, p)) in model.namedParameters.enumerated() { p.value = Tensor.normal(p.shape, std: 0.5, seed: 40 + UInt64(i)) }
        let tokens = [0, 3, 1, 4, 2, 2, 4, 0], targets = [3, 1, 4, 2, 2, 4, 0, 1]
        func loss() -> Variable { model.loss(tokens, targets: targets, batch: 2, steps: 4) }
        for (_, p) in model.namedParameters { p.zeroGrad() }
        loss().backward()
        let h: Float = 1e-2
        for (name, p) in model.namedParameters {
            let analytic = p.grad!.scalars
            var worst: Float = 0
            for index in stride(from: 0, to: p.value.count, by: max(1, p.value.count / 12)) {
                let original = p.value.scalars[index]
                func lossAt(_ value: Float) -> Float {
                    var v = p.value
                    v.withUnsafeMutableBufferPointer { $0[index] = value }
                    p.value = v
                    return loss().value.scalars[0]
                }
                let numeric = (lossAt(original + h) - lossAt(original - h)) / (2 * h)
                _ = lossAt(original)
                worst = max(worst, abs(numeric - analytic[index]) / max(1e-2, abs(numeric) + abs(analytic[index])))
            }
            #expect(worst < 2e-2, "\(name): worst relative error \(worst)")
        }
    }

    @Test("A tiny GPT overfits a 64-character string: loss below 0.05")
    func overfits() {
        let text = Array("To be, or not to be, that is the question: whether 'tis nobler...".unicodeScalars)
        #expect(text.count == 65)
        let alphabet = Array(Set(text)).sorted { $0.value < $1.value }
        let ids = text.map { alphabet.firstIndex(of: $0)! }
        let config = GPTConfiguration(vocabularySize: alphabet.count, blockSize: 64, layerCount: 2, headCount: 2, embeddingSize: 32)
        let model = GPTModel(config, seed: 5)
        let optimizer = AdamW(model.parameters, learningRate: 3e-3, weightDecay: 0)
        var last: Float = .infinity
        for _ in 0..<300 {
            optimizer.zeroGrad()
            let loss = model.loss(Array(ids[0..<64]), targets: Array(ids[1..<65]), batch: 1, steps: 64)
            loss.backward()
            optimizer.step()
            last = loss.value.scalars[0]
            if last < 0.05 { break }
        }
        #expect(last < 0.05, "loss after training: \(last)")
    }
}
