// Accuracy: the fraction of samples whose predicted class equals the true one,
//     accuracy = (1/n) Σ 1[ŷᵢ = yᵢ].
// Labels are class codes stored as Float (0, 1, 2, … or any distinct values).

import Tensor

extension Metrics {
    /// The fraction of positions where `yPred` equals `yTrue`.
    public static func accuracy(_ yTrue: Tensor, _ yPred: Tensor) -> Float {
        let (hits, n) = pairedSum(yTrue, yPred, op: "accuracy") { $0 == $1 ? 1 : 0 }
        return Float(hits / Double(n))
    }
}

extension Regressor {
    /// R² of the predictions for X against y.
    public func score(_ x: Tensor, _ y: Tensor) -> Float { Metrics.r2(y, predict(x)) }
}

extension Classifier {
    /// Accuracy of the predictions for X against y.
    public func score(_ x: Tensor, _ y: Tensor) -> Float { Metrics.accuracy(y, predict(x)) }
}
