// Random search: draw a fixed number of hyperparameter sets at random from
// given distributions (scikit-learn's RandomizedSearchCV). With a budget of m
// candidates it explores continuous ranges better than a grid of m points
// (Bergstra and Bengio, 2012). With u ~ U[0, 1):
//     uniform(a, b)       a + (b − a)·u                      (a range, not scipy's (loc, scale))
//     logUniform(a, b)    exp(ln a + (ln b − ln a)·u), 0 < a  (every decade equally likely: α, C, learning rates)
//     integers(lo...hi)   each of lo … hi with probability 1 / (hi − lo + 1)
//     choice(values)      each listed value with equal probability
// Draws are with replacement and take the names in sorted order, from one
// generator seeded with `seed`, so a seed fixes every candidate.

import Foundation
import Tensor

/// Where a random search draws one hyperparameter from.
public enum ParameterDistribution: Sendable, Hashable {
    /// A real number uniform in [low, high).
    case uniform(Double, Double)
    /// A positive real number whose logarithm is uniform: low · (high/low)^u.
    case logUniform(Double, Double)
    /// An integer uniform in the range.
    case integers(ClosedRange<Int>)
    /// One of the values, each equally likely.
    case choice([ParameterValue])

    /// One draw from the distribution.
    func sample(using generator: inout RandomGenerator) -> ParameterValue {
        switch self {
        case .uniform(let low, let high):
            return .double(low + (high - low) * generator.nextUniformDouble())
        case .logUniform(let low, let high):
            return .double(Foundation.exp(Foundation.log(low) + (Foundation.log(high) - Foundation.log(low)) * generator.nextUniformDouble()))
        case .integers(let range):
            return .int(range.lowerBound + generator.nextInt(below: range.count))
        case .choice(let values):
            return values[generator.nextInt(below: values.count)]
        }
    }

    /// Throws `EstimatorError.invalidParameter` (naming the hyperparameter) for an unusable distribution.
    func validate(name: String) throws {
        switch self {
        case .uniform(let low, let high):
            guard low.isFinite && high.isFinite && low <= high else {
                throw EstimatorError.invalidParameter(name: name, value: "uniform(\(low), \(high))",
                                                      expected: "finite bounds with low ≤ high")
            }
        case .logUniform(let low, let high):
            guard low > 0 && high.isFinite && low <= high else {
                throw EstimatorError.invalidParameter(name: name, value: "logUniform(\(low), \(high))",
                                                      expected: "finite bounds with 0 < low ≤ high")
            }
        case .integers:
            return
        case .choice(let values):
            guard !values.isEmpty else {
                throw EstimatorError.invalidParameter(name: name, value: "choice([])", expected: "at least one value")
            }
        }
    }
}

/// A search over randomly drawn hyperparameter sets, scored by cross-validation.
public struct RandomSearch: Sendable {
    /// The distribution of each hyperparameter.
    public var distributions: [String: ParameterDistribution]
    /// How many candidate sets to draw.
    public var iterations: Int
    /// Cross-validation folds per candidate.
    public var folds: Int
    /// The score to maximise; nil uses the estimator's own `score`.
    public var scoring: Scoring?
    /// Fixes the drawn candidates (and the shuffle of the folds when `shuffleFolds` is on).
    public var seed: UInt64
    /// Assign rows to folds at random (with `seed`); off, folds are cut in row order as in scikit-learn's RandomizedSearchCV.
    public var shuffleFolds: Bool
    /// Stratified folds; nil stratifies exactly for classifiers.
    public var stratified: Bool?

    /// A search over `iterations` sets drawn from `distributions`.
    public init(distributions: [String: ParameterDistribution], iterations: Int = 10, folds: Int = 5,
                scoring: Scoring? = nil, seed: UInt64 = 0, stratified: Bool? = nil, shuffleFolds: Bool = false) {
        self.distributions = distributions
        self.iterations = iterations
        self.folds = folds
        self.scoring = scoring
        self.seed = seed
        self.stratified = stratified
        self.shuffleFolds = shuffleFolds
    }

    /// The `iterations` candidate sets, drawn with the seeded generator (names in sorted order).
    /// - Throws: `EstimatorError.invalidParameter` for `iterations` below 1 or an unusable distribution.
    public func parameterSets() throws -> [ParameterSet] {
        guard iterations >= 1 else {
            throw EstimatorError.invalidParameter(name: "iterations", value: "\(iterations)", expected: "at least 1")
        }
        let names = distributions.keys.sorted()
        for name in names { try distributions[name]!.validate(name: name) }
        var generator = RandomGenerator(seed: seed)
        return (0..<iterations).map { _ in
            var set: ParameterSet = [:]
            for name in names { set[name] = distributions[name]!.sample(using: &generator) }
            return set
        }
    }

    /// Cross-validates the model `make` builds from each drawn set and refits the best on all of (X, y).
    public func run<E: Estimator>(_ x: Tensor, _ y: Tensor,
                                  make: (ParameterSet) throws -> E) throws -> SearchResult<E> {
        try SearchResult.evaluate(try parameterSets(), x, y, folds: folds, stratified: stratified,
                                  scoring: scoring, shuffle: shuffleFolds, seed: seed, make: make)
    }
}
