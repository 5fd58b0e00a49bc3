// RandomForestClassifier: the average of many randomised CART trees.
//
// Each of the T trees is grown deep on its own bootstrap sample, looking at
// only maxFeatures (default ⌊√d⌋) random features per split (ForestGrowing).
// The forest's probabilities are the mean of the trees' leaf frequencies,
//     P(k | x) = (1/T) Σ_t p_{t,k}(leaf_t(x)),   ŷ = classes[argmax_k P(k | x)],
// as in scikit-learn (soft voting, not a count of hard votes). With
// oobScore the accuracy of the out-of-bag predictions estimates the test
// accuracy without a held-out set.
import Tensor

/// A random forest of CART classification trees (scikit-learn's RandomForestClassifier).
public struct RandomForestClassifier: Classifier {
    /// Number of trees.
    public var trees: Int
    /// The impurity each tree minimises.
    public var criterion: DecisionTreeClassifier.Criterion
    /// Depth limit of every tree; nil grows until leaves are pure.
    public var maxDepth: Int?
    /// A node with fewer training rows is not split.
    public var minSamplesSplit: Int
    /// Every leaf keeps at least this many training rows.
    public var minSamplesLeaf: Int
    /// Features examined per split.
    public var maxFeatures: MaxFeatures
    /// Grow each tree on a bootstrap sample (otherwise on all rows, differing only in their feature draws).
    public var bootstrap: Bool
    /// Compute `oobScore` during fit (needs bootstrap).
    public var computesOOBScore: Bool
    /// Weights of the classes in the impurity.
    public var classWeight: ClassWeight
    /// Seed of the whole forest: tree t's bootstrap and feature draws come from it and t alone.
    public var seed: UInt64

    /// The class labels seen in fit, increasing.
    public private(set) var classes: [Float] = []
    /// The fitted trees (scikit-learn's `estimators_`).
    public private(set) var estimators: [TreeStructure] = []
    /// Mean over trees of their normalised impurity decreases, normalised to sum 1.
    public private(set) var featureImportances: [Float] = []
    /// Accuracy of the out-of-bag predictions on the training rows (nil unless asked for).
    public private(set) var oobScore: Float?

    public init(trees: Int = 100, criterion: DecisionTreeClassifier.Criterion = .gini, maxDepth: Int? = nil,
                minSamplesSplit: Int = 2, minSamplesLeaf: Int = 1, maxFeatures: MaxFeatures = .sqrt,
                bootstrap: Bool = true, oobScore: Bool = false, classWeight: ClassWeight = .none, seed: UInt64 = 0) {
        self.trees = trees
        self.criterion = criterion
        self.maxDepth = maxDepth
        self.minSamplesSplit = minSamplesSplit
        self.minSamplesLeaf = minSamplesLeaf
        self.maxFeatures = maxFeatures
        self.bootstrap = bootstrap
        self.computesOOBScore = oobScore
        self.classWeight = classWeight
        self.seed = seed
    }

    /// Grows the trees on X [n, d] and labels y [n], in parallel on `ComputeThreads.count` cores.
    public mutating func fit(_ x: Tensor, _ y: Tensor) throws {
        let d = try FitInput.check(x, y).columns
        guard trees >= 1 else { throw EstimatorError.invalidParameter(name: "trees", value: "\(trees)", expected: "at least 1") }
        guard bootstrap || !computesOOBScore else {
            throw EstimatorError.invalidParameter(name: "oobScore", value: "true", expected: "false when bootstrap is false")
        }
        let (classes, indices) = try FitInput.encodeLabels(y)
        let settings = try TreeSettings(
            criterion: criterion == .gini ? .gini : .entropy, maxDepth: maxDepth, minSamplesSplit: minSamplesSplit,
            minSamplesLeaf: minSamplesLeaf, minImpurityDecrease: 0, maxFeatures: maxFeatures, features: d)
        var counts = [Int](repeating: 0, count: classes.count)
        for c in indices { counts[c] += 1 }
        let perClass = try classWeight.weights(classes: classes, counts: counts)
        let data = TreeTrainingSet(x: x, labels: indices, classCount: classes.count)
        let forest = ForestGrowing(data: data, settings: settings, rowWeights: indices.map { perClass[$0] }, bootstrap: bootstrap)
            .grow(trees: trees, seed: seed, keepOutOfBag: computesOOBScore)
        self.classes = classes
        estimators = forest.trees
        featureImportances = ForestGrowing.importance(forest.importances, features: d)
        oobScore = nil
        if computesOOBScore {
            let (sums, votes) = ForestGrowing.outOfBagSums(x, trees: forest.trees, outOfBag: forest.outOfBag)
            let k = classes.count
            var hits = 0, voted = 0
            for i in 0..<indices.count where votes[i] > 0 {
                var best = 0
                for c in 1..<k where sums[i * k + c] > sums[i * k + best] { best = c }
                voted += 1
                if best == indices[i] { hits += 1 }
            }
            oobScore = voted > 0 ? Float(Double(hits) / Double(voted)) : nil
        }
    }

    /// The mean over trees of each row's leaf class frequencies, [m, classes.count].
    public func predictProba(_ x: Tensor) -> Tensor {
        precondition(!estimators.isEmpty, "RandomForestClassifier.predictProba: the model is not fitted; call fit first")
        estimators[0].checkInput(x, op: "RandomForestClassifier.predictProba")
        let m = x.shape[0], k = classes.count
        var out = Tensor(shape: [m, k], scalars: [Float](repeating: 0, count: m * k))
        let scale = 1 / Float(estimators.count)
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { o in
                for tree in estimators { tree.accumulate(xs.baseAddress!, rows: m, into: o.baseAddress!, scale: scale) }
            }
        }
        return out
    }

    /// The class with the highest mean probability for each row, [m].
    public func predict(_ x: Tensor) -> Tensor {
        ClassProbabilities.labels(predictProba(x), classes: classes)
    }
}
