// Polynomial features: every product of input features up to a given degree,
// so that a linear model in the new features is a polynomial in the old ones.
//
// For inputs (x₀, …, x_{d−1}) and degree k the outputs are the monomials
//     x_{j₁}·x_{j₂}⋯x_{j_m}   for m = 1, …, k and j₁ ≤ j₂ ≤ … ≤ j_m
// (with j₁ < j₂ < … when only interactions are wanted, which drops the powers),
// preceded by the constant 1 when `includeBias`. The order is scikit-learn's:
// by degree, and within a degree the index tuples in lexicographic order. For
// d = 2, k = 2:  [1,] x₀, x₁, x₀², x₀x₁, x₁².
// There are C(d + k, k) monomials of degree ≤ k (with the 1), so the width grows
// fast: 20 features at degree 3 give 1 771 columns.

/// Expands X [n, d] into all monomials of its columns up to `degree` (scikit-learn's `PolynomialFeatures`).
public struct PolynomialFeatures: Transformer {
    /// The highest total degree of a monomial (at least 1).
    public var degree: Int
    /// Whether the first output column is the constant 1.
    public var includeBias: Bool
    /// Whether to keep only products of distinct features (x₀x₁, not x₀²).
    public var interactionOnly: Bool
    /// Each output column's factors: indices of input columns (empty for the bias), set by `fit`.
    public private(set) var powers: [[Int]] = []
    /// The input feature count seen in `fit`.
    public private(set) var inputFeatureCount = 0
    /// True once `fit` has succeeded.
    public private(set) var isFitted = false

    /// Monomials up to `degree`, with a leading 1 when `includeBias`, products of distinct features only when `interactionOnly`.
    public init(degree: Int = 2, includeBias: Bool = false, interactionOnly: Bool = false) {
        self.degree = degree
        self.includeBias = includeBias
        self.interactionOnly = interactionOnly
    }

    /// The number of output columns (after `fit`).
    public var outputFeatureCount: Int { powers.count }

    /// Records the input width and lists the monomials.
    /// - Throws: `EstimatorError.invalidParameter` for degree < 1; `.nonFiniteValue` for NaN input.
    public mutating func fit(_ x: Tensor) throws {
        guard degree >= 1 else {
            throw EstimatorError.invalidParameter(name: "degree", value: "\(degree)", expected: "at least 1")
        }
        let (_, d) = try FitInput.check(x)
        inputFeatureCount = d
        powers = Self.monomials(features: d, degree: degree, includeBias: includeBias, interactionOnly: interactionOnly)
        isFitted = true
    }

    /// The index tuples of every monomial, in scikit-learn's order.
    static func monomials(features d: Int, degree: Int, includeBias: Bool, interactionOnly: Bool) -> [[Int]] {
        var result: [[Int]] = includeBias ? [[]] : []
        var current: [[Int]] = [[]]                                // the tuples of the previous degree
        for _ in 1...degree {
            var next: [[Int]] = []
            for tuple in current {
                // Extend each tuple with an index ≥ its last (> its last for interactions only).
                let first = tuple.last.map { interactionOnly ? $0 + 1 : $0 } ?? 0
                for j in Swift.stride(from: first, to: d, by: 1) { next.append(tuple + [j]) }
            }
            result += next
            current = next
        }
        return result
    }

    /// The monomial of each output column of X [m, d], as [m, outputFeatureCount].
    public func transform(_ x: Tensor) -> Tensor {
        precondition(isFitted, "PolynomialFeatures.transform: call fit before transform")
        precondition(x.rank == 2 && x.shape[1] == inputFeatureCount,
                     "PolynomialFeatures.transform: X \(x.shape) must be [m, \(inputFeatureCount)], the width seen in fit")
        let (m, d) = (x.shape[0], inputFeatureCount)
        let width = powers.count
        var out = Tensor(uninitializedShape: [m, width])
        x.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                for i in 0..<m {
                    let row = xp.baseAddress! + i * d, target = op.baseAddress! + i * width
                    for (column, factors) in powers.enumerated() {
                        var product: Float = 1
                        for j in factors { product *= row[j] }
                        target[column] = product
                    }
                }
            }
        }
        return out
    }

    /// The name of each output column, built from the input names: "1", "a", "a^2", "a b" (scikit-learn's style).
    public func featureNames(input: [String]) -> [String] {
        precondition(isFitted, "PolynomialFeatures.featureNames: call fit first")
        precondition(input.count == inputFeatureCount,
                     "PolynomialFeatures.featureNames: \(input.count) names for \(inputFeatureCount) features")
        return powers.map { factors in
            if factors.isEmpty { return "1" }
            // Runs of one index become a power: [0, 0, 1] → "a^2 b".
            var parts: [String] = []
            var k = 0
            while k < factors.count {
                var run = 1
                while k + run < factors.count && factors[k + run] == factors[k] { run += 1 }
                parts.append(run == 1 ? input[factors[k]] : "\(input[factors[k]])^\(run)")
                k += run
            }
            return parts.joined(separator: " ")
        }
    }

    /// Output names from the default input names x0, x1, …
    public func featureNames() -> [String] {
        featureNames(input: (0..<inputFeatureCount).map { "x\($0)" })
    }
}
