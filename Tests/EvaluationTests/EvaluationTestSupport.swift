// Tiny estimators for the evaluation tests: each is simple enough that the
// right cross-validation score, search winner or pipeline output is known by hand.
import Foundation
import Tensor
@testable import Evaluation

/// Predicts class 1 when feature 0 exceeds `threshold`, else class 0; fit only records the classes.
struct ThresholdClassifier: Classifier {
    var threshold: Float
    var classes: [Float] = []
    /// How many rows the last fit saw (to check folds).
    var trainingRows = 0

    init(threshold: Float) { self.threshold = threshold }

    mutating func fit(_ x: Tensor, _ y: Tensor) throws {
        try FitInput.check(x, y)
        classes = try FitInput.encodeLabels(y).classes
        trainingRows = x.shape[0]
    }

    func predict(_ x: Tensor) -> Tensor {
        Tensor(x.gathering([0], axis: 1).scalars.map { $0 > threshold ? 1 : 0 })
    }

    /// P(class 1) = σ(10 · (x₀ − threshold)).
    func predictProba(_ x: Tensor) -> Tensor {
        let column = x.gathering([0], axis: 1).scalars
        return Tensor(column.map { value -> [Float] in
            let p = 1 / (1 + Foundation.exp(-10 * (value - threshold)))
            return [1 - p, p]
        })
    }
}

/// ŷ = w · x₀ with w = Σ x₀y / Σ x₀² (least squares through the origin on feature 0).
/// Records the mean of the feature column it was fitted on, and refuses a second fit,
/// so that a test can see that every fold fits a fresh copy.
struct OriginLineRegressor: Regressor {
    var weight: Float = 0
    var fittedFeatureMean: Double = .nan
    var fitted = false

    mutating func fit(_ x: Tensor, _ y: Tensor) throws {
        let (n, _) = try FitInput.check(x, y)
        guard !fitted else {
            throw EstimatorError.invalidParameter(name: "fit", value: "twice", expected: "a fresh copy per fit")
        }
        let column = x.gathering([0], axis: 1).scalars, target = y.scalars
        let xy = zip(column, target).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let xx = column.reduce(0.0) { $0 + Double($1) * Double($1) }
        weight = Float(xy / xx)
        fittedFeatureMean = column.reduce(0.0) { $0 + Double($1) } / Double(n)
        fitted = true
    }

    func predict(_ x: Tensor) -> Tensor {
        Tensor(x.gathering([0], axis: 1).scalars.map { weight * $0 })
    }
}
