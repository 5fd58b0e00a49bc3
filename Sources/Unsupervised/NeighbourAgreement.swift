// NeighbourAgreement: how well a map keeps classes together, measured
// without any model on top of it.
//
// For each point i with label ℓᵢ, take its k nearest neighbours Nₖ(i) in the
// embedding (i itself left out) and count those with the same label:
//     score = (1/n) Σᵢ |{ j ∈ Nₖ(i) : ℓⱼ = ℓᵢ }| / k.
// This is the leave-one-out accuracy of a k-nearest-neighbour vote, softened
// to a fraction: 1 when every neighbourhood is pure, about Σ_c (n_c/n)² when
// labels are scattered at random. Neighbours come from a KD-tree over the
// embedding (2 or 3 coordinates for a t-SNE map), O(n log n) in all.
import Foundation
import Tensor

/// The mean fraction of each point's k nearest neighbours (in an embedding) that share its label.
public enum NeighbourAgreement {
    /// Σᵢ (same-label neighbours among the k nearest of i, i excluded) / (k·n), for Y [n, c] and n labels.
    public static func score(_ embedding: Tensor, labels: [Int], neighbours k: Int = 10) -> Double {
        precondition(embedding.rank == 2 && embedding.shape[0] == labels.count,
                     "NeighbourAgreement.score: embedding \(embedding.shape) needs one label per row, got \(labels.count)")
        let (n, c) = (embedding.shape[0], embedding.shape[1])
        precondition(k >= 1 && k < n, "NeighbourAgreement.score: k must be in 1 ..< n = \(n), got \(k)")
        let tree = KDTree(embedding)
        var agreeing = [Int](repeating: 0, count: n)
        embedding.withUnsafeBufferPointer { points in
            labels.withUnsafeBufferPointer { labels in
                agreeing.withUnsafeMutableBufferPointer { agreeing in
                    let out = ParallelWritePointer(agreeing.baseAddress!)
                    Parallel.forRanges(n, minimumPerThread: 512) { rows in
                        for i in rows {
                            // k + 1 nearest: the point itself (distance 0) is among them; drop it by index.
                            let found = tree.nearest(k + 1, to: points.baseAddress! + i * c)
                            var others = found.filter { $0.index != i }
                            if others.count > k { others.removeLast(others.count - k) }
                            out.pointer[i] = others.reduce(0) { $0 + (labels[$1.index] == labels[i] ? 1 : 0) }
                        }
                    }
                }
            }
        }
        return Double(agreeing.reduce(0, +)) / Double(n * k)
    }
}
