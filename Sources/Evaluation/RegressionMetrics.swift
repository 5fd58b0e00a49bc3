// Regression metrics: how far predictions ŷ are from targets y, over n samples.
//     MSE = (1/n) Σ (yᵢ − ŷᵢ)²
//     MAE = (1/n) Σ |yᵢ − ŷᵢ|
//     R²  = 1 − Σ (yᵢ − ŷᵢ)² / Σ (yᵢ − ȳ)²
// R² is 1 for perfect predictions, 0 for always predicting the mean ȳ, and
// negative for anything worse. When y is constant the denominator is 0; like
// scikit-learn, R² is then 1 for perfect predictions and 0 otherwise.
// Sums run in Double so that a million float32 residuals lose nothing.

import Tensor

/// Metrics that compare predictions with targets, named as in scikit-learn's `sklearn.metrics`.
public enum Metrics {}

extension Metrics {
    /// Mean squared error (1/n) Σ (yᵢ − ŷᵢ)² of two vectors of equal length.
    public static func meanSquaredError(_ yTrue: Tensor, _ yPred: Tensor) -> Float {
        let (sum, n) = pairedSum(yTrue, yPred, op: "meanSquaredError") { let e = $0 - $1; return e * e }
        return Float(sum / Double(n))
    }

    /// Mean absolute error (1/n) Σ |yᵢ − ŷᵢ| of two vectors of equal length.
    public static func meanAbsoluteError(_ yTrue: Tensor, _ yPred: Tensor) -> Float {
        let (sum, n) = pairedSum(yTrue, yPred, op: "meanAbsoluteError") { abs($0 - $1) }
        return Float(sum / Double(n))
    }

    /// Coefficient of determination R² = 1 − SS_res / SS_tot.
    public static func r2(_ yTrue: Tensor, _ yPred: Tensor) -> Float {
        let (residual, n) = pairedSum(yTrue, yPred, op: "r2") { let e = $0 - $1; return e * e }
        let mean = yTrue.withUnsafeBufferPointer { y in y.reduce(0.0) { $0 + Double($1) } } / Double(n)
        let total = yTrue.withUnsafeBufferPointer { y in y.reduce(0.0) { let d = Double($1) - mean; return $0 + d * d } }
        if total == 0 { return residual == 0 ? 1 : 0 }
        return Float(1 - residual / total)
    }

    /// Σ f(yᵢ, ŷᵢ) in Double and n, after checking that both are non-empty vectors of one length.
    static func pairedSum(_ yTrue: Tensor, _ yPred: Tensor, op: String,
                          _ term: (Double, Double) -> Double) -> (sum: Double, count: Int) {
        precondition(yTrue.count == yPred.count && yTrue.count > 0,
                     "\(op): yTrue \(yTrue.shape) and yPred \(yPred.shape) must be non-empty with equal counts")
        let sum = yTrue.withUnsafeBufferPointer { y in
            yPred.withUnsafeBufferPointer { p in
                var sum = 0.0
                for i in 0..<y.count { sum += term(Double(y[i]), Double(p[i])) }
                return sum
            }
        }
        return (sum, yTrue.count)
    }
}
