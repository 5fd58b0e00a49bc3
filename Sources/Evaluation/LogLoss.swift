// Log loss (cross-entropy) of predicted class probabilities:
//     L = −(1/n) Σᵢ log p_{i, yᵢ}
// where p_{i, yᵢ} is the probability the model gave to sample i's true class.
// A confident wrong answer (p → 0) would cost log 0 = −∞, so, as scikit-learn
// does, every probability is first clipped to [ε, 1 − ε], with ε the machine
// epsilon of the probabilities' type (Float: 2⁻²³ ≈ 1.19·10⁻⁷). Rows are
// expected to sum to 1 (a Classifier's predictProba does); they are not
// renormalised. The sum runs in Double.

import Foundation
import Tensor

extension Metrics {
    /// Mean negative log-probability of the true class; column j of `probabilities` [n, k] belongs to `classes[j]`.
    ///
    /// For two classes `probabilities` may also be a vector [n] holding the probability of `classes[1]`.
    /// Every label of yTrue must be one of `classes`.
    public static func logLoss(_ yTrue: Tensor, probabilities: Tensor, classes: [Float],
                               epsilon: Float = Float.ulpOfOne) -> Float {
        let n = yTrue.count
        precondition(n > 0, "logLoss: yTrue is empty")
        var probabilities = probabilities
        if probabilities.rank == 1 && classes.count == 2 && probabilities.count == n {
            let positive = probabilities.scalars
            probabilities = Tensor(shape: [n, 2]) { i in i % 2 == 1 ? positive[i / 2] : 1 - positive[i / 2] }
        }
        precondition(probabilities.rank == 2 && probabilities.shape == [n, classes.count],
                     "logLoss: probabilities \(probabilities.shape) must be [\(n), \(classes.count)] for yTrue \(yTrue.shape) and \(classes.count) classes")
        var column: [Float: Int] = [:]
        for (j, label) in classes.enumerated() { column[label] = j }
        let k = classes.count
        let low = Double(epsilon), high = 1 - Double(epsilon)
        let sum = yTrue.withUnsafeBufferPointer { y in
            probabilities.withUnsafeBufferPointer { p in
                var sum = 0.0
                for i in 0..<n {
                    guard let j = column[y[i]] else {
                        preconditionFailure("logLoss: label \(y[i]) at row \(i) is not one of the classes \(classes)")
                    }
                    sum += Foundation.log(Swift.min(Swift.max(Double(p[i * k + j]), low), high))
                }
                return sum
            }
        }
        return Float(-sum / Double(n))
    }
}
