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
    /// nh, the number of heads; each attends over C / nh channels.
    public let headCount: Int
    /// c_attn, C → 3C without bias: q, k and v side by side in one product.
    public let qkvProjection: Linear
    /// c_proj, C → C without bias: mixes the heads' outputs and writes them into the residual stream.
    public let outputProjection: Linear
    /// Training or evaluation mode of this module alone; attention here has no dropout, so it changes nothing.
    public var isTraining = true

    init(embeddingSize: Int, headCount: Int) {
        precondition(embeddingSize % headCount == 0,
                     "GPTAttention: embeddingSize \(embeddingSize) must be a multiple of headCount \(headCount)")
        self.headCount = headCount
        qkvProjection = Linear(embeddingSize, 3 * embeddingSize, bias: false)
        outputProjection = Linear(embeddingSize, embeddingSize, bias: false)
    }

    /// None: the weights belong to the two projections.
    public var localParameters: [(String, Variable)] { [] }
    /// c_attn and c_proj, GPT-2's names.
    public var children: [(String, any Module)] { [("c_attn", qkvProjection), ("c_proj", outputProjection)] }

    /// c_proj(causal attention of c_attn(x)), (B, T, C) → (B, T, C): each position attends to itself
    /// and the positions before it, never to later ones.
    public func callAsFunction(_ input: Variable) -> Variable {
        outputProjection(Variable.causalAttention(packedQKV: qkvProjection(input), headCount: headCount))
    }
}

/// The position-wise feed-forward part: C → 4C, GELU, 4C → C, no biases.
public final class GPTFeedForward: Layer {
    /// c_fc, C → 4C without bias.
    public let expand: Linear
    /// c_proj, 4C → C without bias: writes back into the residual stream.
    public let contract: Linear
    /// Training or evaluation mode of this module alone; there is no dropout, so it changes nothing.
    public var isTraining = true

    init(embeddingSize: Int) {
        expand = Linear(embeddingSize, 4 * embeddingSize, bias: false)
        contract = Linear(4 * embeddingSize, embeddingSize, bias: false)
    }

    /// None: the weights belong to the two projections.
    public var localParameters: [(String, Variable)] { [] }
    /// c_fc and c_proj, GPT-2's names.
    public var children: [(String, any Module)] { [("c_fc", expand), ("c_proj", contract)] }

    /// c_proj(GELU(c_fc(x))), applied to every position on its own, (…, C) → (…, C).
    public func callAsFunction(_ input: Variable) -> Variable { contract(expand(input).gelu()) }
}

/// x + attn(ln_1(x)), then x + mlp(ln_2(x)).
public final class TransformerBlock: Layer {
    /// ln_1, the LayerNorm (no bias) before attention.
    public let attentionNorm: LayerNorm
    /// attn, causal self-attention.
    public let attention: GPTAttention
    /// ln_2, the LayerNorm (no bias) before the MLP.
    public let feedForwardNorm: LayerNorm
    /// mlp, the position-wise feed-forward part.
    public let feedForward: GPTFeedForward
    /// Training or evaluation mode of this module alone; the block has no dropout, so it changes nothing.
    public var isTraining = true

    init(embeddingSize: Int, headCount: Int) {
        attentionNorm = LayerNorm(embeddingSize, bias: false)
        attention = GPTAttention(embeddingSize: embeddingSize, headCount: headCount)
        feedForwardNorm = LayerNorm(embeddingSize, bias: false)
        feedForward = GPTFeedForward(embeddingSize: embeddingSize)
    }

    /// None: the weights belong to the four parts.
    public var localParameters: [(String, Variable)] { [] }
    /// ln_1, attn, ln_2 and mlp, nanoGPT's names.
    public var children: [(String, any Module)] {
        [("ln_1", attentionNorm), ("attn", attention), ("ln_2", feedForwardNorm), ("mlp", feedForward)]
    }

    /// x + attn(ln_1(x)), then the same plus mlp(ln_2(·)): (B, T, C) → (B, T, C), so blocks stack.
    public func callAsFunction(_ input: Variable) -> Variable {
        let afterAttention = input + attention(attentionNorm(input))
        return afterAttention + feedForward(feedForwardNorm(afterAttention))
    }
}
