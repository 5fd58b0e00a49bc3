// GradientBoosting: the boosting loop shared by the classifier and the regressor.
//
// Gradient boosting (Friedman 2001) builds the score as a sum of trees,
//     F_M(x) = F₀ + Σ_{m=1}^{M} f_m(x),
// where each round fits f_m to a second-order expansion of the loss at F_{m−1}
// (XGBoost, Chen & Guestrin 2016): the gradients gᵢ and hessians hᵢ of every
// row (BoostingLoss) are summed in histograms over binned features
// (FeatureBinning, GradientHistogram), splits are chosen by gain
// (HistogramSplit) and the tree grows leaf by leaf (LeafWiseGrowth), each leaf
// adding −G/(H + λ)·η. One round, LightGBM style:
//   1. g, h of every training row at the current scores;
//   2. rows kept with probability `rowSubsample` (bagging), drawn again each
//      round; for each output k (one per class for softmax) a tree on a fresh
//      draw of ⌈columnSubsample·d⌉ features, fitted to (g_k, h_k) of those rows;
//   3. every training and validation row's score moves by the new trees'
//      values; the mean training and validation losses are recorded.
// Early stopping: with a patience p, the loop stops once the validation loss
// has not improved for p rounds, and the model keeps the rounds up to its best.
// Every random draw comes from one generator seeded by `seed`, and nothing
// depends on the thread count, so a seed fixes the model.
import Foundation
import Tensor

/// Which total a feature importance adds up over the splits on that feature.
public enum ImportanceKind: Sendable {
    /// The sum of the gains G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ) of the feature's splits.
    case gain
    /// How many splits test the feature.
    case split
}

/// The hyperparameters of gradient boosting (LightGBM's names in brackets).
public struct BoostingParameters: Sendable, Equatable {
    /// Boosting rounds, the most trees per output [num_iterations].
    public var rounds: Int
    /// η, the shrinkage applied to every leaf value [learning_rate].
    public var learningRate: Float
    /// The leaf budget of each tree [num_leaves].
    public var maxLeaves: Int
    /// The deepest a leaf may be; nil for no limit [max_depth].
    public var maxDepth: Int?
    /// Value bins per feature, at most 255 [max_bin].
    public var maxBins: Int
    /// The fewest training rows a leaf may hold [min_data_in_leaf].
    public var minSamplesLeaf: Int
    /// The smallest hessian sum a leaf may hold [min_sum_hessian_in_leaf].
    public var minChildWeight: Float
    /// λ, the L2 penalty on leaf values [lambda_l2].
    public var l2: Float
    /// The fraction of rows drawn for each round [bagging_fraction].
    public var rowSubsample: Float
    /// The fraction of features drawn for each tree [feature_fraction].
    public var columnSubsample: Float
    /// Stop when the validation loss has not improved for this many rounds; nil trains every round.
    public var earlyStoppingRounds: Int?
    /// The fraction of the fit data held out for early stopping when no validation set is given.
    public var validationFraction: Float
    /// Fixes the hold-out, bagging and feature draws.
    public var seed: UInt64

    /// Throws `EstimatorError.invalidParameter` for a value outside its range.
    func validate() throws {
        func check(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws {
            if !ok { throw EstimatorError.invalidParameter(name: name, value: "\(value)", expected: expected) }
        }
        try check(rounds >= 1, "rounds", rounds, "at least 1")
        try check(learningRate > 0 && learningRate.isFinite, "learningRate", learningRate, "a positive number")
        try check(maxLeaves >= 2, "maxLeaves", maxLeaves, "at least 2")
        try check(maxDepth.map { $0 >= 1 } ?? true, "maxDepth", maxDepth as Any, "at least 1, or nil")
        try check((2...FeatureBinning.maximumBins).contains(maxBins), "maxBins", maxBins, "between 2 and 255")
        try check(minSamplesLeaf >= 1, "minSamplesLeaf", minSamplesLeaf, "at least 1")
        try check(minChildWeight >= 0, "minChildWeight", minChildWeight, "at least 0")
        try check(l2 >= 0, "l2", l2, "at least 0")
        try check(rowSubsample > 0 && rowSubsample <= 1, "rowSubsample", rowSubsample, "in (0, 1]")
        try check(columnSubsample > 0 && columnSubsample <= 1, "columnSubsample", columnSubsample, "in (0, 1]")
        try check(earlyStoppingRounds.map { $0 >= 1 } ?? true, "earlyStoppingRounds", earlyStoppingRounds as Any, "at least 1, or nil")
        try check(validationFraction > 0 && validationFraction < 1, "validationFraction", validationFraction, "in (0, 1)")
    }
}

/// A fitted ensemble: the binning, the starting scores and the trees of every round.
struct BoostedEnsemble: Sendable {
    let loss: BoostingLoss
    let binning: FeatureBinning
    let initialScores: [Float]
    /// trees[round][output].
    var trees: [[BoostedTree]] = []
    var trainLoss: [Double] = []
    var validationLoss: [Double] = []
    var bestRound: Int?
    var roundsTrained: Int { trainLoss.count }

    /// Fits on X [n, d] (NaN allowed: missing) and targets (values, 0/1 or class indices).
    ///
    /// - Parameter validation: rows scored each round for early stopping; nil holds out
    ///   `validationFraction` of the rows when early stopping is on.
    init(fitting x: Tensor, targets: [Float], loss: BoostingLoss, parameters p: BoostingParameters,
         validation: (x: Tensor, targets: [Float])?) throws {
        try p.validate()
        var generator = RandomGenerator(seed: p.seed)
        var (xFit, yFit) = (x, targets)
        var held = validation
        if p.earlyStoppingRounds != nil && held == nil {
            let n = x.shape[0]
            let holdOut = Int((Double(p.validationFraction) * Double(n)).rounded())
            guard holdOut >= 1 && n - holdOut >= 2 else { throw EstimatorError.tooFewSamples(found: n, needed: 3) }
            let order = generator.permutation(n)
            let (heldRows, fitRows) = (Array(order[..<holdOut]).sorted(), Array(order[holdOut...]).sorted())
            held = (x.gathering(heldRows), heldRows.map { targets[$0] })
            (xFit, yFit) = (x.gathering(fitRows), fitRows.map { targets[$0] })
        }
        if p.earlyStoppingRounds == nil { held = nil }
        self.loss = loss
        binning = FeatureBinning(fitting: xFit, maxBins: p.maxBins)
        initialScores = loss.initialScores(yFit)
        try boost(binned: binning.binned(xFit), targets: yFit,
                  validation: held.map { (binning.binned($0.x), $0.targets) }, parameters: p, generator: &generator)
    }

    /// The boosting loop (steps 1–3 of the header), then the cut back to the best round.
    private mutating func boost(binned: BinnedMatrix, targets: [Float], validation: (binned: BinnedMatrix, targets: [Float])?,
                                parameters p: BoostingParameters, generator: inout RandomGenerator) throws {
        let (n, d, outputs) = (binned.rows, binned.features, loss.outputs)
        var scores = [Float](repeating: 0, count: outputs * n)
        var gradients = scores, hessians = scores
        for k in 0..<outputs { for i in 0..<n { scores[k * n + i] = initialScores[k] } }
        let m = validation?.binned.rows ?? 0
        var validScores = [Float](repeating: 0, count: outputs * m)
        for k in 0..<outputs { for i in 0..<m { validScores[k * m + i] = initialScores[k] } }

        let growth = LeafWiseGrowth(maxLeaves: p.maxLeaves, maxDepth: p.maxDepth,
                                    rules: SplitRules(l2: Double(p.l2), minSamplesLeaf: Double(p.minSamplesLeaf),
                                                      minChildWeight: Double(p.minChildWeight)),
                                    learningRate: p.learningRate)
        var workspace = LeafWiseGrowth.Workspace(rows: n, features: d, maxLeaves: p.maxLeaves)
        let binCounts = binning.binCounts
        let featuresPerTree = Swift.max(1, Int((Double(p.columnSubsample) * Double(d)).rounded(.up)))
        var bestLoss = Double.infinity, roundsSinceBest = 0

        for round in 0..<p.rounds {
            // 1. Derivatives at the current scores.
            scores.withUnsafeBufferPointer { f in
                targets.withUnsafeBufferPointer { y in
                    loss.derivatives(scores: f.baseAddress!, targets: y.baseAddress!, count: n,
                                     gradients: &gradients, hessians: &hessians)
                }
            }
            // 2. This round's rows, then one tree per output on its own features.
            var bag: [Int32] = p.rowSubsample < 1
                ? (0..<Int32(n)).filter { _ in generator.nextUniformFloat() < p.rowSubsample }
                : Array(0..<Int32(n))
            if bag.isEmpty { bag = Array(0..<Int32(n)) }       // a tiny data set can draw no row at all
            var roundTrees: [BoostedTree] = []
            for k in 0..<outputs {
                var used = [Bool](repeating: featuresPerTree == d, count: d)
                if featuresPerTree < d { for j in generator.permutation(d).prefix(featuresPerTree) { used[j] = true } }
                var rows = bag
                var (tree, leaves) = gradients.withUnsafeBufferPointer { g in
                    hessians.withUnsafeBufferPointer { h in
                        growth.grow(binned: binned, binCounts: binCounts, gradients: g.baseAddress! + k * n,
                                    hessians: h.baseAddress! + k * n, rows: &rows, used: used, workspace: &workspace)
                    }
                }
                tree.setRawThresholds(binning)
                // 3. Scores move by the tree's values: in-bag rows through their leaves, all others through the tree.
                scores.withUnsafeMutableBufferPointer { f in
                    let out = f.baseAddress! + k * n
                    if rows.count == n {
                        for leaf in leaves {
                            let value = tree.nodes[leaf.node].value
                            for r in leaf.rows { out[Int(rows[r])] += value }
                        }
                    } else {
                        tree.addValues(binned: binned, to: out)
                    }
                }
                if let validation {
                    validScores.withUnsafeMutableBufferPointer { tree.addValues(binned: validation.binned, to: $0.baseAddress! + k * m) }
                }
                roundTrees.append(tree)
            }
            trees.append(roundTrees)
            trainLoss.append(scores.withUnsafeBufferPointer { f in
                targets.withUnsafeBufferPointer { loss.meanLoss(scores: f.baseAddress!, targets: $0.baseAddress!, count: n) }
            })
            guard let validation, let patience = p.earlyStoppingRounds else { continue }
            let current = validScores.withUnsafeBufferPointer { f in
                validation.targets.withUnsafeBufferPointer { loss.meanLoss(scores: f.baseAddress!, targets: $0.baseAddress!, count: m) }
            }
            validationLoss.append(current)
            if current < bestLoss {
                (bestLoss, roundsSinceBest, bestRound) = (current, 0, round + 1)
            } else {
                roundsSinceBest += 1
                if roundsSinceBest >= patience { break }
            }
        }
        if let bestRound { trees.removeLast(trees.count - bestRound) }
    }

    /// The raw scores F_k(x) of X [m, d], class by class: F_k of row i at k·m + i.
    func rawScores(_ x: Tensor) -> [Float] {
        let d = binning.upperEdges.count
        precondition(x.rank == 2 && x.shape[1] == d, "GradientBoosting.predict: X \(x.shape) must be [m, \(d)], as in fit")
        let (m, outputs) = (x.shape[0], loss.outputs)
        // All trees in one array (children indices stay relative to their tree's start), output k's trees at `starts[k]`.
        var nodes: [BoostedTree.Node] = [], starts = [[Int]](repeating: [], count: outputs)
        for round in trees {
            for (k, tree) in round.enumerated() {
                starts[k].append(nodes.count)
                nodes += tree.nodes
            }
        }
        var scores = [Float](repeating: 0, count: outputs * m)
        for k in 0..<outputs { for i in 0..<m { scores[k * m + i] = initialScores[k] } }
        scores.withUnsafeMutableBufferPointer { scores in
            let out = ParallelWritePointer(scores.baseAddress!)
            x.withUnsafeBufferPointer { values in
                nodes.withUnsafeBufferPointer { nodes in
                    // Blocks of 64 rows walk one tree after another, so a tree's nodes stay in cache.
                    Parallel.forRanges(m, minimumPerThread: 1_024) { rows in
                        for blockStart in stride(from: rows.lowerBound, to: rows.upperBound, by: 64) {
                            let block = blockStart ..< Swift.min(blockStart + 64, rows.upperBound)
                            for k in 0..<outputs {
                                let column = out.pointer + k * m
                                for start in starts[k] {
                                    let tree = nodes.baseAddress! + start
                                    for i in block {
                                        column[i] += BoostedTree.value(of: tree, raw: values.baseAddress! + i * d)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return scores
    }

    /// Per feature, the total gain of its splits or their number, over the trees kept.
    func importances(kind: ImportanceKind) -> [Float] {
        var totals = [Double](repeating: 0, count: binning.upperEdges.count)
        for round in trees {
            for tree in round {
                for node in tree.nodes where node.feature >= 0 {
                    totals[Int(node.feature)] += kind == .gain ? Double(node.gain) : 1
                }
            }
        }
        return totals.map { Float($0) }
    }
}

/// Checks X [n, d] and y for boosting: NaN features are allowed (missing), infinities and non-finite targets are not.
enum BoostingInput {
    @discardableResult
    static func check(_ x: Tensor, _ y: Tensor) throws -> (rows: Int, columns: Int) {
        precondition(x.rank == 2, "fit: X must be a matrix [samples, features], got shape \(x.shape)")
        let (n, d) = (x.shape[0], x.shape[1])
        precondition(y.count == n && (y.rank == 1 || (y.rank == 2 && y.shape[1] == 1)),
                     "fit: y \(y.shape) must be a vector with one value per row of X \(x.shape)")
        guard n >= 2 else { throw EstimatorError.tooFewSamples(found: n, needed: 2) }
        if let bad = x.withUnsafeBufferPointer({ $0.firstIndex { $0.isInfinite } }) {
            throw EstimatorError.nonFiniteValue(row: bad / Swift.max(d, 1), column: bad % Swift.max(d, 1))
        }
        if let bad = y.firstNonFinite?.index {
            throw EstimatorError.nonFiniteValue(row: bad, column: nil)
        }
        return (n, d)
    }
}
