// FeatureBinning: every feature value replaced once by a small integer, its bin.
//
// Histogram gradient boosting (LightGBM, Ke et al. 2017, §2–3) never looks at a
// raw value while it grows trees. Before the first round each feature j gets
// upper bin edges u₀ < u₁ < … < u_{k−2} (u_{k−1} = +∞) and a value x goes to
//     bin(x) = min { b : x ≤ u_b },        NaN → bin 255 (the missing bin).
// A split "bin ≤ t" is then the split "x ≤ u_t" on the raw value, so a split
// search only needs one sum per bin instead of one per distinct value.
//
// The edges are quantiles of the feature. Let the sorted non-missing values of
// a sample hold distinct values v₁ < … < v_m with counts c₁ … c_m:
//   * m ≤ maxBins: one bin per distinct value, edges at midpoints (vᵢ + vᵢ₊₁)/2;
//   * otherwise bins are closed greedily along v, bin b closing at the first vᵢ
//     where the running count reaches (b + 1)·n/maxBins, its edge the midpoint
//     to the next value. A value frequent enough fills a bin of its own.
// A constant column gets a single bin and is never split. The edges come from
// at most `sampleSize` rows (200 000 in LightGBM's bin_construct_sample_cnt;
// 50 000 evenly spaced rows here, about 200 rows per bin for 255 bins, which
// places quantile edges within a fraction of a bin of the full data's).
// Codes are stored column-major, one UInt8 per value: column j is the n
// consecutive bytes codes[j·n ..< (j+1)·n], the layout histogram building reads.
import Tensor

/// The bin edges of every feature, learned from training data, and the map from raw values to bin codes.
public struct FeatureBinning: Sendable {
    /// The bin code of a missing (NaN) value, in every feature.
    public static let missingBin: UInt8 = 255
    /// The most value bins a feature may have (codes 0 ..< 255; 255 is the missing bin).
    public static let maximumBins = 255

    /// `upperEdges[j]` holds feature j's edges u₀ … u_{k−2}; a value above the last is in bin k − 1.
    public let upperEdges: [[Float]]

    /// Feature j's number of value bins k (1 for a constant column), not counting the missing bin.
    public var binCounts: [Int] { upperEdges.map { $0.count + 1 } }

    /// Learns the edges of each column of X [n, d] (NaN allowed) with at most `maxBins` bins per feature.
    ///
    /// - Parameters:
    ///   - x: the training features [n, d]; NaN marks a missing value.
    ///   - maxBins: the most value bins per feature, 2 to 255.
    ///   - sampleSize: the edges come from this many evenly spaced rows when n is larger.
    public init(fitting x: Tensor, maxBins: Int = 255, sampleSize: Int = 50_000) {
        precondition(x.rank == 2, "FeatureBinning: X must be [n, d], got \(x.shape)")
        precondition((2...Self.maximumBins).contains(maxBins), "FeatureBinning: maxBins \(maxBins) must be in 2...255")
        let (n, d) = (x.shape[0], x.shape[1])
        let rows = Swift.min(n, sampleSize)
        var edges = [[Float]](repeating: [], count: d)
        x.withUnsafeBufferPointer { values in
            edges.withUnsafeMutableBufferPointer { edges in
                let edgesOut = ParallelWritePointer(edges.baseAddress!)
                Parallel.forRanges(d, minimumPerThread: 1) { features in
                    var column = [Float](repeating: 0, count: rows)
                    for j in features {
                        var kept = 0
                        for r in 0..<rows {
                            let v = values[(r * n / rows) * d + j]     // evenly spaced sample rows
                            if !v.isNaN { column[kept] = v; kept += 1 }
                        }
                        edgesOut.pointer[j] = Self.quantileEdges(column[0..<kept].sorted(), maxBins: maxBins)
                    }
                }
            }
        }
        upperEdges = edges
    }

    /// Edges for sorted non-missing values: one bin per distinct value when they are few, quantiles otherwise.
    static func quantileEdges(_ sorted: [Float], maxBins: Int) -> [Float] {
        var distinct: [Float] = [], counts: [Int] = []
        for v in sorted {
            if v == distinct.last { counts[counts.count - 1] += 1 } else { distinct.append(v); counts.append(1) }
        }
        if distinct.count <= 1 { return [] }
        func midpoint(_ i: Int) -> Float { distinct[i] / 2 + distinct[i + 1] / 2 }
        if distinct.count <= maxBins { return (0..<distinct.count - 1).map(midpoint) }
        var edges: [Float] = [], running = 0
        let perBin = Double(sorted.count) / Double(maxBins)
        for i in 0..<distinct.count - 1 {
            running += counts[i]
            if Double(running) >= perBin * Double(edges.count + 1) {
                edges.append(midpoint(i))
                if edges.count == maxBins - 1 { break }
            }
        }
        return edges
    }

    /// The bin of one value of feature j: the first edge at or above it, 255 for NaN.
    @inlinable
    public func bin(_ value: Float, feature j: Int) -> UInt8 {
        if value.isNaN { return Self.missingBin }
        return upperEdges[j].withUnsafeBufferPointer { UInt8(Self.firstEdge(atLeast: value, in: $0)) }
    }

    /// Binary search: the smallest b with value ≤ edges[b], or edges.count when there is none.
    /// Branch-free: each step halves the range with a conditional move, so no mispredictions.
    @inlinable
    static func firstEdge(atLeast value: Float, in edges: UnsafeBufferPointer<Float>) -> Int {
        var base = 0, length = edges.count
        if length == 0 { return 0 }
        while length > 1 {
            let half = length / 2
            base = edges[base + half] < value ? base + half : base
            length -= half
        }
        return base + (edges[base] < value ? 1 : 0)
    }

    /// The bin codes of X [m, d], column-major: code of (row i, feature j) at j·m + i.
    public func binned(_ x: Tensor) -> BinnedMatrix {
        precondition(x.rank == 2 && x.shape[1] == upperEdges.count,
                     "FeatureBinning.binned: X \(x.shape) must be [m, \(upperEdges.count)]")
        let (m, d) = (x.shape[0], x.shape[1])
        var codes = [UInt8](repeating: 0, count: m * d)
        x.withUnsafeBufferPointer { values in
            codes.withUnsafeMutableBufferPointer { codes in
                let out = ParallelWritePointer(codes.baseAddress!)
                Parallel.forRanges(d, minimumPerThread: Swift.max(1, 65_536 / Swift.max(m, 1))) { features in
                    for j in features {
                        upperEdges[j].withUnsafeBufferPointer { edges in
                            let column = out.pointer + j * m
                            for i in 0..<m {
                                let v = values[i * d + j]
                                column[i] = v.isNaN ? Self.missingBin : UInt8(Self.firstEdge(atLeast: v, in: edges))
                            }
                        }
                    }
                }
            }
        }
        return BinnedMatrix(rows: m, features: d, codes: codes)
    }
}

/// Bin codes of a data set, column-major: feature j's codes are `codes[j·rows ..< (j+1)·rows]`.
public struct BinnedMatrix: Sendable {
    public let rows: Int
    public let features: Int
    public let codes: [UInt8]

    /// The code of row i in feature j.
    public subscript(row i: Int, feature j: Int) -> UInt8 { codes[j * rows + i] }
}
