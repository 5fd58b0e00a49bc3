// Pipeline: transformers followed by a final estimator, fitted and applied as
// one model (scikit-learn's Pipeline). With steps T₁ … T_s and final model f:
//     fit(X, y):    X₀ = X,  Xᵢ = Tᵢ.fitTransform(Xᵢ₋₁),  f.fit(X_s, y)
//     predict(X):   f.predict(T_s(… T₁(X)))
// Because the scalers learn their statistics inside `fit`, cross-validating a
// pipeline refits them on each training fold only, so no statistic of the
// held-out fold leaks into training.

import Tensor

/// Transformers applied in order, then a final estimator; itself an estimator.
public struct Pipeline<Final: Estimator>: Estimator {
    /// The transformers, applied first to last.
    public var steps: [any Transformer]
    /// The estimator fitted on the transformed features.
    public var final: Final

    /// A pipeline running `steps` in order before `final`.
    public init(steps: [any Transformer], final: Final) {
        self.steps = steps
        self.final = final
    }

    /// Fits each step on the output of the previous one, then the final estimator.
    public mutating func fit(_ x: Tensor, _ y: Tensor) throws {
        var features = x
        for i in steps.indices { features = try steps[i].fitTransform(features) }
        try final.fit(features, y)
    }

    /// X run through every fitted step.
    public func transform(_ x: Tensor) -> Tensor {
        steps.reduce(x) { features, step in step.transform(features) }
    }

    /// The final estimator's prediction for the transformed X.
    public func predict(_ x: Tensor) -> Tensor { final.predict(transform(x)) }

    /// The final estimator's score on the transformed X.
    public func score(_ x: Tensor, _ y: Tensor) -> Float { final.score(transform(x), y) }
}

extension Pipeline: Classifier where Final: Classifier {
    /// The final classifier's classes.
    public var classes: [Float] { final.classes }
    /// The final classifier's probabilities for the transformed X.
    public func predictProba(_ x: Tensor) -> Tensor { final.predictProba(transform(x)) }
}

extension Pipeline: Regressor where Final: Regressor {}
