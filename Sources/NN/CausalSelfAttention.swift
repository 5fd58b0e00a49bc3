// Multi-head (causal) self-attention, after Vaswani et al. 2017, "Attention Is All
// You Need", §3.2.
//
// For an input x of shape (B, T, C) with C = nh · hs (nh heads of size hs):
//   [q | k | v] = x · W_inᵀ + b_in        W_in: (3C, C)  b_in: (3C)   each of q, k, v: (B, T, C)
//   split the channels into heads:        q, k, v → (B, nh, T, hs)
//   scores    = q · kᵀ / √hs              (B, nh, T, T)     scaled dot products (§3.2.1)
//   causal:     scores[…, t, s] = −∞ for s > t  (position t attends only to positions ≤ t)
//   att       = softmax(scores) over the last axis (each row sums to 1)
//   y_head    = att · v                   (B, nh, T, hs)
//   merge heads back:                     y → (B, T, C)
//   out       = y · W_outᵀ + b_out        (the child Linear "out_proj")
// `attention(packedQKV:…)` writes every step as an Autograd op (matmul, reshape,
// permute, softmax, add), so its gradients come from their backward rules; the
// causal layer runs the same maths as one fused node (Variable.causalAttention).
// Parameters and initialization as in PyTorch: in_proj_weight ~ Xavier uniform,
// in_proj_bias = 0, out_proj.weight ~ U(−1/√C, 1/√C) (Linear's default), out_proj.bias = 0.
// PyTorch equivalent: torch.nn.MultiheadAttention(C, nh, batch_first=True) called as
// attn(x, x, x, attn_mask=torch.triu(ones(T, T, dtype=bool), diagonal=1)).

import Autograd
import Tensor

/// Multi-head self-attention over batch-first sequences (B, T, C), causal by default.
public final class MultiheadAttention: Module {
    /// The channel count C of input and output.
    public let embedDimension: Int
    /// The number of heads nh; each head works on C / nh channels.
    public let headCount: Int
    /// Whether position t may attend only to positions ≤ t.
    public let causal: Bool
    /// The stacked query, key and value projections W_in, shape [3C, C]. Assignable.
    public var inputProjectionWeight: Variable
    /// The stacked projection biases b_in, shape [3C]. Assignable.
    public var inputProjectionBias: Variable
    /// The output projection, a Linear(C, C) (PyTorch's `out_proj`).
    public let outputProjection: Linear
    public var isTraining = true

    /// The size hs of one head, C / nh.
    public var headSize: Int { embedDimension / headCount }

    /// A layer with `headCount` heads over `embedDimension` channels, initialized like PyTorch from `seed`.
    public init(embedDimension: Int, headCount: Int, causal: Bool = true, seed: UInt64 = 0) {
        precondition(embedDimension > 0 && headCount > 0 && embedDimension % headCount == 0,
                     "MultiheadAttention(embedDimension: \(embedDimension), headCount: \(headCount)): "
                     + "the embedding dimension must be a positive multiple of the head count")
        self.embedDimension = embedDimension
        self.headCount = headCount
        self.causal = causal
        var generator = RandomGenerator(seed: seed)
        let c = embedDimension
        inputProjectionWeight = Variable(Initialization.xavierUniform([3 * c, c], using: &generator),
                                         requiresGrad: true, name: "in_proj_weight")
        inputProjectionBias = Variable(Tensor.zeros([3 * c]), requiresGrad: true, name: "in_proj_bias")
        outputProjection = Linear(c, c, seed: generator.next())
        outputProjection.bias = Variable(Tensor.zeros([c]), requiresGrad: true, name: "bias")
    }

    public var localParameters: [(String, Variable)] {
        [("in_proj_weight", inputProjectionWeight), ("in_proj_bias", inputProjectionBias)]
    }

    public var children: [(String, any Module)] { [("out_proj", outputProjection)] }

    /// Self-attention of `input` (B, T, C) with itself; the output has the same shape.
    public func callAsFunction(_ input: Variable) -> Variable {
        let c = embedDimension, nh = headCount
        precondition(input.rank == 3 && input.shape[2] == c && input.shape[1] > 0,
                     "MultiheadAttention(embedDimension: \(c), headCount: \(nh)): input has shape \(input.shape), "
                     + "expected (batch, time, \(c))")

        // One matmul for all three projections.
        let qkv = input.matmul(inputProjectionWeight, transposeOther: true) + inputProjectionBias   // (B, T, 3C)
        // Causal: the fused node (NN/CausalAttentionOp.swift), which computes what `attention` spells out.
        let merged = causal ? Variable.causalAttention(packedQKV: qkv, headCount: nh)
                            : Self.attention(packedQKV: qkv, headCount: nh, causal: false)         // (B, T, C)
        return outputProjection(merged)                                                            // (B, T, C)
    }

    /// Attention of packed projections (B, T, 3C) → (B, T, C), step by step from Autograd ops:
    /// the readable definition of the fused `Variable.causalAttention`.
    public static func attention(packedQKV qkv: Variable, headCount nh: Int, causal: Bool) -> Variable {
        let (b, t, c) = (qkv.shape[0], qkv.shape[1], qkv.shape[2] / 3)
        let hs = c / nh
        // Split channels into (q|k|v, head, hs).
        let heads = qkv.reshaped([b, t, 3, nh, hs]).permuted([2, 0, 3, 1, 4])                     // (3, B, nh, T, hs)
        let q = heads.slice(axis: 0, 0..<1).reshaped([b, nh, t, hs])                               // (B, nh, T, hs)
        let k = heads.slice(axis: 0, 1..<2).reshaped([b, nh, t, hs])                               // (B, nh, T, hs)
        let v = heads.slice(axis: 0, 2..<3).reshaped([b, nh, t, hs])                               // (B, nh, T, hs)

        var scores = q.matmul(k, transposeOther: true) / Float(hs).squareRoot()                    // (B, nh, T, T)
        if causal { scores = scores + Variable(causalMask(t)) }                                    // −∞ above the diagonal
        let attention = scores.softmax(axis: -1)                                                   // rows sum to 1
        let y = attention.matmul(v)                                                                // (B, nh, T, hs)
        return y.permuted([0, 2, 1, 3]).reshaped([b, t, c])                                        // (B, T, C)
    }

    /// The additive causal mask (T, T): 0 where s ≤ t, −∞ where s > t.
    static func causalMask(_ t: Int) -> Tensor {
        var mask = Tensor.zeros([t, t])
        mask.withUnsafeMutableBufferPointer { m in
            for row in 0..<t {
                for column in (row + 1)..<t { m[row * t + column] = -.infinity }
            }
        }
        return mask
    }
}
