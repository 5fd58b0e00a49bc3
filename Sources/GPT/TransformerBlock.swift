// One GPT-2 transformer block, pre-LayerNorm (Radford et al. 2019, §2.3; the
// layout of nanoGPT's model.py with bias=False):
//   x ← x + attn(ln_1(x))        causal multi-head self-attention
//   x ← x + mlp(ln_2(x))         mlp(u) = c_proj(GELU(c_fc(u))), 4C hidden units
// attn(u) = c_proj(causalAttention(c_attn(u))): c_attn gives q, k, v stacked,
// (B, T, 3C), read in place by the fused attention node (Autograd/CausalAttentionOp.swift).
// Every projection is a Linear without bias. The residual stream x keeps its
// shape (B, T, C) through the block, so blocks stack.

import Autograd
import NN
import Tensor

/// Causal self-attention with GPT-2's names: c_attn (C → 3C) and c_proj (C → C), no biases.
public final class GPTAttention: Layer {
    public let headCount: Int
    public let qkvProjection: Linear
    public let outputProjection: Linear
    public var isTraining = true

    init(embeddingSize: Int, headCount: Int) {
        precondition(embeddingSize % headCount == 0,
                     "GPTAttention: embeddingSize \(embeddingSize) must be a multiple of headCount \(headCount)")
        self.headCount = headCount
        qkvProjection = Linear(embeddingSize, 3 * embeddingSize, bias: false)
        outputProjection = Linear(embeddingSize, embeddingSize, bias: false)
    }

    public var localParameters: [(String, Variable)] { [] }
    public var children: [(String, any Module)] { [("c_attn", qkvProjection), ("c_proj", outputProjection)] }

    public func callAsFunction(_ input: Variable) -> Variable {
        outputProjection(Variable.causalAttention(packedQKV: qkvProjection(input), headCount: headCount))
    }
}

/// The position-wise feed-forward part: C → 4C, GELU, 4C → C, no biases.
public final class GPTFeedForward: Layer {
    public let expand: Linear
    public let contract: Linear
    public var isTraining = true

    init(embeddingSize: Int) {
        expand = Linear(embeddingSize, 4 * embeddingSize, bias: false)
        contract = Linear(4 * embeddingSize, embeddingSize, bias: false)
    }

    public var localParameters: [(String, Variable)] { [] }
    public var children: [(String, any Module)] { [("c_fc", expand), ("c_proj", contract)] }

    public func callAsFunction(_ input: Variable) -> Variable { contract(expand(input).gelu()) }
}

/// x + attn(ln_1(x)), then x + mlp(ln_2(x)).
public final class TransformerBlock: Layer {
    public let attentionNorm: LayerNorm
    public let attention: GPTAttention
    public let feedForwardNorm: LayerNorm
    public let feedForward: GPTFeedForward
    public var isTraining = true

    init(embeddingSize: Int, headCount: Int) {
        attentionNorm = LayerNorm(embeddingSize, bias: false)
        attention = GPTAttention(embeddingSize: embeddingSize, headCount: headCount)
        feedForwardNorm = LayerNorm(embeddingSize, bias: false)
        feedForward = GPTFeedForward(embeddingSize: embeddingSize)
    }

    public var localParameters: [(String, Variable)] { [] }
    public var children: [(String, any Module)] {
        [("ln_1", attentionNorm), ("attn", attention), ("ln_2", feedForwardNorm), ("mlp", feedForward)]
    }

    public func callAsFunction(_ input: Variable) -> Variable {
        let afterAttention = input + attention(attentionNorm(input))
        return afterAttention + feedForward(feedForwardNorm(afterAttention))
    }
}
