// ClassProbabilities: from a matrix of class probabilities to class labels,
// and from raw impurity decreases to feature importances.
//
//     ŷᵢ = classes[argmax_k P[i, k]]          (the first of tied classes)
//     importance_j = D_j / Σ_l D_l             (D_j: total impurity decrease of feature j)
// The first is how every tree classifier turns `predictProba` into `predict`;
// the second is the "mean decrease in impurity" importance, normalised to sum 1
// (all zeros when no split was made).
import Tensor

enum ClassProbabilities {
    /// The label of the most probable class of each row of P [m, K].
    static func labels(_ probabilities: Tensor, classes: [Float]) -> Tensor {
        let (m, k) = (probabilities.shape[0], probabilities.shape[1])
        var labels = [Float](repeating: 0, count: m)
        probabilities.withUnsafeBufferPointer { p in
            for i in 0..<m {
                let row = p.baseAddress! + i * k
                var best = 0
                for c in 1..<k where row[c] > row[best] { best = c }
                labels[i] = classes[best]
            }
        }
        return Tensor(shape: [m], scalars: labels)
    }

    /// Decreases normalised to sum 1 (zeros if they sum to 0).
    static func normalised(_ decreases: [Double]) -> [Float] {
        let total = decreases.reduce(0, +)
        return decreases.map { total > 0 ? Float($0 / total) : 0 }
    }
}
