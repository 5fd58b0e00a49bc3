// Estimator: the shape every phase-3 model shares, scikit-learn's.
//
// A data set is a feature matrix X of shape [n, d] (one row per sample) and a
// target vector y of shape [n]. An estimator learns from (X, y) in `fit` and
// then maps new rows to predictions:
//     regressor:   ŷ = predict(X) ∈ ℝⁿ,          score = R²
//     classifier:  ŷ = predict(X) ∈ classesⁿ,     score = accuracy,
//                  P = predictProba(X) ∈ [0,1]^{n×k}, each row sums to 1,
//                  column j is the probability of `classes[j]`.
// A transformer (a scaler, polynomial features) learns from X alone and maps
// X to a new matrix. Class labels are stored as Float values (the codes a
// CSVTable target gives); `classes` lists the distinct ones in increasing order.
//
// Estimators are value types: `var model = Ridge(alpha: 1); try model.fit(x, y)`.
// Copying an unfitted estimator is how cross-validation and grid search get a
// fresh model per fold.

import Tensor

/// A model that learns from features X [n, d] and targets y [n].
public protocol Estimator: Sendable {
    /// Learns the model's parameters from X [n, d] and y [n]; throws `EstimatorError` on unusable data.
    mutating func fit(_ x: Tensor, _ y: Tensor) throws
    /// The prediction for each row of X [m, d], as a vector [m].
    func predict(_ x: Tensor) -> Tensor
    /// How well the fitted model predicts y from X: R² for a regressor, accuracy for a classifier.
    func score(_ x: Tensor, _ y: Tensor) -> Float
}

/// An estimator of a real-valued target; its score is R².
public protocol Regressor: Estimator {}

/// An estimator of a class label; its score is accuracy.
public protocol Classifier: Estimator {
    /// The distinct class labels seen in `fit`, increasing; column j of `predictProba` belongs to `classes[j]`.
    var classes: [Float] { get }
    /// The probability of each class for each row of X [m, d], as [m, classes.count]; rows sum to 1.
    func predictProba(_ x: Tensor) -> Tensor
}

/// A step that learns from X alone and maps it to a new feature matrix (a scaler, polynomial features).
public protocol Transformer: Sendable {
    /// Learns what the transform needs (means, ranges, categories) from X [n, d].
    mutating func fit(_ x: Tensor) throws
    /// X [m, d] transformed with what `fit` learned, as [m, d'].
    func transform(_ x: Tensor) -> Tensor
}

extension Transformer {
    /// `fit(x)` then `transform(x)`.
    public mutating func fitTransform(_ x: Tensor) throws -> Tensor {
        try fit(x)
        return transform(x)
    }
}
