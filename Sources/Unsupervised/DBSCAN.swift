// DBSCAN: density-based clustering (Ester, Kriegel, Sander and Xu, KDD 1996),
// with scikit-learn's conventions.
//
// With N_ε(x) = { y : ‖x − y‖ ≤ ε } (x itself included):
//   • x is a core point when |N_ε(x)| ≥ minSamples;
//   • a cluster is what can be reached from a core point by steps of length ≤ ε
//     that only continue from core points: breadth-first search from an
//     unlabelled core point c labels every point of N_ε(c), and goes on from
//     those of them that are core points;
//   • a border point (not core, within ε of a core point) joins the first
//     cluster that reaches it, scanning seeds in row order;
//   • everything else is noise, labelled −1.
// The number of clusters is not given: it follows from ε and minSamples.
//
// Cost: one ε-neighbourhood per point. A KD-tree answers each in about
// O(log n + |N_ε|) distance evaluations for low-dimensional data, instead of
// the n of a scan; the n queries run in parallel, then the search, which is
// sequential and O(n + Σ|N_ε|), labels the clusters.
import Foundation
import Tensor

/// DBSCAN clustering: clusters are dense regions joined through core points; sparse points are noise.
public struct DBSCAN: Sendable {
    /// The label of a point that belongs to no cluster.
    public static let noise = -1

    /// Neighbourhood radius ε (Euclidean distance, inclusive).
    public var epsilon: Float
    /// Points (the point itself included) a neighbourhood must hold for its centre to be a core point.
    public var minSamples: Int

    /// The cluster of each row of the data last fitted, 0 ..< clusterCount, or `DBSCAN.noise` (−1).
    public private(set) var labels: [Int] = []
    /// The rows that are core points, in increasing order.
    public private(set) var coreSampleIndices: [Int] = []
    /// The number of clusters found.
    public private(set) var clusterCount = 0
    /// Point-to-point distances measured by the neighbourhood queries of the last fit.
    public private(set) var distanceEvaluations = 0

    /// - Parameters:
    ///   - epsilon: neighbourhood radius (> 0).
    ///   - minSamples: neighbourhood size (≥ 1, counting the point itself) that makes a core point.
    public init(epsilon: Float = 0.5, minSamples: Int = 5) {
        self.epsilon = epsilon
        self.minSamples = minSamples
    }

    /// Clusters the rows of X [n, d]; fills `labels`, `coreSampleIndices` and `clusterCount`.
    ///
    /// - Throws: `EstimatorError.invalidParameter` for ε ≤ 0 (or not finite) or minSamples < 1;
    ///   `EstimatorError.nonFiniteValue` for NaN or infinite cells; `.tooFewSamples` for no rows.
    public mutating func fit(_ x: Tensor) throws {
        guard epsilon > 0 && epsilon.isFinite else {
            throw EstimatorError.invalidParameter(name: "epsilon", value: "\(epsilon)", expected: "a finite value > 0")
        }
        guard minSamples >= 1 else {
            throw EstimatorError.invalidParameter(name: "minSamples", value: "\(minSamples)", expected: "an integer ≥ 1")
        }
        let (n, d) = try FitInput.check(x)
        let tree = KDTree(x)

        // 1. Every ε-neighbourhood, in parallel: rows are independent queries of the same tree.
        let neighbourhoods = UnsafeMutablePointer<[Int]>.allocate(capacity: n)
        neighbourhoods.initialize(repeating: [], count: n)
        defer { neighbourhoods.deinitialize(count: n); neighbourhoods.deallocate() }
        let radius = epsilon
        x.withUnsafeBufferPointer { xs in
            let out = ParallelWritePointer(neighbourhoods)
            Parallel.forRanges(n, minimumPerThread: 256) { rows in
                for i in rows { out.pointer[i] = tree.neighbours(of: xs.baseAddress! + i * d, within: radius) }
            }
        }

        // 2. Core points: neighbourhoods (self included) of at least minSamples points.
        var isCore = [Bool](repeating: false, count: n)
        for i in 0..<n where neighbourhoods[i].count >= minSamples { isCore[i] = true }

        // 3. Breadth-first search from each unlabelled core point, in row order.
        var labels = [Int](repeating: DBSCAN.noise, count: n)
        var queue: [Int] = []
        var clusters = 0
        for seed in 0..<n where isCore[seed] && labels[seed] == DBSCAN.noise {
            labels[seed] = clusters
            queue.removeAll(keepingCapacity: true)
            queue.append(seed)
            var head = 0
            while head < queue.count {
                let point = queue[head]
                head += 1
                // Only core points extend the cluster; a border point is labelled but not expanded.
                guard isCore[point] else { continue }
                for neighbour in neighbourhoods[point] where labels[neighbour] == DBSCAN.noise {
                    labels[neighbour] = clusters
                    queue.append(neighbour)
                }
            }
            clusters += 1
        }

        self.labels = labels
        self.coreSampleIndices = (0..<n).filter { isCore[$0] }
        self.clusterCount = clusters
        self.distanceEvaluations = tree.distanceEvaluations
    }

    /// Fits X and returns the labels (`DBSCAN.noise` = −1 for noise).
    public mutating func fitPredict(_ x: Tensor) throws -> [Int] {
        try fit(x)
        return labels
    }
}
