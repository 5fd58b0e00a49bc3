// SyntheticRegression: a linear regression problem whose true answer is known
// (scikit-learn's make_regression, simplified).
//
//     X ~ N(0, 1)^{n×d},   y = X·w + b + σ·ε,   ε ~ N(0, 1)
// Only the first `informative` coefficients of w are non-zero, drawn from
// N(0, scale²); the others are exactly 0. A fitted model should recover w up
// to the noise, and a Lasso should set the zero coefficients to zero: the
// difference between what the data hold and what each method finds is the
// lesson of lab-linear.

/// A seeded regression set y = X·w + b + noise with known coefficients.
public struct SyntheticRegression: Sendable {
    /// The features, [count, features].
    public let x: Tensor
    /// The targets, [count].
    public let y: Tensor
    /// The true coefficients w: the first `informative` are non-zero, the rest 0.
    public let coefficients: [Float]
    /// The true intercept b.
    public let intercept: Float

    /// Draws `count` rows of `features` columns, of which `informative` carry signal with
    /// coefficients ~ N(0, coefficientScale²), plus Gaussian noise of standard deviation `noise`.
    public init(count: Int, features: Int, informative: Int? = nil, noise: Float = 0.1,
                intercept: Float = 0, coefficientScale: Float = 1, seed: UInt64 = 0) {
        let informative = informative ?? features
        precondition(count >= 1 && features >= 1, "SyntheticRegression: count and features must be ≥ 1, got \(count), \(features)")
        precondition((0...features).contains(informative),
                     "SyntheticRegression: informative must be in 0…\(features), got \(informative)")
        precondition(noise >= 0 && noise.isFinite, "SyntheticRegression: noise must be a finite value ≥ 0, got \(noise)")
        var generator = RandomGenerator(seed: seed)
        let weights = (0..<features).map { j in j < informative ? generator.normal(mean: 0, std: coefficientScale) : 0 }
        var features32 = [Float](repeating: 0, count: count * features)
        var targets = [Float](repeating: 0, count: count)
        for i in 0..<count {
            var value = intercept
            for j in 0..<features {
                let cell = generator.normal(mean: 0, std: 1)
                features32[i * features + j] = cell
                value += cell * weights[j]
            }
            targets[i] = value + generator.normal(mean: 0, std: noise)
        }
        x = Tensor(shape: [count, features], scalars: features32)
        y = Tensor(shape: [count], scalars: targets)
        coefficients = weights
        self.intercept = intercept
    }
}
