// MaxFeatures: how many features a tree examines at each split.
//
// With d features, a split searches a random subset of size
//     all: d,  sqrt: max(1, ⌊√d⌋),  log2: max(1, ⌊log₂ d⌋),
//     count(k): min(k, d),  fraction(f): max(1, ⌊f·d⌋)
// drawn afresh at every node (Breiman, "Random Forests", 2001, §4). A single
// tree usually looks at all of them; a forest looks at fewer so that its trees
// disagree and their average has less variance. As in scikit-learn, when every
// feature drawn is constant in the node the search goes on drawing until it
// finds one that splits, or runs out.

import Foundation

/// How many features a tree draws at random (without replacement) at each split.
public enum MaxFeatures: Sendable, Equatable {
    /// Every feature: the classic CART tree.
    case all
    /// ⌊√d⌋ features: the usual choice for forest classifiers.
    case sqrt
    /// ⌊log₂ d⌋ features.
    case log2
    /// A fixed number of features (at most d).
    case count(Int)
    /// A fraction of the d features, rounded down (at least one).
    case fraction(Float)

    /// The number of features examined per split for `features` columns; throws on a count or fraction out of range.
    func resolved(features d: Int) throws -> Int {
        switch self {
        case .all:
            return d
        case .sqrt:
            return Swift.max(1, Int(Double(d).squareRoot()))
        case .log2:
            return Swift.max(1, Int(Foundation.log2(Double(d))))
        case .count(let k):
            guard k >= 1 else {
                throw EstimatorError.invalidParameter(name: "maxFeatures", value: "count(\(k))", expected: "a count of at least 1")
            }
            return Swift.min(k, d)
        case .fraction(let f):
            guard f > 0, f <= 1 else {
                throw EstimatorError.invalidParameter(name: "maxFeatures", value: "fraction(\(f))", expected: "a fraction in (0, 1]")
            }
            return Swift.max(1, Int(f * Float(d)))
        }
    }
}
