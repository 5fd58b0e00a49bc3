// Grid search: try every combination of the listed hyperparameter values
// (scikit-learn's GridSearchCV). For a grid {a: [a₁, a₂], b: [b₁, b₂, b₃]} the
// candidates are the 2 · 3 = 6 sets of the Cartesian product. The names are
// taken in sorted order and the last name varies fastest, so the order is
// fixed: (a₁,b₁) (a₁,b₂) (a₁,b₃) (a₂,b₁) … Each candidate is cross-validated
// and the best one refitted on all the data (see SearchResult).

import Tensor

/// An exhaustive search over a grid of hyperparameter values, scored by cross-validation.
public struct GridSearch: Sendable {
    /// The values to try for each hyperparameter name.
    public var grid: [String: [ParameterValue]]
    /// Cross-validation folds per candidate.
    public var folds: Int
    /// The score to maximise; nil uses the estimator's own `score`.
    public var scoring: Scoring?
    /// Fixes the shuffle of the folds when `shuffleFolds` is on (the folds are the same for every candidate).
    public var seed: UInt64
    /// Assign rows to folds at random (with `seed`); off, folds are cut in row order as in scikit-learn's GridSearchCV.
    public var shuffleFolds: Bool
    /// Stratified folds; nil stratifies exactly for classifiers.
    public var stratified: Bool?

    /// A search over every combination of `grid`'s values.
    public init(grid: [String: [ParameterValue]], folds: Int = 5, scoring: Scoring? = nil, seed: UInt64 = 0,
                stratified: Bool? = nil, shuffleFolds: Bool = false) {
        self.grid = grid
        self.folds = folds
        self.scoring = scoring
        self.seed = seed
        self.stratified = stratified
        self.shuffleFolds = shuffleFolds
    }

    /// Every combination of the grid, names sorted and the last name varying fastest.
    /// - Throws: `EstimatorError.invalidParameter` when a name has no values.
    public func parameterSets() throws -> [ParameterSet] {
        var sets: [ParameterSet] = [[:]]
        for name in grid.keys.sorted() {
            let values = grid[name]!
            guard !values.isEmpty else {
                throw EstimatorError.invalidParameter(name: name, value: "[]", expected: "at least one value to try")
            }
            sets = sets.flatMap { set in values.map { value in set.merging([name: value]) { $1 } } }
        }
        return sets
    }

    /// Cross-validates the model `make` builds from each combination and refits the best on all of (X, y).
    public func run<E: Estimator>(_ x: Tensor, _ y: Tensor,
                                  make: (ParameterSet) throws -> E) throws -> SearchResult<E> {
        try SearchResult.evaluate(try parameterSets(), x, y, folds: folds, stratified: stratified,
                                  scoring: scoring, shuffle: shuffleFolds, seed: seed, make: make)
    }
}
