// SearchResult: what a hyperparameter search found. Every candidate parameter
// set is cross-validated on the same folds (in row order, or shuffled with one seed), so the candidates
// are compared on equal terms; the best is the one with the highest mean fold
// score (the first of equal ones, as scikit-learn ranks them), and it is then
// refitted on all of (X, y), ready to predict (scikit-learn's refit=True).

import Tensor

/// The cross-validated score of every candidate of a search and the best model refitted on all the data.
public struct SearchResult<E: Estimator>: Sendable {
    /// Every candidate in the order tried, with its cross-validation scores.
    public let candidates: [(parameters: ParameterSet, cv: CrossValidationResult)]
    /// The position of the best candidate in `candidates`.
    public let bestIndex: Int
    /// The model built from the best parameters, fitted on all of (X, y).
    public let bestEstimator: E

    /// The parameters with the highest mean cross-validation score.
    public var bestParameters: ParameterSet { candidates[bestIndex].parameters }
    /// The best mean cross-validation score.
    public var bestScore: Double { candidates[bestIndex].cv.mean }

    /// Cross-validates each parameter set, picks the best mean score, refits it on all of (X, y).
    static func evaluate(_ parameterSets: [ParameterSet], _ x: Tensor, _ y: Tensor, folds: Int, stratified: Bool?,
                         scoring: Scoring?, shuffle: Bool, seed: UInt64,
                         make: (ParameterSet) throws -> E) throws -> SearchResult<E> {
        guard !parameterSets.isEmpty else {
            throw EstimatorError.invalidParameter(name: "candidates", value: "0", expected: "at least one parameter set")
        }
        var candidates: [(parameters: ParameterSet, cv: CrossValidationResult)] = []
        var bestIndex = 0
        for parameters in parameterSets {
            let cv = try CrossValidation.crossValidate(try make(parameters), x, y, folds: folds,
                                                       stratified: stratified, scoring: scoring, shuffle: shuffle, seed: seed)
            candidates.append((parameters, cv))
            // A NaN mean never wins; strict > keeps the first of equal scores.
            let best = candidates[bestIndex].cv.mean
            if cv.mean > best || (best.isNaN && !cv.mean.isNaN) { bestIndex = candidates.count - 1 }
        }
        var bestEstimator = try make(candidates[bestIndex].parameters)
        try bestEstimator.fit(x, y)
        return SearchResult(candidates: candidates, bestIndex: bestIndex, bestEstimator: bestEstimator)
    }
}
