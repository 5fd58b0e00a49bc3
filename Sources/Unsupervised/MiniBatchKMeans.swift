// MiniBatchKMeans: k-means from small random batches (Sculley, "Web-scale
// k-means clustering", WWW 2010).
//
// Lloyd's algorithm reads every row at every iteration. Sculley's variant
// reads a batch B of b rows at a time:
//     assign:  each x ∈ B gets its nearest centre c(x) (centres as before the batch);
//     update:  for each x ∈ B in turn,  v_c += 1,  η = 1 / v_c,  c ← (1 − η)·c + η·x,
// where v_c counts every row centre c has ever received. With η = 1/v_c each
// centre is the running mean of all rows it was given, so the steps shrink as
// evidence accumulates. The per-row updates of one batch add up to
//     c ← (v_c·c + Σ_{x ∈ B, c(x) = c} x) / (v_c + b_c),   b_c = rows of B given to c,
// which is how it is computed here (one pass over the batch, sums in Double).
//
// Details, as scikit-learn does them:
//   - The start is k-means++ on a random sample of 3·b rows (at least k).
//   - `maxIterations` counts epochs: passes over the rows, each cut into
//     batches after a seeded shuffle.
//   - Early stop: the batch inertia per row, smoothed as an exponentially
//     weighted average ā ← (1 − α)ā + α·a with α = 2b / (n + 1), has not reached
//     a new low for 10 batches in a row.
// At the end every row is labelled with its nearest centre and the inertia
// is computed on all of X.
import Tensor

/// k-means by Sculley's mini-batch updates: per-centre learning rate 1 / (rows received).
public struct MiniBatchKMeans: Transformer, CentroidClustering {
    /// Number of clusters k.
    public var clusters: Int
    /// Rows per batch b.
    public var batchSize: Int
    /// Most passes (epochs) over the rows.
    public var maxIterations: Int
    /// Fixes the start, the batch order and therefore the result.
    public var seed: UInt64
    /// Batches in a row without a new low of the smoothed batch inertia before stopping.
    public var patience = 10

    /// The centres, [k, d].
    public private(set) var centers = Tensor(shape: [0, 0], scalars: [])
    /// The nearest centre of each training row, after the last batch.
    public private(set) var labels: [Int] = []
    /// Σᵢ minⱼ ‖xᵢ − cⱼ‖² on all training rows, in Double.
    public private(set) var inertia: Double = .nan
    /// Epochs started (the last may stop part-way).
    public private(set) var iterations = 0
    /// Batches processed.
    public private(set) var steps = 0
    /// How the fit stopped; `lossHistory` is the smoothed batch inertia per row after each batch.
    public private(set) var report = SolverReport(solver: "mini-batch", iterations: 0, converged: false, tolerance: 0,
                                                  criterion: "", finalValue: .nan, lossHistory: [])

    public init(clusters: Int, batchSize: Int = 1024, maxIterations: Int = 100, seed: UInt64 = 0) {
        self.clusters = clusters
        self.batchSize = batchSize
        self.maxIterations = maxIterations
        self.seed = seed
    }

    /// Finds k centres for X [n, d]; throws for bad hyperparameters, n < k or non-finite values.
    public mutating func fit(_ x: Tensor) throws {
        guard clusters >= 1 else { throw EstimatorError.invalidParameter(name: "clusters", value: "\(clusters)", expected: "at least 1") }
        guard batchSize >= 1 else { throw EstimatorError.invalidParameter(name: "batchSize", value: "\(batchSize)", expected: "at least 1") }
        guard maxIterations >= 1 else {
            throw EstimatorError.invalidParameter(name: "maxIterations", value: "\(maxIterations)", expected: "at least 1")
        }
        guard patience >= 1 else { throw EstimatorError.invalidParameter(name: "patience", value: "\(patience)", expected: "at least 1") }
        let (n, d) = try FitInput.check(x, minimumSamples: clusters)
        let k = clusters
        let b = Swift.min(batchSize, n)
        var generator = RandomGenerator(seed: seed)

        // Start: k-means++ on a random sample of 3b rows.
        let sampleRows = KMeans.distinctRows(Swift.min(n, Swift.max(3 * b, k)), of: n, generator: &generator)
        let sample = KMeansPlusPlus.gather(x, rows: sampleRows)
        let startRows = KMeansPlusPlus.chooseRows(sample, rowNorms: PairwiseDistances.squaredNorms(sample),
                                                  clusters: k, generator: &generator)
        var centres = KMeansPlusPlus.gather(sample, rows: startRows).scalars     // [k, d]
        var received = [Double](repeating: 0, count: k)                          // v_c
        var batch = [Float](repeating: 0, count: b * d)
        var batchNorms = [Float](repeating: 0, count: b)
        let alpha = Swift.min(1, 2 * Double(b) / Double(n + 1))
        var smoothed = Double.nan
        var lowest = Double.infinity
        var sinceLowest = 0
        var history: [Double] = []
        var stopped = false
        steps = 0
        iterations = 0

        x.withUnsafeBufferPointer { xs in
            epochs: while iterations < maxIterations {
                iterations += 1
                let order = generator.permutation(n)
                var start = 0
                while start < n {
                    let rows = order[start..<Swift.min(n, start + b)]
                    start += b
                    // Gather the batch into contiguous rows.
                    batch.withUnsafeMutableBufferPointer { batch in
                        for (r, row) in rows.enumerated() {
                            (batch.baseAddress! + r * d).update(from: xs.baseAddress! + row * d, count: d)
                            batchNorms[r] = PairwiseDistances.dotSelf(xs.baseAddress! + row * d, d)
                        }
                    }
                    // Assign with the centres as they were before the batch, summing each centre's rows.
                    var sums = [Double](repeating: 0, count: k * d)
                    var given = [Double](repeating: 0, count: k)
                    var batchInertia = 0.0
                    let panels = CenterPanels(centers: centres, count: k, dimensions: d)
                    panels.withKernel { kernel in
                        batch.withUnsafeBufferPointer { batch in
                            batchNorms.withUnsafeBufferPointer { norms in
                                sums.withUnsafeMutableBufferPointer { sums in
                                    given.withUnsafeMutableBufferPointer { given in
                                        kernel.nearest(rows: 0..<rows.count, x: batch.baseAddress!, rowNorms: norms.baseAddress!) { r, j, distance in
                                            batchInertia += Double(distance)
                                            given[j] += 1
                                            let (row, sum) = (batch.baseAddress! + r * d, sums.baseAddress! + j * d)
                                            for f in 0..<d { sum[f] += Double(row[f]) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    // c ← (v_c·c + Σ x) / (v_c + b_c): the Sculley steps with η = 1/v_c, batched.
                    for j in 0..<k where given[j] > 0 {
                        let total = received[j] + given[j]
                        for f in 0..<d {
                            centres[j * d + f] = Float((received[j] * Double(centres[j * d + f]) + sums[j * d + f]) / total)
                        }
                        received[j] = total
                    }
                    steps += 1
                    let perRow = batchInertia / Double(rows.count)
                    smoothed = smoothed.isNaN ? perRow : (1 - alpha) * smoothed + alpha * perRow
                    history.append(smoothed)
                    if smoothed < lowest {
                        lowest = smoothed
                        sinceLowest = 0
                    } else {
                        sinceLowest += 1
                        if sinceLowest >= patience { stopped = true; break epochs }
                    }
                }
            }
        }
        centers = Tensor(shape: [k, d], scalars: centres)
        let final = NearestCenters.assign(x, rowNorms: PairwiseDistances.squaredNorms(x), panels: CenterPanels(centers))
        labels = final.labels
        inertia = final.distances.reduce(0.0) { $0 + Double($1) }
        report = SolverReport(solver: "mini-batch", iterations: iterations, converged: stopped, tolerance: Double(patience),
                              criterion: "batches without a new low of the smoothed batch inertia",
                              finalValue: Double(sinceLowest), lossHistory: history)
    }

}
