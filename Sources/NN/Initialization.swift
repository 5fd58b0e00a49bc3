// Initialization: the random starting values of a layer's weights.
//
// A weight of shape [out, in, k1, k2, …] (Linear: [out, in]; Conv2d: [out, in, kh, kw])
// has a receptive field r = k1·k2·… (1 for Linear) and
//   fanIn  = in · r     (how many inputs each output sums)
//   fanOut = out · r    (how many outputs each input feeds)
// The schemes keep the variance of activations (forward) or of gradients
// (backward) roughly constant from layer to layer:
//   Xavier/Glorot (Glorot & Bengio 2010, eq. 16), for tanh/sigmoid:
//     Var(w) = gain² · 2 / (fanIn + fanOut)
//     uniform U(−a, a) with a = gain · √(6 / (fanIn + fanOut)),  normal N(0, gain² · 2 / (fanIn + fanOut))
//   Kaiming/He (He et al. 2015, sec. 2.2), for ReLU (gain √2):
//     Var(w) = gain² / fanIn
//     uniform U(−a, a) with a = gain · √(3 / fanIn),  normal N(0, gain² / fanIn)
//   PyTorch's nn.Linear default: weight and bias both U(−1/√fanIn, 1/√fanIn)
//     (kaiming_uniform_ with a = √5 gives exactly this bound for the weight).
// A uniform U(−a, a) has variance a²/3, which is where the 6 and 3 come from.
//   Orthogonal (Saxe et al. 2014): W = gain · Q, Q from the QR factorisation of a
//     standard normal matrix, its columns' signs fixed by diag(R) so that Q is
//     uniformly distributed; rows or columns orthonormal, whichever are fewer.
//     PPO's usual initialisation (CleanRL's layer_init: gain √2, 0.01 for the
//     policy's output, 1 for the value's).
// PyTorch equivalents: torch.nn.init.xavier_uniform_, xavier_normal_,
// kaiming_uniform_(mode="fan_in"), kaiming_normal_(mode="fan_in"), orthogonal_.

import Tensor

/// Weight initialization schemes, each drawing from a seeded `RandomGenerator`.
public enum Initialization {
    /// The recommended gain for ReLU layers, √2 (PyTorch's `calculate_gain("relu")`).
    public static let reluGain: Float = Float(2).squareRoot()
    /// The recommended gain for tanh layers, 5/3 (PyTorch's `calculate_gain("tanh")`).
    public static let tanhGain: Float = 5.0 / 3.0

    /// The fan-in and fan-out of a weight of `shape` = [out, in, receptive field…] (rank ≥ 2).
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        precondition(shape.count >= 2,
                     "Initialization.fans: a weight needs at least 2 axes [out, in, …], got shape \(shape)")
        let receptiveField = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptiveField, shape[0] * receptiveField)
    }

    /// Xavier/Glorot uniform: U(−a, a), a = gain · √(6 / (fanIn + fanOut)).
    public static func xavierUniform(_ shape: [Int], gain: Float = 1, using generator: inout RandomGenerator) -> Tensor {
        let (fanIn, fanOut) = fans(shape)
        let bound = gain * (6 / Float(fanIn + fanOut)).squareRoot()
        return Tensor.uniform(shape, low: -bound, high: bound, using: &generator)
    }

    /// Xavier/Glorot normal: N(0, σ²), σ = gain · √(2 / (fanIn + fanOut)).
    public static func xavierNormal(_ shape: [Int], gain: Float = 1, using generator: inout RandomGenerator) -> Tensor {
        let (fanIn, fanOut) = fans(shape)
        let std = gain * (2 / Float(fanIn + fanOut)).squareRoot()
        return Tensor.normal(shape, mean: 0, std: std, using: &generator)
    }

    /// Kaiming/He uniform (fan-in mode): U(−a, a), a = gain · √(3 / fanIn). Gain √2 for ReLU.
    public static func kaimingUniform(_ shape: [Int], gain: Float = reluGain, using generator: inout RandomGenerator) -> Tensor {
        let bound = gain * (3 / Float(fans(shape).fanIn)).squareRoot()
        return Tensor.uniform(shape, low: -bound, high: bound, using: &generator)
    }

    /// Kaiming/He normal (fan-in mode): N(0, σ²), σ = gain / √fanIn. Gain √2 for ReLU.
    public static func kaimingNormal(_ shape: [Int], gain: Float = reluGain, using generator: inout RandomGenerator) -> Tensor {
        let std = gain / Float(fans(shape).fanIn).squareRoot()
        return Tensor.normal(shape, mean: 0, std: std, using: &generator)
    }

    /// PyTorch's default for nn.Linear and nn.Conv: U(−1/√fanIn, 1/√fanIn), for a weight or
    /// (with the weight's `fanIn`) for its bias.
    public static func pytorchDefault(_ shape: [Int], fanIn: Int, using generator: inout RandomGenerator) -> Tensor {
        precondition(fanIn > 0, "Initialization.pytorchDefault: fanIn must be positive, got \(fanIn) for shape \(shape)")
        let bound = 1 / Float(fanIn).squareRoot()
        return Tensor.uniform(shape, low: -bound, high: bound, using: &generator)
    }

    /// W = gain · Q for a weight of shape [rows, columns…]: orthonormal rows (rows ≤ columns) or columns.
    public static func orthogonal(_ shape: [Int], gain: Float = 1, using generator: inout RandomGenerator) -> Tensor {
        precondition(shape.count >= 2, "Initialization.orthogonal: a weight of rank ≥ 2, got shape \(shape)")
        let rows = shape[0], columns = shape.dropFirst().reduce(1, *)
        // Factor the taller of the two orientations, so that Q has min(rows, columns) orthonormal columns.
        let tall = Tensor.normal([max(rows, columns), min(rows, columns)], mean: 0, std: 1, using: &generator)
        let (q, r) = LinearAlgebra.qr(tall)
        let k = min(rows, columns)
        let signs = (0..<k).map { r.scalars[$0 * k + $0] < 0 ? Float(-1) : 1 }
        let qs = q.scalars
        let signed = Tensor(shape: q.shape, scalars: qs.indices.map { qs[$0] * signs[$0 % k] * gain })
        return (rows < columns ? signed.transposed() : signed).reshaped(shape)
    }
}
