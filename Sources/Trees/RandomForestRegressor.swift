// RandomForestRegressor: the average of many randomised regression trees.
//
// T squared-error CART trees, each on its own bootstrap sample and drawing
// maxFeatures features per split (ForestGrowing); the prediction is their mean,
//     ŷ(x) = (1/T) Σ_t ȳ_t(leaf_t(x)).
// scikit-learn's default for regression examines every feature per split
// (maxFeatures = .fraction(1)); the randomness then comes from the bootstrap.
// With oobScore, R² of the out-of-bag predictions estimates the test R².
import Tensor

/// A random forest of CART regression trees (scikit-learn's RandomForestRegressor).
public struct RandomForestRegressor: Regressor {
    /// Number of trees.
    public var trees: Int
    /// Depth limit of every tree; nil grows until leaves are pure.
    public var maxDepth: Int?
    /// A node with fewer training rows is not split.
    public var minSamplesSplit: Int
    /// Every leaf keeps at least this many training rows.
    public var minSamplesLeaf: Int
    /// Features examined per split.
    public var maxFeatures: MaxFeatures
    /// Grow each tree on a bootstrap sample.
    public var bootstrap: Bool
    /// Compute `oobScore` during fit (needs bootstrap).
    public var computesOOBScore: Bool
    /// Seed of the whole forest.
    public var seed: UInt64

    /// The fitted trees (scikit-learn's `estimators_`).
    public private(set) var estimators: [TreeStructure] = []
    /// Mean over trees of their normalised squared-error decreases, normalised to sum 1.
    public private(set) var featureImportances: [Float] = []
    /// R² of the out-of-bag predictions on the training rows (nil unless asked for).
    public private(set) var oobScore: Float?

    public init(trees: Int = 100, maxDepth: Int? = nil, minSamplesSplit: Int = 2, minSamplesLeaf: Int = 1,
                maxFeatures: MaxFeatures = .fraction(1), bootstrap: Bool = true, oobScore: Bool = false, seed: UInt64 = 0) {
        self.trees = trees
        self.maxDepth = maxDepth
        self.minSamplesSplit = minSamplesSplit
        self.minSamplesLeaf = minSamplesLeaf
        self.maxFeatures = maxFeatures
        self.bootstrap = bootstrap
        self.computesOOBScore = oobScore
        self.seed = seed
    }

    /// Grows the trees on X [n, d] and targets y [n], in parallel on `ComputeThreads.count` cores.
    public mutating func fit(_ x: Tensor, _ y: Tensor) throws {
        let (n, d) = try FitInput.check(x, y)
        guard trees >= 1 else { throw EstimatorError.invalidParameter(name: "trees", value: "\(trees)", expected: "at least 1") }
        guard bootstrap || !computesOOBScore else {
            throw EstimatorError.invalidParameter(name: "oobScore", value: "true", expected: "false when bootstrap is false")
        }
        let settings = try TreeSettings(
            criterion: .squaredError, maxDepth: maxDepth, minSamplesSplit: minSamplesSplit,
            minSamplesLeaf: minSamplesLeaf, minImpurityDecrease: 0, maxFeatures: maxFeatures, features: d)
        let data = TreeTrainingSet(x: x, targets: y)
        let forest = ForestGrowing(data: data, settings: settings, rowWeights: [Double](repeating: 1, count: n), bootstrap: bootstrap)
            .grow(trees: trees, seed: seed, keepOutOfBag: computesOOBScore)
        estimators = forest.trees
        featureImportances = ForestGrowing.importance(forest.importances, features: d)
        oobScore = nil
        if computesOOBScore {
            let (sums, votes) = ForestGrowing.outOfBagSums(x, trees: forest.trees, outOfBag: forest.outOfBag)
            let targets = y.scalars
            let kept = (0..<n).filter { votes[$0] > 0 }
            if kept.count >= 2 {
                let truth = Tensor(shape: [kept.count], scalars: kept.map { targets[$0] })
                let guess = Tensor(shape: [kept.count], scalars: kept.map { sums[$0] / Float(votes[$0]) })
                oobScore = Metrics.r2(truth, guess)
            }
        }
    }

    /// The mean over trees of each row's leaf mean, [m].
    public func predict(_ x: Tensor) -> Tensor {
        precondition(!estimators.isEmpty, "RandomForestRegressor.predict: the model is not fitted; call fit first")
        estimators[0].checkInput(x, op: "RandomForestRegressor.predict")
        let m = x.shape[0]
        var out = Tensor(shape: [m], scalars: [Float](repeating: 0, count: m))
        let scale = 1 / Float(estimators.count)
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { o in
                for tree in estimators { tree.accumulate(xs.baseAddress!, rows: m, into: o.baseAddress!, scale: scale) }
            }
        }
        return out
    }
}
