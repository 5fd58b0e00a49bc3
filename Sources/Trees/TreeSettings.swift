// TreeSettings: the hyperparameters that limit how a CART tree grows, checked once.
//
//     maxDepth           nodes at this depth become leaves (root depth 0; nil = no limit)
//     minSamplesSplit    a node with fewer rows is not split (≥ 2)
//     minSamplesLeaf     a cut must leave at least this many rows on each side (≥ 1)
//     minImpurityDecrease  a split must lower the weighted impurity by this much (≥ 0)
//     maxFeatures        features examined per split (see MaxFeatures)
// These are scikit-learn's names and meanings, shared by the trees and the forests.

/// The impurity a tree minimises.
enum SplitCriterion: Sendable {
    case gini, entropy, squaredError
}

/// The limits and choices of one tree, validated.
struct TreeSettings: Sendable {
    var criterion: SplitCriterion
    var maxDepth: Int
    var minSamplesSplit: Int
    var minSamplesLeaf: Int
    var minImpurityDecrease: Double
    /// Features examined per split (1...d).
    var maxFeatures: Int

    /// Checks every limit and resolves `maxFeatures` for d features; throws `.invalidParameter` on one out of range.
    init(criterion: SplitCriterion, maxDepth: Int?, minSamplesSplit: Int, minSamplesLeaf: Int,
         minImpurityDecrease: Float, maxFeatures: MaxFeatures, features d: Int) throws {
        if let maxDepth, maxDepth < 0 {
            throw EstimatorError.invalidParameter(name: "maxDepth", value: "\(maxDepth)", expected: "nil or a depth ≥ 0")
        }
        guard minSamplesSplit >= 2 else {
            throw EstimatorError.invalidParameter(name: "minSamplesSplit", value: "\(minSamplesSplit)", expected: "an integer ≥ 2")
        }
        guard minSamplesLeaf >= 1 else {
            throw EstimatorError.invalidParameter(name: "minSamplesLeaf", value: "\(minSamplesLeaf)", expected: "an integer ≥ 1")
        }
        guard minImpurityDecrease >= 0, minImpurityDecrease.isFinite else {
            throw EstimatorError.invalidParameter(name: "minImpurityDecrease", value: "\(minImpurityDecrease)", expected: "a finite value ≥ 0")
        }
        self.criterion = criterion
        self.maxDepth = maxDepth ?? Int.max
        self.minSamplesSplit = minSamplesSplit
        self.minSamplesLeaf = minSamplesLeaf
        self.minImpurityDecrease = Double(minImpurityDecrease)
        self.maxFeatures = try maxFeatures.resolved(features: d)
    }
}
