// Silhouette: how well each row sits in its cluster (Rousseeuw, "Silhouettes:
// a graphical aid to the interpretation and validation of cluster analysis", 1987).
//
// For row i in cluster A (with |A| rows) and distances dist = ‖·‖ (Euclidean):
//     a(i) = (1 / (|A| − 1)) Σ_{j ∈ A, j ≠ i} dist(i, j)      mean distance to its own cluster
//     b(i) = min over clusters B ≠ A of (1 / |B|) Σ_{j ∈ B} dist(i, j)   the nearest other cluster
//     s(i) = (b − a) / max(a, b)  ∈ [−1, 1],   and s(i) = 0 when |A| = 1
// s near 1: far closer to its own cluster than to any other; near 0: on a
// border; negative: probably in the wrong cluster. The score is the mean of
// s(i) over the rows (scikit-learn's `silhouette_score`). Rows labelled −1
// (noise, as DBSCAN labels them) take no part: they are neither scored nor
// counted in any cluster.
//
// Computation: the rows are reordered so that each cluster is one contiguous
// run of columns; then, for a block of rows at a time, the [block, m] table of
// squared distances comes from PairwiseDistances (one GEMM) and each row's sum
// of square roots over every cluster's run is a SIMD16 loop (rows of a block
// split across cores). A row's distance to itself is 0 in exact arithmetic;
// whatever the rounding of the GEMM expansion leaves there is taken out of a(i).
import Tensor

/// Silhouette coefficients of a clustering, per row and as their mean.
public enum Silhouette {
    /// s(i) for every row of X [n, d] given its cluster label (≥ 0, or −1 for noise, whose s is NaN).
    /// Needs at least 2 clusters and fewer clusters than labelled rows.
    public static func samples(_ x: Tensor, labels: [Int]) -> [Double] {
        precondition(x.rank == 2 && labels.count == x.shape[0],
                     "Silhouette.samples: needs X [n, d] and n labels, got \(x.shape) and \(labels.count) labels")
        precondition(labels.allSatisfy { $0 >= -1 }, "Silhouette.samples: labels must be ≥ 0, or −1 for noise")
        // Rows of each cluster side by side: order[p] is the original row at position p.
        let order = labels.indices.filter { labels[$0] >= 0 }.sorted { (labels[$0], $0) < (labels[$1], $1) }
        let m = order.count
        var starts: [Int] = []                                  // first position of each cluster, then m
        for p in 0..<m where p == 0 || labels[order[p]] != labels[order[p - 1]] { starts.append(p) }
        let clusterCount = starts.count
        starts.append(m)
        precondition(clusterCount >= 2 && clusterCount < m,
                     "Silhouette.samples: needs 2 ≤ clusters < labelled rows, got \(clusterCount) clusters over \(m) rows")
        var clusterOf = [Int](repeating: 0, count: m)
        for c in 0..<clusterCount { for p in starts[c]..<starts[c + 1] { clusterOf[p] = c } }

        let sorted = KMeansPlusPlus.gather(x, rows: order)      // [m, d]
        let norms = PairwiseDistances.squaredNorms(sorted)
        var silhouette = [Double](repeating: 0, count: m)      // by position
        let blockRows = Swift.max(1, Swift.min(m, (1 << 21) / m))   // a table of at most ~8 MB
        var start = 0
        while start < m {
            let end = Swift.min(m, start + blockRows)
            let block = KMeansPlusPlus.gather(sorted, rows: Array(start..<end))
            let table = PairwiseDistances.squared(block, sorted, xNorms: Array(norms[start..<end]), cNorms: norms)  // [end − start, m]
            table.withUnsafeBufferPointer { table in
                starts.withUnsafeBufferPointer { starts in
                    clusterOf.withUnsafeBufferPointer { clusterOf in
                        silhouette.withUnsafeMutableBufferPointer { silhouette in
                            let out = ParallelWritePointer(silhouette.baseAddress!)
                            Parallel.forRanges(end - start, minimumPerThread: 8) { rows in
                                for r in rows {
                                    let p = start + r
                                    out.pointer[p] = coefficient(row: table.baseAddress! + r * m, position: p,
                                                                 own: clusterOf[p], starts: starts)
                                }
                            }
                        }
                    }
                }
            }
            start = end
        }
        var result = [Double](repeating: .nan, count: labels.count)
        for (p, row) in order.enumerated() { result[row] = silhouette[p] }
        return result
    }

    /// The mean silhouette coefficient over the rows not labelled −1.
    public static func score(_ x: Tensor, labels: [Int]) -> Double {
        let values = samples(x, labels: labels).filter { !$0.isNaN }
        return values.reduce(0, +) / Double(values.count)
    }

    /// s for one row, from its squared distances to every (sorted) row.
    private static func coefficient(row: UnsafePointer<Float>, position: Int, own: Int, starts: UnsafeBufferPointer<Int>) -> Double {
        // BEGIN EXERCISE silhouette-coefficient
        let ownSize = starts[own + 1] - starts[own]
        if ownSize == 1 { return 0 }
        var a = 0.0
        var b = Double.infinity
        for cluster in 0..<(starts.count - 1) {
            let (first, size) = (starts[cluster], starts[cluster + 1] - starts[cluster])
            let total = sumOfSquareRoots(row + first, size)
            if cluster == own {
                a = (total - Double(row[position].squareRoot())) / Double(size - 1)   // without dist(i, i)
            } else {
                b = Swift.min(b, total / Double(size))
            }
        }
        let larger = Swift.max(a, b)
        return larger > 0 ? (b - a) / larger : 0
        // END EXERCISE
    }

    /// Σ √v[t] over `count` squared distances: SIMD16 lanes in Float over short runs, runs added in Double.
    private static func sumOfSquareRoots(_ v: UnsafePointer<Float>, _ count: Int) -> Double {
        var total = 0.0
        var t = 0
        while t < count {
            let runEnd = Swift.min(count, t + 4_096)
            var lanes = SIMD16<Float>()
            while t + 16 <= runEnd {
                lanes += UnsafeRawPointer(v + t).loadUnaligned(as: SIMD16<Float>.self).squareRoot()
                t += 16
            }
            var run = lanes.sum()
            while t < runEnd { run += v[t].squareRoot(); t += 1 }
            total += Double(run)
        }
        return total
    }
}
