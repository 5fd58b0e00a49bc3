// Gaussian Naive Bayes: classes with Gaussian features, independent given the class.
//
// Bayes' rule with the "naive" assumption that features are independent within a class:
//     P(c | x) ∝ P(c) Πⱼ N(xⱼ; θ_cj, σ²_cj)
// Fitting is counting: the prior P(c) = n_c / n, and per class c and feature j
// the mean θ_cj and the (biased, 1/n_c) variance σ²_cj of the class's rows.
// Like scikit-learn, every variance gets ε = varSmoothing · maxⱼ Var(X[:, j])
// added, so a feature that is constant within a class does not divide by zero.
//
// Prediction works in logs, where the product becomes a sum:
//     J_c(x) = log P(c) − ½ Σⱼ [ log(2π σ²_cj) + (xⱼ − θ_cj)² / σ²_cj ]
//     P(c | x) = e^{J_c} / Σ_b e^{J_b} = exp(J_c − logsumexp(J))
// with logsumexp(J) = m + log Σ_b e^{J_b − m}, m = max_b J_b, so no term overflows
// or underflows to 0 / 0. Sums run in Double (the J_c of distant points are large).
import Foundation
import Tensor

/// A Naive Bayes classifier with a Gaussian per class and feature.
public struct GaussianNB: Classifier {
    /// The share of the largest feature variance added to every variance.
    public var varSmoothing: Double

    /// The distinct labels seen in `fit`, increasing.
    public private(set) var classes: [Float] = []
    /// P(c) per class, from the class frequencies.
    public private(set) var classPriors: [Double] = []
    /// θ_cj: per class (row) and feature (column) the mean, [k, d].
    public private(set) var means = Tensor(shape: [0, 0], scalars: [])
    /// σ²_cj + ε: per class and feature the variance, smoothing included, [k, d].
    public private(set) var variances = Tensor(shape: [0, 0], scalars: [])
    /// ε = varSmoothing · the largest feature variance of the training X.
    public private(set) var epsilon: Double = 0

    /// A model that adds `varSmoothing` × the largest feature variance to every variance.
    public init(varSmoothing: Double = 1e-9) {
        self.varSmoothing = varSmoothing
    }

    /// Learns priors, means and variances from X [n, d] and labels y [n].
    public mutating func fit(_ x: Tensor, _ y: Tensor) throws {
        guard varSmoothing.isFinite && varSmoothing >= 0 else {
            throw EstimatorError.invalidParameter(name: "varSmoothing", value: "\(varSmoothing)", expected: "a finite value ≥ 0")
        }
        let (n, d) = try FitInput.check(x, y)
        let (labels, indices) = try FitInput.encodeLabels(y)
        let k = labels.count
        var count = [Double](repeating: 0, count: k)
        var sum = [Double](repeating: 0, count: k * d)
        var squares = [Double](repeating: 0, count: k * d)
        var columnSum = [Double](repeating: 0, count: d), columnSquares = [Double](repeating: 0, count: d)
        x.withUnsafeBufferPointer { xp in
            for i in 0..<n {
                let c = indices[i]
                count[c] += 1
                for j in 0..<d {
                    let v = Double(xp[i * d + j])
                    sum[c * d + j] += v
                    columnSum[j] += v
                }
            }
            // Second pass around the means: Σ(x − θ)² loses nothing to cancellation.
            for i in 0..<n {
                let c = indices[i]
                for j in 0..<d {
                    let v = Double(xp[i * d + j])
                    let e = v - sum[c * d + j] / count[c]
                    squares[c * d + j] += e * e
                    let f = v - columnSum[j] / Double(n)
                    columnSquares[j] += f * f
                }
            }
        }
        epsilon = varSmoothing * (columnSquares.max() ?? 0) / Double(n)
        classes = labels
        classPriors = count.map { $0 / Double(n) }
        means = Tensor(shape: [k, d], scalars: (0..<k * d).map { Float(sum[$0] / count[$0 / d]) })
        variances = Tensor(shape: [k, d], scalars: (0..<k * d).map { Float(squares[$0] / count[$0 / d] + epsilon) })
    }

    /// J_c(x) = log P(c) + log P(x | c) for each row of X and class, [m, k] (in Double).
    public func jointLogLikelihood(_ x: Tensor) -> [[Double]] {
        precondition(!classes.isEmpty, "GaussianNB: the model is not fitted")
        let (k, d) = (classes.count, means.shape[1])
        precondition(x.rank == 2 && x.shape[1] == d, "GaussianNB: X \(x.shape) must have \(d) columns")
        let theta = means.scalars.map(Double.init), sigma2 = variances.scalars.map(Double.init)
        // The part of J_c that does not depend on x: log P(c) − ½ Σⱼ log(2π σ²_cj).
        let constant = (0..<k).map { c in
            log(classPriors[c]) - 0.5 * (0..<d).reduce(0.0) { $0 + log(2 * Double.pi * sigma2[c * d + $1]) }
        }
        return x.withUnsafeBufferPointer { xp in
            (0..<x.shape[0]).map { i in
                (0..<k).map { c in
                    var quadratic = 0.0
                    for j in 0..<d {
                        let e = Double(xp[i * d + j]) - theta[c * d + j]
                        quadratic += e * e / sigma2[c * d + j]
                    }
                    return constant[c] - 0.5 * quadratic
                }
            }
        }
    }

    /// P(c | x) for each row of X [m, d], as [m, k]; rows sum to 1.
    public func predictProba(_ x: Tensor) -> Tensor {
        let joint = jointLogLikelihood(x)
        return Tensor(shape: [joint.count, classes.count], scalars: joint.flatMap(NaiveBayesMath.softmax))
    }

    /// The most probable class of each row of X [m, d], as [m].
    public func predict(_ x: Tensor) -> Tensor {
        let joint = jointLogLikelihood(x)
        return Tensor(shape: [joint.count], scalars: joint.map { classes[NaiveBayesMath.argmax($0)] })
    }
}

/// The log-space helpers both Naive Bayes models share.
enum NaiveBayesMath {
    /// exp(J − logsumexp(J)) as Floats: P(c | x) from the joint log-likelihoods J.
    static func softmax(_ joint: [Double]) -> [Float] {
        let top = joint.max() ?? 0
        let logSum = top + log(joint.reduce(0.0) { $0 + exp($1 - top) })
        return joint.map { Float(exp($0 - logSum)) }
    }

    /// The index of the largest value (the first one on ties).
    static func argmax(_ values: [Double]) -> Int {
        var best = 0
        for a in values.indices where values[a] > values[best] { best = a }
        return best
    }
}
