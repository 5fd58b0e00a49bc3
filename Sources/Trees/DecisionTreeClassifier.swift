// DecisionTreeClassifier: one CART tree for class labels (scikit-learn's shape).
//
// fit grows a tree (TreeGrowing) that cuts the feature space into boxes by
// tests x_f ≤ t, choosing at each node the cut that most lowers the weighted
// Gini impurity 1 − Σ p_k² (or the entropy −Σ p_k log₂ p_k). A leaf stores the
// weighted class frequencies p_k of its training rows, so
//     predictProba(x) = p(leaf(x)),   predict(x) = classes[argmax_k p_k(leaf(x))].
// Grown without limits a tree fits the training set exactly (every leaf pure)
// and overfits; maxDepth, minSamplesLeaf, minSamplesSplit and
// minImpurityDecrease stop it earlier. Sample weights come from classWeight.
import Tensor

/// A CART decision tree classifier with scikit-learn's hyperparameters.
public struct DecisionTreeClassifier: Classifier {
    /// The impurity minimised at each split.
    public enum Criterion: Sendable {
        /// Gini impurity 1 − Σ_k p_k².
        case gini
        /// Entropy −Σ_k p_k log₂ p_k (information gain).
        case entropy
    }

    public var criterion: Criterion
    /// Nodes at this depth become leaves (the root is at depth 0); nil grows until leaves are pure.
    public var maxDepth: Int?
    /// A node with fewer training rows is not split.
    public var minSamplesSplit: Int
    /// Every leaf keeps at least this many training rows.
    public var minSamplesLeaf: Int
    /// A split must lower the weighted impurity (as a fraction of the root's weight) by at least this.
    public var minImpurityDecrease: Float
    /// Features examined per split, drawn at random with `seed`.
    public var maxFeatures: MaxFeatures
    /// Weights of the classes in the impurity.
    public var classWeight: ClassWeight
    /// Seed of the feature draws (and of the order in which tied features are tried).
    public var seed: UInt64

    /// The class labels seen in fit, increasing.
    public private(set) var classes: [Float] = []
    /// Normalised mean decrease in impurity per feature (sums to 1 once a split exists).
    public private(set) var featureImportances: [Float] = []
    /// The fitted nodes (scikit-learn's `tree_`).
    public private(set) var tree = TreeStructure(outputs: 1, featureCount: 0)

    public init(criterion: Criterion = .gini, maxDepth: Int? = nil, minSamplesSplit: Int = 2, minSamplesLeaf: Int = 1,
                minImpurityDecrease: Float = 0, maxFeatures: MaxFeatures = .all, classWeight: ClassWeight = .none,
                seed: UInt64 = 0) {
        self.criterion = criterion
        self.maxDepth = maxDepth
        self.minSamplesSplit = minSamplesSplit
        self.minSamplesLeaf = minSamplesLeaf
        self.minImpurityDecrease = minImpurityDecrease
        self.maxFeatures = maxFeatures
        self.classWeight = classWeight
        self.seed = seed
    }

    /// Number of nodes of the fitted tree.
    public var nodeCount: Int { tree.nodeCount }
    /// Depth of the fitted tree (a lone leaf has depth 0).
    public var depth: Int { tree.depth }
    /// Number of leaves of the fitted tree.
    public var leafCount: Int { tree.leafCount }

    /// Grows the tree on X [n, d] and labels y [n].
    public mutating func fit(_ x: Tensor, _ y: Tensor) throws {
        let d = try FitInput.check(x, y).columns
        let (classes, indices) = try FitInput.encodeLabels(y)
        let settings = try TreeSettings(
            criterion: criterion == .gini ? .gini : .entropy, maxDepth: maxDepth, minSamplesSplit: minSamplesSplit,
            minSamplesLeaf: minSamplesLeaf, minImpurityDecrease: minImpurityDecrease, maxFeatures: maxFeatures, features: d)
        var counts = [Int](repeating: 0, count: classes.count)
        for c in indices { counts[c] += 1 }
        let perClass = try classWeight.weights(classes: classes, counts: counts)
        let weights = indices.map { perClass[$0] }
        guard weights.contains(where: { $0 > 0 }) else {
            throw EstimatorError.invalidParameter(name: "classWeight", value: "\(classWeight)", expected: "a positive weight for some class present")
        }
        let data = TreeTrainingSet(x: x, labels: indices, classCount: classes.count)
        let grown = weights.withUnsafeBufferPointer { TreeGrowing(data: data, settings: settings).grow(weights: $0.baseAddress!, seed: seed) }
        self.classes = classes
        tree = grown.tree
        featureImportances = ClassProbabilities.normalised(grown.importance)
    }

    /// The class frequencies of each row's leaf, [m, classes.count].
    public func predictProba(_ x: Tensor) -> Tensor {
        tree.predictValues(x, op: "DecisionTreeClassifier.predictProba")
    }

    /// The most frequent class of each row's leaf, [m].
    public func predict(_ x: Tensor) -> Tensor {
        ClassProbabilities.labels(predictProba(x), classes: classes)
    }

    /// The tree as indented text, like scikit-learn's export_text:
    /// `|--- petal width <= 0.80` / `|   |--- class: setosa`. Features default to `feature_j`,
    /// classes to their labels; below `maxDepth` branches are summarised.
    public func textDump(featureNames: [String]? = nil, classNames: [String]? = nil, maxDepth: Int? = nil) -> String {
        precondition(classNames == nil || classNames!.count == classes.count,
                     "DecisionTreeClassifier.textDump: \(classNames?.count ?? 0) class names for \(classes.count) classes")
        let names = classNames ?? classes.map(TreeText.label)
        return TreeText.render(tree, featureNames: featureNames, maxDepth: maxDepth) { node in
            let value = tree.value(of: node)
            var best = value.startIndex
            for c in value.indices where value[c] > value[best] { best = c }
            return "class: \(names[best - value.startIndex])"
        }
    }
}
