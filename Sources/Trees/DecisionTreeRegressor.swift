// DecisionTreeRegressor: one CART tree for a real-valued target.
//
// The same greedy growth as the classifier (TreeGrowing), with the squared
// error as impurity: a node's impurity is the variance of its targets,
//     V = (1/W) Σ wᵢ (yᵢ − ȳ)²,   ȳ = (1/W) Σ wᵢ yᵢ,
// and the best cut minimises W_L·V_L + W_R·V_R. A leaf predicts the mean ȳ of
// its training rows, so the tree is a piecewise-constant function of x; grown
// without limits it reproduces every training target whose x is distinct.
import Foundation
import Tensor

/// A CART regression tree (squared error) with scikit-learn's hyperparameters.
public struct DecisionTreeRegressor: Regressor {
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
    /// Seed of the feature draws.
    public var seed: UInt64

    /// Normalised mean decrease in squared error per feature (sums to 1 once a split exists).
    public private(set) var featureImportances: [Float] = []
    /// The fitted nodes (scikit-learn's `tree_`).
    public private(set) var tree = TreeStructure(outputs: 1, featureCount: 0)

    public init(maxDepth: Int? = nil, minSamplesSplit: Int = 2, minSamplesLeaf: Int = 1,
                minImpurityDecrease: Float = 0, maxFeatures: MaxFeatures = .all, seed: UInt64 = 0) {
        self.maxDepth = maxDepth
        self.minSamplesSplit = minSamplesSplit
        self.minSamplesLeaf = minSamplesLeaf
        self.minImpurityDecrease = minImpurityDecrease
        self.maxFeatures = maxFeatures
        self.seed = seed
    }

    /// Number of nodes of the fitted tree.
    public var nodeCount: Int { tree.nodeCount }
    /// Depth of the fitted tree (a lone leaf has depth 0).
    public var depth: Int { tree.depth }
    /// Number of leaves of the fitted tree.
    public var leafCount: Int { tree.leafCount }

    /// Grows the tree on X [n, d] and targets y [n].
    public mutating func fit(_ x: Tensor, _ y: Tensor) throws {
        let (n, d) = try FitInput.check(x, y)
        let settings = try TreeSettings(
            criterion: .squaredError, maxDepth: maxDepth, minSamplesSplit: minSamplesSplit,
            minSamplesLeaf: minSamplesLeaf, minImpurityDecrease: minImpurityDecrease, maxFeatures: maxFeatures, features: d)
        let data = TreeTrainingSet(x: x, targets: y)
        let weights = [Double](repeating: 1, count: n)
        let grown = weights.withUnsafeBufferPointer { TreeGrowing(data: data, settings: settings).grow(weights: $0.baseAddress!, seed: seed) }
        tree = grown.tree
        featureImportances = ClassProbabilities.normalised(grown.importance)
    }

    /// The mean training target of each row's leaf, [m].
    public func predict(_ x: Tensor) -> Tensor {
        tree.predictValues(x, op: "DecisionTreeRegressor.predict").reshaped([x.shape[0]])
    }

    /// The tree as indented text, like scikit-learn's export_text (`|   |--- value: [1.50]` at the leaves).
    public func textDump(featureNames: [String]? = nil, maxDepth: Int? = nil) -> String {
        TreeText.render(tree, featureNames: featureNames, maxDepth: maxDepth) { node in
            "value: [\(String(format: "%.2f", tree.value(of: node).first!))]"
        }
    }
}
