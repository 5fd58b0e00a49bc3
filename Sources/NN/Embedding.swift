// Embedding: a lookup table of learned vectors, one row per token id.
//
//   y[i] = W[index_i]        W: (count, dim)   indices: shape S   y: S + (dim)
// Looking up rows is the same as multiplying by a one-hot matrix:
//   y = H · W,   H: (n, count) with H[i, index_i] = 1 and 0 elsewhere
// so the gradient is ∂L/∂W = Hᵀ · ∂L/∂y: each row's gradient lands on the row it
// came from, summed when an index repeats. The gather op (Autograd/IndexingOps)
// computes exactly that without the one-hot matrix: n·dim copies forward, and a
// scatter-add of the n gradient rows backward.
// Initialization: W ~ N(0, 1), as in PyTorch.
// PyTorch equivalent: torch.nn.Embedding(num_embeddings, embedding_dim).

import Autograd
import Tensor

/// A table of `count` learned vectors of size `dimension`, indexed by integer ids.
public final class Embedding: Module {
    /// Number of rows (the vocabulary size).
    public let count: Int
    /// Length of each vector.
    public let dimension: Int
    /// The table W, shape [count, dimension]. Assignable, e.g. to tie weights.
    public var weight: Variable
    public var isTraining = true

    /// A table of `count` × `dimension` numbers drawn from N(0, 1) with `seed`.
    public init(_ count: Int, _ dimension: Int, seed: UInt64 = 0) {
        precondition(count > 0 && dimension > 0, "Embedding(\(count), \(dimension)): sizes must be positive")
        self.count = count
        self.dimension = dimension
        weight = Variable(Tensor.normal([count, dimension], seed: seed), requiresGrad: true, name: "weight")
    }

    public var localParameters: [(String, Variable)] { [("weight", weight)] }

    /// The rows of `indices`, arranged in `shape` (default: a vector); the result has shape `shape + [dimension]`.
    public func callAsFunction(_ indices: [Int], shape: [Int]? = nil) -> Variable {
        let shape = shape ?? [indices.count]
        precondition(shape.reduce(1, *) == indices.count,
                     "Embedding(\(count), \(dimension)): \(indices.count) indices do not fill shape \(shape)")
        for (i, index) in indices.enumerated() {
            precondition(index >= 0 && index < count,
                         "Embedding(\(count), \(dimension)): index \(index) at position \(i) is outside 0..<\(count)")
        }
        let rows = weight.gathering(indices)                     // (count, dim) → (n, dim)
        return rows.reshaped(shape + [dimension])                // (n, dim) → S + (dim)
    }
}
