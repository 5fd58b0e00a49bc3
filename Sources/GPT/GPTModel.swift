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

/// The sizes of a GPT (nanoGPT's `GPTConfig`).
///
/// No field has a default: ``w12(vocabularySize:)`` gives W12's model, nanoGPT's CPU-sized
/// "baby" setting, and the vocabulary comes from the tokenizer. The parameter count is about
/// `12 · layerCount · embeddingSize²` for the blocks plus `(vocabularySize + blockSize) · embeddingSize`
/// for the embeddings (804 096 for W12 on tiny Shakespeare's 65 characters).
public struct GPTConfiguration: Sendable, Equatable, Codable {
    /// V, the number of token ids: the rows of the token embedding and the width of the logits.
    /// Set by the tokenizer (65 for tiny Shakespeare's characters), so it has no default.
    public var vocabularySize: Int
    /// The longest context, in tokens (the position table's length).
    /// W12 uses 64, nanoGPT's CPU setting: a character model sees a line or two of verse,
    /// and attention's cost grows with the square of this length.
    public var blockSize: Int
    /// The number of transformer blocks stacked (nanoGPT's `n_layer`).
    /// W12 uses 4, nanoGPT's CPU setting: its 2 000 steps train in about two minutes on two cores.
    public var layerCount: Int
    /// The number of attention heads per block (`n_head`); must divide ``embeddingSize``.
    /// W12 uses 4, so each head works on 32 channels of the 128.
    public var headCount: Int
    /// C, the width of the residual stream (`n_embd`): every token is C numbers between the blocks.
    /// W12 uses 128, nanoGPT's CPU setting; the MLP inside each block is 4C wide.
    public var embeddingSize: Int

    /// A configuration with every size given; ``GPTModel/init(_:seed:)`` checks that the vocabulary, block,
    /// layer and head counts are positive and that `headCount` divides `embeddingSize`.
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
    /// wte, the token embedding, [V, C]; also the output layer's weight (tied).
    public let tokenEmbedding: Embedding
    /// wpe, the learned position embedding, [blockSize, C].
    public let positionEmbedding: Embedding
    /// h.0 … h.(layerCount − 1), the transformer blocks in order.
    public let blocks: [TransformerBlock]
    /// ln_f, the LayerNorm (no bias) applied after the last block.
    public let finalNorm: LayerNorm
    /// Training or evaluation mode of this module alone; the GPT has no dropout, so it changes nothing here.
    public var isTraining = true

    init(_ configuration: GPTConfiguration) {
        let c = configuration.embeddingSize
        tokenEmbedding = Embedding(configuration.vocabularySize, c)
        positionEmbedding = Embedding(configuration.blockSize, c)
        blocks = (0..<configuration.layerCount).map { _ in TransformerBlock(embeddingSize: c, headCount: configuration.headCount) }
        finalNorm = LayerNorm(c, bias: false)
    }

    /// None: every weight belongs to a child.
    public var localParameters: [(String, Variable)] { [] }
    /// wte, wpe, h.0 …, ln_f: nanoGPT's names, so the state dict's keys match PyTorch's.
    public var children: [(String, any Module)] {
        [("wte", tokenEmbedding), ("wpe", positionEmbedding)]
            + blocks.enumerated().map { ("h.\($0.offset)", $0.element as any Module) }
            + [("ln_f", finalNorm)]
    }
}

/// A GPT language model over `configuration.vocabularySize` tokens.
public final class GPTModel: Module {
    /// The sizes the model was built with.
    public let configuration: GPTConfiguration
    /// The embeddings, blocks and final LayerNorm (nanoGPT's `transformer`); there is no separate
    /// `lm_head`, as the output uses the token embedding's weight.
    public let transformer: GPTTransformer
    /// Training or evaluation mode of this module alone; the GPT has no dropout, so it changes nothing here.
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

    /// None: every weight belongs to ``transformer``.
    public var localParameters: [(String, Variable)] { [] }
    /// The one child, "transformer", so parameter names start "transformer." as in nanoGPT.
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
