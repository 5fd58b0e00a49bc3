// One GPT-2 transformer block, pre-LayerNorm (Radford et al. 2019, §2.3; the
// layout of nanoGPT's model.py with bias=False):
//   x ← x + attn(ln_1(x))        causal multi-head self-attention
//   x ← x + mlp(ln_2(x))         mlp(u) = c_proj(GELU(c_fc(u))), 4C hidden units
// attn(u) = c_proj(causalAttention(c_attn(u))): c_attn gives q, k, v stacked,
// (B, T, 3C), read in place by the fused attention node (NN/CausalAttentionOp.swift).
// Every projection is a Linear without bias. The residual stream x keeps its
// shape (B, T, C) through the block, so blocks stack. The forward pass calls
// each projection through a slot (qkvLayer, …) that holds the Linear itself
// until another layer of the same shape is put in its place (`replaceChild`):
// FineTuning puts a LoRA wrapper around the Linear there, as PEFT does with
// setattr, and the Linear (qkvProjection, …) keeps the weights either way.

import Autograd
import NN
import Tensor

/// Causal self-attention with GPT-2's names: c_attn (C → 3C) and c_proj (C → C), no biases.
public final class GPTAttention: Layer {
    /// nh, the number of heads; each attends over C / nh channels.
    public let headCount: Int
    /// c_attn's weights, C → 3C without bias: q, k and v side by side in one product.
    public let qkvProjection: Linear
    /// c_proj's weights, C → C without bias: mixes the heads' outputs and writes them into the residual stream.
    public let outputProjection: Linear
    /// What the forward pass calls for c_attn: `qkvProjection`, or a layer put around it.
    public private(set) var qkvLayer: any Layer
    /// What the forward pass calls for c_proj: `outputProjection`, or a layer put around it.
    public private(set) var outputLayer: any Layer
    /// Training or evaluation mode of this module alone; attention here has no dropout, so it changes nothing.
    public var isTraining = true

    init(embeddingSize: Int, headCount: Int) {
        precondition(embeddingSize % headCount == 0,
                     "GPTAttention: embeddingSize \(embeddingSize) must be a multiple of headCount \(headCount)")
        self.headCount = headCount
        qkvProjection = Linear(embeddingSize, 3 * embeddingSize, bias: false)
        outputProjection = Linear(embeddingSize, embeddingSize, bias: false)
        qkvLayer = qkvProjection
        outputLayer = outputProjection
    }

    /// None: the weights belong to the two projections.
    public var localParameters: [(String, Variable)] { [] }
    /// c_attn and c_proj, GPT-2's names (the slots, so that a wrapper's adapters are listed too).
    public var children: [(String, any Module)] { [("c_attn", qkvLayer), ("c_proj", outputLayer)] }

    /// Puts `replacement` (a layer of the same input and output size) in the slot "c_attn" or "c_proj".
    public func replaceChild(_ name: String, with replacement: any Module) -> Bool {
        guard let layer = replacement as? any Layer else { return false }
        switch name {
        case "c_attn": qkvLayer = layer
        case "c_proj": outputLayer = layer
        default: return false
        }
        return true
    }

    /// c_proj(causal attention of c_attn(x)), (B, T, C) → (B, T, C): each position attends to itself
    /// and the positions before it, never to later ones.
    public func callAsFunction(_ input: Variable) -> Variable {
        outputLayer(Variable.causalAttention(packedQKV: qkvLayer(input), headCount: headCount))
    }
}

/// The position-wise feed-forward part: C → 4C, GELU, 4C → C, no biases.
public final class GPTFeedForward: Layer {
    /// c_fc's weights, C → 4C without bias.
    public let expand: Linear
    /// c_proj's weights, 4C → C without bias: writes back into the residual stream.
    public let contract: Linear
    /// What the forward pass calls for c_fc: `expand`, or a layer put around it.
    public private(set) var expandLayer: any Layer
    /// What the forward pass calls for c_proj: `contract`, or a layer put around it.
    public private(set) var contractLayer: any Layer
    /// Training or evaluation mode of this module alone; there is no dropout, so it changes nothing.
    public var isTraining = true

    init(embeddingSize: Int) {
        expand = Linear(embeddingSize, 4 * embeddingSize, bias: false)
        contract = Linear(4 * embeddingSize, embeddingSize, bias: false)
        expandLayer = expand
        contractLayer = contract
    }

    /// None: the weights belong to the two projections.
    public var localParameters: [(String, Variable)] { [] }
    /// c_fc and c_proj, GPT-2's names (the slots, so that a wrapper's adapters are listed too).
    public var children: [(String, any Module)] { [("c_fc", expandLayer), ("c_proj", contractLayer)] }

    /// Puts `replacement` (a layer of the same input and output size) in the slot "c_fc" or "c_proj".
    public func replaceChild(_ name: String, with replacement: any Module) -> Bool {
        guard let layer = replacement as? any Layer else { return false }
        switch name {
        case "c_fc": expandLayer = layer
        case "c_proj": contractLayer = layer
        default: return false
        }
        return true
    }

    /// c_proj(GELU(c_fc(x))), applied to every position on its own, (…, C) → (…, C).
    public func callAsFunction(_ input: Variable) -> Variable { contractLayer(expandLayer(input).gelu()) }
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
