// KMeans: k centres that minimise the inertia, by Lloyd's algorithm.
//
// k-means looks for centres c₁ … c_k that minimise the inertia (within-cluster
// sum of squares)
//     J = Σᵢ minⱼ ‖xᵢ − cⱼ‖².
// Lloyd's algorithm (Lloyd 1957, published 1982) alternates two steps, each of
// which can only lower J:
//     assignment:  labelᵢ = argminⱼ ‖xᵢ − cⱼ‖²        (best labels for fixed centres)
//     update:      cⱼ = mean of the rows labelled j     (best centres for fixed labels)
// so the inertia after each step (`inertiaHistory`) never rises, and the loop
// stops when no label changes (a fixed point) or when the centres move less than
//     Σⱼ ‖cⱼ_new − cⱼ_old‖² ≤ tolerance · (1/d) Σ_f Var(X[:, f])
// (scikit-learn's rule: the tolerance is relative to the spread of the data).
// J is not convex, so Lloyd finds a local minimum that depends on the start:
// k-means++ seeding (KMeansPlusPlus.swift) starts from centres far apart, and
// `restarts` runs from several starts and keeps the lowest inertia.
//
// Implementation details that matter:
//   - The assignment step is the expansion ‖x‖² − 2x·c + ‖c‖² of
//     PairwiseDistances, computed by the fused nearest-centre kernel
//     (NearestCenters.swift): row blocks run on all cores, and each block adds
//     its rows into its own partial sums of the new centres, so one pass over X
//     does both steps and no n × k table is ever stored.
//   - Partial sums are per fixed row block (RowBlocks.swift) and are added in
//     Double, as is the inertia: the result is the same with 1 or 2 threads.
//   - An empty cluster (no row labelled j) is re-seeded with the row farthest
//     from its own centre, taken out of its old cluster (as scikit-learn
//     does); the move lowers J, so the inertia still never rises.
import Foundation
import Tensor

/// k-means clustering by Lloyd's algorithm, started by k-means++ (or random rows).
///
///     var model = KMeans(clusters: 3)
///     try model.fit(x)                  // model.centers [3, d], model.labels, model.inertia
///     let clusters = model.predict(newRows)
public struct KMeans: Transformer, CentroidClustering {
    /// How the starting centres are chosen.
    public enum Initialization: Sendable {
        /// k-means++ with greedy local trials (KMeansPlusPlus.swift).
        case kMeansPlusPlus
        /// k distinct rows drawn uniformly.
        case random
    }

    /// Number of clusters k.
    public var clusters: Int
    /// How each run picks its starting centres.
    public var initialization: Initialization
    /// Runs from different starts; the one with the lowest inertia is kept.
    public var restarts: Int
    /// Most Lloyd iterations (assignment + update) per run.
    public var maxIterations: Int
    /// Stop when Σ‖Δc‖² ≤ tolerance × the mean variance of the features.
    public var tolerance: Float
    /// Fixes the starting centres of every run.
    public var seed: UInt64

    /// The centres of the kept run, [k, d].
    public private(set) var centers = Tensor(shape: [0, 0], scalars: [])
    /// The nearest centre of each training row (a label in 0..<k).
    public private(set) var labels: [Int] = []
    /// Σᵢ ‖xᵢ − c_{labelᵢ}‖² on the training rows, summed in Double.
    public private(set) var inertia: Double = .nan
    /// Lloyd iterations run by the kept run.
    public private(set) var iterations = 0
    /// The inertia after each Lloyd iteration of the kept run (never rising).
    public private(set) var inertiaHistory: [Double] = []
    /// How the kept run stopped.
    public private(set) var report = SolverReport(solver: "lloyd", iterations: 0, converged: false, tolerance: 0,
                                                  criterion: "", finalValue: .nan, lossHistory: [])

    public init(clusters: Int, initialization: Initialization = .kMeansPlusPlus, restarts: Int = 1,
                maxIterations: Int = 300, tolerance: Float = 1e-4, seed: UInt64 = 0) {
        self.clusters = clusters
        self.initialization = initialization
        self.restarts = restarts
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.seed = seed
    }

    /// Finds k centres for X [n, d]; throws for bad hyperparameters, n < k or non-finite values.
    public mutating func fit(_ x: Tensor) throws {
        try checkParameters()
        let (n, _) = try FitInput.check(x, minimumSamples: clusters)
        let rowNorms = PairwiseDistances.squaredNorms(x)
        let scaledTolerance = Double(tolerance) * Self.meanVariance(x)
        var generator = RandomGenerator(seed: seed)
        var best: LloydRun?
        for _ in 0..<restarts {
            let startRows: [Int]
            switch initialization {
            case .kMeansPlusPlus:
                startRows = KMeansPlusPlus.chooseRows(x, rowNorms: rowNorms, clusters: clusters, generator: &generator)
            case .random:
                startRows = Self.distinctRows(clusters, of: n, generator: &generator)
            }
            let run = LloydRun(x, rowNorms: rowNorms, start: KMeansPlusPlus.gather(x, rows: startRows),
                               maxIterations: maxIterations, tolerance: scaledTolerance)
            if best == nil || run.inertia < best!.inertia { best = run }
        }
        let kept = best!
        centers = kept.centers
        labels = kept.labels
        inertia = kept.inertia
        iterations = kept.iterations
        inertiaHistory = kept.history
        report = SolverReport(solver: "lloyd", iterations: kept.iterations, converged: kept.converged,
                              tolerance: scaledTolerance, criterion: "Σ‖Δc‖² (or no label change)",
                              finalValue: kept.lastShift, lossHistory: kept.history)
    }

    private func checkParameters() throws {
        guard clusters >= 1 else { throw EstimatorError.invalidParameter(name: "clusters", value: "\(clusters)", expected: "at least 1") }
        guard restarts >= 1 else { throw EstimatorError.invalidParameter(name: "restarts", value: "\(restarts)", expected: "at least 1") }
        guard maxIterations >= 1 else {
            throw EstimatorError.invalidParameter(name: "maxIterations", value: "\(maxIterations)", expected: "at least 1")
        }
        guard tolerance >= 0 && tolerance.isFinite else {
            throw EstimatorError.invalidParameter(name: "tolerance", value: "\(tolerance)", expected: "a finite value ≥ 0")
        }
    }

    /// `count` distinct row indices drawn uniformly from 0..<n (in the order drawn).
    static func distinctRows(_ count: Int, of n: Int, generator: inout RandomGenerator) -> [Int] {
        if count * 2 > n { return Array(generator.permutation(n).prefix(count)) }
        var seen = Set<Int>()
        var rows: [Int] = []
        while rows.count < count {
            let row = generator.nextInt(below: n)
            if seen.insert(row).inserted { rows.append(row) }
        }
        return rows
    }

    /// (1/d) Σ_f Var(X[:, f]) in Double, with the first row subtracted first so that large means do not cancel.
    static func meanVariance(_ x: Tensor) -> Double {
        let (n, d) = (x.shape[0], x.shape[1])
        let blocks = RowBlocks(rows: n)
        var partial = [Double](repeating: 0, count: blocks.count * 2 * d)   // [block, (Σ(x − x₀), Σ(x − x₀)²), d]
        x.withUnsafeBufferPointer { xs in
            partial.withUnsafeMutableBufferPointer { partial in
                let out = ParallelWritePointer(partial.baseAddress!)
                let origin = xs.baseAddress!
                blocks.forEach { block, rows in
                    let (sums, squares) = (out.pointer + block * 2 * d, out.pointer + block * 2 * d + d)
                    for i in rows {
                        let row = origin + i * d
                        for f in 0..<d {
                            let centred = Double(row[f] - origin[f])
                            sums[f] += centred
                            squares[f] += centred * centred
                        }
                    }
                }
            }
        }
        var total = 0.0
        for f in 0..<d {
            var (sum, square) = (0.0, 0.0)
            for block in 0..<blocks.count { sum += partial[block * 2 * d + f]; square += partial[block * 2 * d + d + f] }
            let mean = sum / Double(n)
            total += Swift.max(square / Double(n) - mean * mean, 0)
        }
        return total / Double(d)
    }
}

/// One run of Lloyd's algorithm from given starting centres.
private struct LloydRun {
    var centers: Tensor
    var labels: [Int]
    var inertia: Double
    var iterations = 0
    var converged = false
    var lastShift = Double.infinity
    var history: [Double] = []

    init(_ x: Tensor, rowNorms: [Float], start: Tensor, maxIterations: Int, tolerance: Double) {
        let (n, d, k) = (x.shape[0], x.shape[1], start.shape[0])
        let blocks = RowBlocks(rows: n)
        var centres = start.scalars                                              // [k, d]
        var labels = [Int](repeating: -1, count: n)
        var distances = [Float](repeating: 0, count: n)                          // ‖xᵢ − c_{labelᵢ}‖²
        var blockSums = [Float](repeating: 0, count: blocks.count * k * d)       // [block, k, d]
        var blockCounts = [Int](repeating: 0, count: blocks.count * k)           // [block, k]
        var blockInertia = [Double](repeating: 0, count: blocks.count)
        var blockChanged = [Int](repeating: 0, count: blocks.count)

        // Assignment step, with each block's partial sums of the next centres.
        func assign() -> (inertia: Double, changed: Int) {
            let panels = CenterPanels(centers: centres, count: k, dimensions: d)
            x.withUnsafeBufferPointer { xs in
                rowNorms.withUnsafeBufferPointer { rowNorms in
                    labels.withUnsafeMutableBufferPointer { labels in
                        distances.withUnsafeMutableBufferPointer { distances in
                            blockSums.withUnsafeMutableBufferPointer { blockSums in
                                blockCounts.withUnsafeMutableBufferPointer { blockCounts in
                                    blockInertia.withUnsafeMutableBufferPointer { blockInertia in
                                        blockChanged.withUnsafeMutableBufferPointer { blockChanged in
                                            let out = BlockOutputs(labels: labels.baseAddress!, distances: distances.baseAddress!,
                                                                   sums: blockSums.baseAddress!, counts: blockCounts.baseAddress!,
                                                                   inertia: blockInertia.baseAddress!, changed: blockChanged.baseAddress!)
                                            panels.withKernel { kernel in
                                                blocks.forEach { block, rows in
                                                    Self.assignBlock(kernel, block: block, rows: rows, k: k, x: xs.baseAddress!,
                                                                     rowNorms: rowNorms.baseAddress!, out: out)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return (blockInertia.reduce(0, +), blockChanged.reduce(0, +))
        }

        // Update step: each centre becomes the mean of its rows; returns Σ‖Δc‖².
        func update() -> Double {
            var totals = [Double](repeating: 0, count: k * d)
            var counts = [Int](repeating: 0, count: k)
            for block in 0..<blocks.count {
                for j in 0..<k { counts[j] += blockCounts[block * k + j] }
                for e in 0..<(k * d) { totals[e] += Double(blockSums[block * k * d + e]) }
            }
            x.withUnsafeBufferPointer { xs in
                for empty in 0..<k where counts[empty] == 0 {
                    // Re-seed with the row farthest from its centre whose cluster keeps other rows.
                    var (far, farthest): (Int, Float) = (-1, -1)
                    for i in 0..<n where counts[labels[i]] > 1 && distances[i] > farthest { (far, farthest) = (i, distances[i]) }
                    let old = labels[far]
                    for f in 0..<d {
                        let value = Double(xs[far * d + f])
                        totals[old * d + f] -= value
                        totals[empty * d + f] = value
                    }
                    counts[old] -= 1
                    counts[empty] = 1
                    labels[far] = empty
                    distances[far] = 0
                }
            }
            var shift = 0.0
            for j in 0..<k {
                for f in 0..<d {
                    let moved = Float(totals[j * d + f] / Double(counts[j]))
                    let step = Double(moved) - Double(centres[j * d + f])
                    shift += step * step
                    centres[j * d + f] = moved
                }
            }
            return shift
        }

        var (currentInertia, _) = assign()
        while iterations < maxIterations {
            iterations += 1
            lastShift = update()
            let (newInertia, changed) = assign()
            currentInertia = newInertia
            history.append(newInertia)
            if changed == 0 || lastShift <= tolerance { converged = true; break }
        }
        self.centers = Tensor(shape: [k, d], scalars: centres)
        self.labels = labels
        self.inertia = currentInertia
    }

    /// Where one assignment pass writes: per-row labels and distances, per-block sums, counts, inertia, changes.
    struct BlockOutputs: @unchecked Sendable {
        let labels: UnsafeMutablePointer<Int>
        let distances: UnsafeMutablePointer<Float>
        let sums: UnsafeMutablePointer<Float>
        let counts: UnsafeMutablePointer<Int>
        let inertia: UnsafeMutablePointer<Double>
        let changed: UnsafeMutablePointer<Int>
    }

    /// Assigns the rows of one block and adds each row into its block's sum for its new centre.
    @inline(__always)
    static func assignBlock(_ kernel: NearestCenterKernel, block: Int, rows: Range<Int>, k: Int,
                            x: UnsafePointer<Float>, rowNorms: UnsafePointer<Float>, out: BlockOutputs) {
        let d = kernel.dimensions
        let sums = out.sums + block * k * d
        let counts = out.counts + block * k
        sums.update(repeating: 0, count: k * d)
        counts.update(repeating: 0, count: k)
        var inertia = 0.0
        var changed = 0
        kernel.nearest(rows: rows, x: x, rowNorms: rowNorms) { i, j, distance in
            if out.labels[i] != j { out.labels[i] = j; changed += 1 }
            out.distances[i] = distance
            inertia += Double(distance)
            counts[j] += 1
            addRow(x + i * d, into: sums + j * d, count: d)
        }
        out.inertia[block] = inertia
        out.changed[block] = changed
    }

    /// target[0..<count] += row[0..<count], sixteen at a time.
    @inline(__always)
    static func addRow(_ row: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, count: Int) {
        var f = 0
        while f + 16 <= count {
            let sum = UnsafeRawPointer(row + f).loadUnaligned(as: SIMD16<Float>.self)
                + UnsafeRawPointer(target + f).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(target + f).storeBytes(of: sum, as: SIMD16<Float>.self)
            f += 16
        }
        while f < count { target[f] += row[f]; f += 1 }
    }
}
