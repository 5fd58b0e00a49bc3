// LoRA: B = 0 leaves the model's outputs unchanged; the frozen base gets no
// gradient and no optimizer state; the adapters' gradients match finite
// differences, and so does the op that adds them (addingLowRankUpdates, also
// checked against a loop over the elements); merging equals the unmerged model to 1e-5 and unmerging restores
// W₀; r = 8 on q and v of W12's GPT trains at most 2% of it; adapters round-trip
// through their own file, and the wrong file or target is a typed error;
// "all-linear" puts an adapter on every Linear layer of every block.
import Foundation
import Testing
import Autograd
import GPT
import NN
import Tensor
@testable import FineTuning

@Suite("LoRA")
struct LoRATests {
    let tiny = GPTConfiguration(vocabularySize: 11, blockSize: 8, layerCount: 2, headCount: 2, embeddingSize: 16)
    let tokens = [1, 4, 2, 6, 0, 3, 5, 2, 9, 10, 7, 8, 1, 1, 3, 4]

    func adapted(_ model: GPTModel, targets: [String] = ["query", "value"], seed: UInt64 = 5) throws -> LoRA {
        try LoRA(attachingTo: model, targets: LoRATarget.gpt(targets, embeddingSize: model.configuration.embeddingSize),
                 configuration: LoRAConfiguration(rank: 4, alpha: 8), seed: seed)
    }

    /// Gives every B random values, as training would.
    func randomizeUp(_ lora: LoRA, seed: UInt64 = 9) {
        for (i, site) in lora.sites.enumerated() {
            site.adapter.up.value = Tensor.normal(site.adapter.up.shape, std: 0.3, seed: seed + UInt64(i))
        }
    }

    @Test("With B = 0 the adapted model's logits equal the base model's exactly")
    func zeroUpIsIdentity() throws {
        let model = GPTModel(tiny, seed: 1)
        let before = model(tokens, batch: 2, steps: 8).value.scalars
        let lora = try adapted(model)
        #expect(lora.sites.count == 4)   // two blocks × (q, v)
        #expect(lora.sites.allSatisfy { $0.adapter.up.value.scalars.allSatisfy { $0 == 0 } })
        #expect(lora.sites.contains { $0.adapter.down.value.scalars.contains { $0 != 0 } })
        #expect(model(tokens, batch: 2, steps: 8).value.scalars == before)
        randomizeUp(lora)
        #expect(model(tokens, batch: 2, steps: 8).value.scalars != before)
    }

    @Test("The frozen base receives no gradient; the adapters do, and only they are trainable")
    func frozenBaseHasNoGradient() throws {
        let model = GPTModel(tiny, seed: 2)
        let lora = try adapted(model)
        randomizeUp(lora)
        let loss = model.loss(Array(tokens.prefix(8)), targets: Array(tokens.suffix(8)), batch: 1, steps: 8)
        loss.backward()
        let adapterIDs = Set(lora.namedParameters.map { ObjectIdentifier($0.1) })
        for (name, parameter) in model.namedParameters {
            if adapterIDs.contains(ObjectIdentifier(parameter)) {
                #expect(parameter.requiresGrad && parameter.grad != nil, "\(name)")
                #expect(parameter.grad!.scalars.contains { $0 != 0 }, "\(name)")
            } else {
                #expect(!parameter.requiresGrad && parameter.grad == nil, "\(name) is frozen but got a gradient")
            }
        }
        let trainer = GPTTrainer(model: model)
        #expect(trainer.trainableParameters.count == lora.namedParameters.count)
        let frozen = model.transformer.blocks[0].attention.qkvProjection.weight.value
        try trainer.train(inputs: Array(tokens.prefix(8)), targets: Array(tokens.suffix(8)), batch: 1, steps: 8)
        #expect(model.transformer.blocks[0].attention.qkvProjection.weight.value.scalars == frozen.scalars)
        #expect(model.namedParameters.first { $0.0 == "transformer.h.0.attn.c_attn.lora_q.lora_B" } != nil)
    }

    @Test("The adapters' gradients match central finite differences")
    func adapterGradients() throws {
        let layer = LoRALinear(wrapping: Linear(5, 6, bias: true, seed: 3))
        layer.freeze()
        let adapter = LoRAAdapter(inputSize: 5, columns: 2..<5, rank: 2, alpha: 3, seed: 4)
        adapter.up.value = Tensor.normal(adapter.up.shape, std: 0.5, seed: 6)
        layer.attach(adapter, as: "lora")
        let x = Variable(Tensor.normal([4, 5], seed: 7))
        let weights = Tensor.uniform([4, 6], low: -1, high: 1, seed: 8)
        func loss() -> Variable { (layer(x) * Variable(weights)).sum() }
        loss().backward()
        for parameter in [adapter.down, adapter.up] {
            let analytic = parameter.grad!.scalars
            for i in 0..<parameter.value.count {
                let saved = parameter.value.scalars
                var plus = saved, minus = saved
                plus[i] += 1e-2
                minus[i] -= 1e-2
                parameter.value = Tensor(shape: parameter.shape, scalars: plus)
                let up = noGrad { Double(loss().value.item) }
                parameter.value = Tensor(shape: parameter.shape, scalars: minus)
                let down = noGrad { Double(loss().value.item) }
                parameter.value = Tensor(shape: parameter.shape, scalars: saved)
                let numeric = (up - down) / 2e-2
                #expect(abs(numeric - Double(analytic[i])) < 2e-3 * max(1, abs(numeric)), "\(parameter.name!)[\(i)]")
            }
        }
        #expect(layer.base.weight.grad == nil && layer.base.bias!.grad == nil)
    }

    /// Two updates of a (2, 3, 7) output that share their input x (2, 3, 5), ranks 2 and 3, overlapping columns.
    func twoUpdates(_ v: [Variable]) -> Variable {
        v[0].addingLowRankUpdates([LowRankUpdate(input: v[1], down: v[2], up: v[3], scale: 1.5, offset: 4),
                                   LowRankUpdate(input: v[1], down: v[4], up: v[5], scale: -0.5, offset: 2)])
    }
    let updateOperands = [Tensor.normal([2, 3, 7], seed: 1), Tensor.normal([2, 3, 5], seed: 2),
                          Tensor.normal([2, 5], seed: 3), Tensor.normal([3, 2], seed: 4),
                          Tensor.normal([3, 5], seed: 5), Tensor.normal([4, 3], seed: 6)]

    @Test("addingLowRankUpdates adds s·(x·Aᵀ)·Bᵀ to its columns (against a loop over the elements)")
    func lowRankUpdatesForward() {
        let o = updateOperands.map(\.scalars)
        var expected = o[0]
        for (a, b, w, r, scale, offset) in [(2, 3, 3, 2, Float(1.5), 4), (4, 5, 4, 3, Float(-0.5), 2)] {
            for row in 0..<6 {
                for j in 0..<w {
                    var sum: Float = 0
                    for q in 0..<r {
                        var xa: Float = 0
                        for p in 0..<5 { xa += o[1][row * 5 + p] * o[a][q * 5 + p] }
                        sum += xa * o[b][j * r + q]
                    }
                    expected[row * 7 + offset + j] += scale * sum
                }
            }
        }
        let result = twoUpdates(updateOperands.map { Variable($0) }).value
        #expect(result.shape == [2, 3, 7])
        #expect(zip(result.scalars, expected).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
    }

    @Test("addingLowRankUpdates passes its gradient to the output, the shared input, A and B (finite differences)")
    func lowRankUpdatesGradient() {
        let result = gradcheck(updateOperands) { twoUpdates($0) }
        #expect(result.worstError < 1e-3, "\(result)")
    }

    @Test("Merged and unmerged models give the same logits to 1e-5; unmerging restores W₀")
    func mergeAndUnmerge() throws {
        let model = GPTModel(tiny, seed: 4)
        let base = model.transformer.blocks[1].attention.qkvProjection.weight.value.scalars
        let lora = try adapted(model, targets: ["query", "value", "mlp.c_fc"])
        randomizeUp(lora)
        let unmerged = model(tokens, batch: 2, steps: 8).value.scalars
        lora.merge()
        #expect(lora.isMerged)
        let merged = model(tokens, batch: 2, steps: 8).value.scalars
        let worst = zip(unmerged, merged).map { abs($0 - $1) }.max()!
        #expect(worst <= 1e-5, "largest difference \(worst)")
        #expect(model.transformer.blocks[1].attention.qkvProjection.weight.value.scalars != base)
        lora.unmerge()
        let restored = model.transformer.blocks[1].attention.qkvProjection.weight.value.scalars
        #expect(restored == base, "unmerging gives W₀ back bit for bit")
        let again = model(tokens, batch: 2, steps: 8).value.scalars
        #expect(again == unmerged)
    }

    @Test("Fifty merge–unmerge cycles leave W₀ exactly as it was; rows changed while merged lose only the update")
    func repeatedMergesDoNotDrift() throws {
        let model = GPTModel(tiny, seed: 4)
        let layer = model.transformer.blocks[0].attention.qkvProjection
        let base = layer.weight.value.scalars
        let lora = try adapted(model, targets: ["query", "value"])
        randomizeUp(lora)
        for _ in 0..<50 { lora.merge(); lora.unmerge() }
        #expect(layer.weight.value.scalars == base)

        // Edited while merged: unmerging subtracts the update and keeps the edit.
        lora.merge()
        let merged = layer.weight.value.scalars
        layer.weight.value = Tensor(shape: layer.weight.value.shape, scalars: merged.map { $0 + 0.5 })
        lora.unmerge()
        let edit = zip(base, layer.weight.value.scalars).map { $1 - $0 }
        #expect(edit.allSatisfy { abs($0 - 0.5) <= 1e-5 }, "the 0.5 edit survives and the update is gone")
    }

    @Test("r = 8, α = 16 on query and value of W12's GPT trains 16 384 of 820 480 numbers (≤ 2%)")
    func trainableFraction() throws {
        let model = GPTModel(.w12(vocabularySize: 65))
        let lora = try LoRA(attachingTo: model, targets: ["query", "value"].map { try LoRATarget.gpt($0, embeddingSize: 128) })
        #expect(lora.parameterCount == 16_384)
        #expect(model.parameterCount == 820_480)
        #expect(model.trainableParameters.reduce(0) { $0 + $1.value.count } == 16_384)
        let fraction = Double(lora.parameterCount) / Double(model.parameterCount)
        #expect(fraction <= 0.02)
        #expect(lora.sites.allSatisfy { $0.adapter.scale == 2 })
    }

    @Test("r = 2 on q, v, attn.c_proj, mlp.c_fc and mlp.c_proj spends the same 16 384 numbers as r = 8 on q and v")
    func sameBudgetSpreadOverFiveLayers() throws {
        let model = GPTModel(.w12(vocabularySize: 65))
        let targets = try LoRATarget.gpt(["query", "value", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"], embeddingSize: 128)
        let lora = try LoRA(attachingTo: model, targets: targets, configuration: LoRAConfiguration(rank: 2, alpha: 4))
        // Per block: r·(C + C) for q, v and attn.c_proj, r·(C + 4C) for each MLP layer; 4 blocks, C = 128.
        #expect(lora.parameterCount == 4 * 2 * (3 * (128 + 128) + 2 * (128 + 512)))
        #expect(lora.parameterCount == 16_384)
        #expect(model.trainableParameters.reduce(0) { $0 + $1.value.count } == 16_384)
        #expect(lora.sites.count == 4 * 5)
        #expect(lora.sites.allSatisfy { $0.adapter.scale == 2 })
    }

    @Test("Adapters round-trip through their file; other adapters' files and unknown targets are typed errors")
    func saveAndLoad() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lora-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("adapters.safetensors").path
        let trained = GPTModel(tiny, seed: 5)
        let lora = try adapted(trained)
        randomizeUp(lora)
        try lora.save(to: path)
        let expected = trained(tokens, batch: 2, steps: 8).value.scalars

        let fresh = GPTModel(tiny, seed: 5)
        let loaded = try adapted(fresh, seed: 99)
        #expect(fresh(tokens, batch: 2, steps: 8).value.scalars != expected)
        try loaded.load(from: path)
        #expect(fresh(tokens, batch: 2, steps: 8).value.scalars == expected)

        let otherTargets = try adapted(GPTModel(tiny), targets: ["query"])
        #expect(throws: LoRAError.self) { try otherTargets.load(from: path) }
        let otherRank = try LoRA(attachingTo: GPTModel(tiny), targets: [try LoRATarget.gpt("query", embeddingSize: 16),
                                                                        try LoRATarget.gpt("value", embeddingSize: 16)],
                                 configuration: LoRAConfiguration(rank: 2, alpha: 8))
        #expect(throws: LoRAError.self) { try otherRank.load(from: path) }
        #expect(throws: LoRAError.self) { try LoRATarget.gpt("values", embeddingSize: 16) }
        #expect(throws: LoRAError.self) {
            try LoRA(attachingTo: GPTModel(tiny), targets: [LoRATarget(name: "x", layerSuffix: "attn.c_q")])
        }
        #expect(throws: LoRAError.self) { try adapted(trained) }   // lora_q is already attached
    }

    @Test("all-linear adapts every Linear layer of every block: q, k, v slices, attn.c_proj, mlp.c_fc, mlp.c_proj")
    func allLinearTargets() throws {
        let model = GPTModel(tiny, seed: 3)
        let blockLinears = model.namedModules.filter { $0.1 is Linear }.map(\.0)   // before LoRA wraps them
        let lora = try adapted(model, targets: ["all-linear"])
        #expect(lora.targetNames == LoRATarget.knownGPTNames)
        #expect(lora.sites.count == 2 * 6)
        #expect(Set(lora.sites.map(\.layerPath)) == Set(blockLinears))
        // r (in + out) per site, C = 16: q, k, v, c_proj 4·(16+16) each; c_fc 4·(16+64); mlp.c_proj 4·(64+16).
        #expect(lora.parameterCount == 2 * (4 * 128 + 2 * 320))
        #expect(model.trainableParameters.count == 2 * lora.sites.count)
        #expect(throws: LoRAError.self) { try LoRATarget.gpt(["query", "all-lin"], embeddingSize: 16) }
    }
}
