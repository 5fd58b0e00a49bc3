// GPTModel: a decoder-only transformer language model, GPT-2's architecture at
// nanoGPT's "baby" scale (W12: 4 layers, 4 heads, C = 128, block 64).
//
//   x_0    = wte[token_t] + wpe[t]                 token and position embeddings, (B, T, C)
//   x_l    = block_l(x_(l−1))                      l = 1 … n_layer (TransformerBlock.swift)
//   logits = ln_f(x_L) · wteᵀ                      (B, T, V): the output weights ARE wte (tied,
//                                                  Press & Wolf 2017), one matrix learned twice as often
//   loss   = mean cross-entropy of logits against the next tokens (Autograd's fused cross-entropy)
// Initialisation as GPT-2: every Linear and embedding weight ~ N(0, 0.02²); the
// projections that write into the residual stream (attn.c_proj, mlp.c_proj)
// ~ N(0, (0.02/√(2·n_layer))²), so the stream's variance does not grow with
// depth; LayerNorm γ = 1. Parameter names follow nanoGPT's state dict
// ("transformer.h.0.attn.c_attn.weight"; lm_head is wte and not listed twice).

import Autograd
import NN
import Tensor

/// The sizes of a GPT.
public struct GPTConfiguration: Sendable, Equatable, Codable {
    public var vocabularySize: Int
    /// The longest context, in tokens (the position table's length).
    public var blockSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var embeddingSize: Int

    public init(vocabularySize: Int, blockSize: Int, layerCount: Int, headCount: Int, embeddingSize: Int) {
        self.vocabularySize = vocabularySize
        self.blockSize = blockSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.embeddingSize = embeddingSize
    }

    /// W12's model (nanoGPT's CPU "baby" config) for a vocabulary of `vocabularySize` tokens.
    public static func w12(vocabularySize: Int) -> GPTConfiguration {
        GPTConfiguration(vocabularySize: vocabularySize, blockSize: 64, layerCount: 4, headCount: 4, embeddingSize: 128)
    }
}

/// The embeddings, the blocks and the final LayerNorm: nanoGPT's `transformer` module dict.
public final class GPTTransformer: Module {
    public let tokenEmbedding: Embedding
    public let positionEmbedding: Embedding
    public let blocks: [TransformerBlock]
    public let finalNorm: LayerNorm
    public var isTraining = true

    init(_ configuration: GPTConfiguration) {
        let c = configuration.embeddingSize
        tokenEmbedding = Embedding(configuration.vocabularySize, c)
        positionEmbedding = Embedding(configuration.blockSize, c)
        blocks = (0..<configuration.layerCount).map { _ in TransformerBlock(embeddingSize: c, headCount: configuration.headCount) }
        finalNorm = LayerNorm(c, bias: false)
    }

    public var localParameters: [(String, Variable)] { [] }
    public var children: [(String, any Module)] {
        [("wte", tokenEmbedding), ("wpe", positionEmbedding)]
            + blocks.enumerated().map { ("h.\($0.offset)", $0.element as any Module) }
            + [("ln_f", finalNorm)]
    }
}

/// A GPT language model over `configuration.vocabularySize` tokens.
public final class GPTModel: Module {
    public let configuration: GPTConfiguration
    public let transformer: GPTTransformer
    public var isTraining = true

    /// A model with GPT-2's initialisation drawn from `seed`.
    public init(_ configuration: GPTConfiguration, seed: UInt64 = 0) {
        precondition(configuration.vocabularySize > 0 && configuration.blockSize > 0 && configuration.layerCount > 0
                     && configuration.headCount > 0 && configuration.embeddingSize % configuration.headCount == 0,
                     "GPTModel: invalid configuration \(configuration)")
        self.configuration = configuration
        transformer = GPTTransformer(configuration)
        var generator = RandomGenerator(seed: seed)
        let residualStd = 0.02 / Float(2 * configuration.layerCount).squareRoot()
        for (name, parameter) in transformer.namedParameters where parameter.rank >= 2 {   // LayerNorm γ (1-D) stays 1
            let std: Float = name.hasSuffix("c_proj.weight") ? residualStd : 0.02
            parameter.value = Tensor.normal(parameter.shape, std: std, using: &generator)
        }
    }

    public var localParameters: [(String, Variable)] { [] }
    public var children: [(String, any Module)] { [("transformer", transformer)] }

    /// The number of trainable numbers (wte counted once, as it is shared with the output).
    public var parameterCount: Int { namedParameters.reduce(0) { $0 + $1.1.value.count } }

    /// ln_f(x_L), (B, T, C): what the output layer (or a reward model's head) reads, for `tokens`,
    /// `batch` rows of `steps` ids each (steps ≤ blockSize).
    public func hiddenStates(_ tokens: [Int], batch: Int, steps: Int) -> Variable {
        precondition(steps > 0 && steps <= configuration.blockSize && tokens.count == batch * steps,
                     "GPTModel: \(tokens.count) tokens as \(batch) × \(steps), expected steps in 1...\(configuration.blockSize)")
        let positions = (0..<batch).flatMap { _ in 0..<steps }
        var x = transformer.tokenEmbedding(tokens, shape: [batch, steps])
            + transformer.positionEmbedding(positions, shape: [batch, steps])           // (B, T, C)
        for block in transformer.blocks { x = block(x) }
        return transformer.finalNorm(x)                                                    // (B, T, C)
    }

    /// Logits (B, T, V) for `tokens`, `batch` rows of `steps` ids each (steps ≤ blockSize).
    public func callAsFunction(_ tokens: [Int], batch: Int, steps: Int) -> Variable {
        hiddenStates(tokens, batch: batch, steps: steps)
            .matmul(transformer.tokenEmbedding.weight, transposeOther: true)            // (B, T, V), tied weights
    }

    /// A separate model with the same configuration and a copy of these weights (PyTorch's deepcopy).
    /// The copy is a plain GPT: a model with LoRA adapters must be merged (or copied before adapting).
    public func copy() -> GPTModel {
        let twin = GPTModel(configuration)
        let weights = stateDict()
        let extra = Set(weights.keys).subtracting(twin.stateDict().keys).sorted()
        precondition(extra.isEmpty, "GPTModel.copy: the model holds weights a plain GPT has not (\(extra.prefix(2).joined(separator: ", "))…), "
                     + "such as LoRA adapters; merge them into the base first, or copy the model before adapting it")
        try! twin.loadStateDict(weights, source: "GPTModel.copy")   // same configuration, no extra keys: the keys and shapes agree
        return twin
    }

    /// Mean cross-entropy of predicting `targets` (the next token at every position).
    public func loss(_ tokens: [Int], targets: [Int], batch: Int, steps: Int) -> Variable {
        let logits = self(tokens, batch: batch, steps: steps)
        return logits.reshaped([batch * steps, configuration.vocabularySize]).crossEntropy(targets)
    }
}
