// Cosine similarity and top-k: the maths of embedding search.
//
//     cos(u, v) = u·v / (‖u‖ ‖v‖)
//
// With every row scaled to unit length first (û = u / ‖u‖), the similarities
// of all queries against all keys are one matrix product: S = Q̂ · K̂ᵀ.
// topK then keeps, for each row of S, the k largest values and their columns.

extension Tensor {
    /// Each row (last axis) divided by its Euclidean norm; rows of zeros stay zero.
    public func normalizedRows(epsilon: Float = 1e-12) -> Tensor {
        precondition(rank >= 1, "normalizedRows: needs at least one axis, shape is \(shape)")
        let norms = squared().sum(axis: -1, keepDims: true).sqrt()
        return self / Tensor.maximum(norms, Tensor(epsilon))
    }

    /// Cosine similarity of every row of `queries` [q, d] with every row of `keys` [n, d]: a [q, n] matrix.
    public static func cosineSimilarity(_ queries: Tensor, _ keys: Tensor) -> Tensor {
        precondition(queries.rank == 2 && keys.rank == 2 && queries.shape[1] == keys.shape[1],
                     "cosineSimilarity: needs [q, d] and [n, d], shapes are \(queries.shape) and \(keys.shape)")
        return matmul(queries.normalizedRows(), keys.normalizedRows(), transposeB: true)
    }

    /// The k largest values along the last axis, in descending order, with their indices
    /// (ties keep the lower index first). Shapes: [..., n] → values and indices [..., k].
    public func topK(_ k: Int) -> (values: Tensor, indices: [[Int]]) {
        precondition(rank >= 1, "topK: needs at least one axis, shape is \(shape)")
        let n = shape[rank - 1]
        precondition(k >= 0 && k <= n, "topK: k = \(k) for a last axis of size \(n)")
        let rows = n == 0 ? 0 : count / n
        var values = Tensor(uninitializedShape: Array(shape.dropLast()) + [k])
        var indices: [[Int]] = []
        indices.reserveCapacity(rows)
        withUnsafeBufferPointer { x in
            values.withUnsafeMutableBufferPointer { v in
                for r in 0..<rows {
                    let row = x.baseAddress! + r * n
                    // Keep a small sorted list of the best k seen so far (k is small in practice).
                    var best: [Int] = []
                    best.reserveCapacity(k + 1)
                    for j in 0..<n {
                        if best.count == k, let last = best.last, !(row[j] > row[last]) { continue }
                        var position = best.count
                        while position > 0 && row[j] > row[best[position - 1]] { position -= 1 }
                        best.insert(j, at: position)
                        if best.count > k { best.removeLast() }
                    }
                    for (slot, j) in best.enumerated() { v[r * k + slot] = row[j] }
                    indices.append(best)
                }
            }
        }
        return (values, indices)
    }
}
