// ClassWeight: how much each class counts when a tree measures impurity.
//
// Every sample i carries a weight wᵢ and the class counts of a node become
// weighted sums nₖ = Σ_{i ∈ node, yᵢ = k} wᵢ. With class weights c_k,
//     wᵢ = c_{yᵢ}   (times the bootstrap count in a forest).
// `balanced` gives every class the same total weight:
//     c_k = n / (K · n_k)
// (scikit-learn's class_weight="balanced"), so a rare class is not ignored
// because a split that sacrifices it costs little. Moving weight onto a class
// moves the decision boundary away from it.

/// The weight each class's samples carry in the impurity of a tree.
public enum ClassWeight: Sendable, Equatable {
    /// Every sample weighs 1.
    case none
    /// Class k weighs n / (K · n_k), so that every class carries the same total weight.
    case balanced
    /// Explicit weights by class label; a label not listed weighs 1.
    case custom([Float: Float])

    /// The weight of each class, indexed like `classes`, given the count of each class in the data.
    func weights(classes: [Float], counts: [Int]) throws -> [Double] {
        switch self {
        case .none:
            return [Double](repeating: 1, count: classes.count)
        case .balanced:
            let n = Double(counts.reduce(0, +))
            return counts.map { n / (Double(classes.count) * Double($0)) }
        case .custom(let table):
            for (label, weight) in table where !(weight >= 0 && weight.isFinite) {
                throw EstimatorError.invalidParameter(name: "classWeight", value: "\(label): \(weight)",
                                                      expected: "a finite weight ≥ 0")
            }
            return classes.map { Double(table[$0] ?? 1) }
        }
    }
}
