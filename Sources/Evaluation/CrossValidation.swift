// Cross-validation: an estimate of how well a model does on unseen data, and
// how much that estimate varies.
//
// Split the rows into k folds (KFold, or StratifiedKFold for classifiers); for
// each fold i fit a fresh copy of the unfitted model on the other folds and
// score it on fold i, giving s₁ … s_k. Report
//     mean = (1/k) Σ sᵢ,    std = √((1/k) Σ (sᵢ − mean)²)
// (the population standard deviation, numpy's default, as scikit-learn users
// print it). As in scikit-learn's cross_val_score, the folds are cut in row
// order by default (KFold and StratifiedKFold without shuffling, assigned
// exactly as scikit-learn assigns them), so the scores match scikit-learn's
// fold for fold. A file sorted by the target or by time then tests each fold
// on a part unlike the training part: pass `shuffle: true` (with `seed`) there.

import Tensor

/// The scores of a cross-validation, one per fold, with their mean and spread.
public struct CrossValidationResult: Sendable {
    /// The score on each fold's held-out rows, higher is better.
    public let scores: [Double]
    /// Seconds spent fitting on each fold.
    public let fitSeconds: [Double]

    /// Scores and fit times, one per fold.
    public init(scores: [Double], fitSeconds: [Double]) {
        self.scores = scores
        self.fitSeconds = fitSeconds
    }

    /// The mean score over the folds.
    public var mean: Double { scores.reduce(0, +) / Double(scores.count) }

    /// The population standard deviation of the fold scores, √((1/k) Σ (sᵢ − mean)²), like numpy's `std`.
    public var std: Double {
        let m = mean
        return (scores.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(scores.count)).squareRoot()
    }
}

/// K-fold cross-validation of estimators (scikit-learn's `cross_validate`).
public enum CrossValidation {
    /// Fits a fresh copy of `estimator` on k − 1 folds and scores it on the remaining one, for each fold.
    ///
    /// - Parameters:
    ///   - estimator: an unfitted model; each fold fits its own copy.
    ///   - x: features [n, d].
    ///   - y: targets [n].
    ///   - folds: k, between 2 and n.
    ///   - stratified: use StratifiedKFold; nil stratifies exactly when the estimator is a `Classifier`.
    ///   - scoring: the score to report; nil uses the estimator's own `score` (accuracy or R²).
    ///   - shuffle: assign rows to folds at random (fixed by `seed`) instead of in row order.
    ///   - seed: fixes that shuffle.
    /// - Throws: what fitting throws, `EstimatorError.invalidParameter` for a bad fold count, and what `scoring` throws.
    public static func crossValidate<E: Estimator>(_ estimator: E, _ x: Tensor, _ y: Tensor, folds: Int = 5,
                                                   stratified: Bool? = nil, scoring: Scoring? = nil,
                                                   shuffle: Bool = false, seed: UInt64 = 0) throws -> CrossValidationResult {
        precondition(x.rank == 2 && x.shape[0] == y.count,
                     "crossValidate: X \(x.shape) must be [n, d] and y \(y.shape) hold n values")
        let stratify = stratified ?? (estimator is any Classifier)
        let splits = stratify
            ? try StratifiedKFold(folds: folds, shuffle: shuffle, seed: seed).splits(labels: y)
            : try KFold(folds: folds, shuffle: shuffle, seed: seed).splits(count: x.shape[0])
        var scores: [Double] = [], fitSeconds: [Double] = []
        for (train, test) in splits {
            var model = estimator
            let (xTrain, yTrain) = (x.gathering(train), y.gathering(train))
            let (xTest, yTest) = (x.gathering(test), y.gathering(test))
            let fitTime = try ContinuousClock().measure { try model.fit(xTrain, yTrain) }
            fitSeconds.append(fitTime / .seconds(1))
            scores.append(try scoring.map { try $0.score(model, xTest, yTest) } ?? Double(model.score(xTest, yTest)))
        }
        return CrossValidationResult(scores: scores, fitSeconds: fitSeconds)
    }
}
