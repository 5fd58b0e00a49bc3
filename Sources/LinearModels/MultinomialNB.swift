// Multinomial Naive Bayes: features are counts (words in a document, events in
// a window), drawn from one multinomial distribution per class.
//
//     P(c | x) ∝ P(c) Πⱼ θ_cj^{xⱼ}
// with θ_cj the probability that one count of class c falls on feature j.
// Fitting counts: N_cj = Σ_{i: yᵢ = c} x_ij, N_c = Σⱼ N_cj, and with additive
// (Laplace / Lidstone) smoothing α > 0 so that an unseen feature is not impossible,
//     θ_cj = (N_cj + α) / (N_c + α d),        P(c) = n_c / n.
// Prediction in logs is one matrix product:
//     J = X · (log θ)ᵀ + log P(c)                [m, k]
//     P(c | x) = exp(J_c − logsumexp(J))          (see GaussianNB.swift)
// Counts must be ≥ 0; a negative value is an error in the data (naming the cell).
import Foundation
import Tensor

/// A Naive Bayes classifier for count features (multinomial event model, additive smoothing).
public struct MultinomialNB: Classifier {
    /// The smoothing α added to every count (1 = Laplace).
    public var alpha: Float

    /// The distinct labels seen in `fit`, increasing.
    public private(set) var classes: [Float] = []
    /// log P(c) per class.
    public private(set) var classLogPriors: [Double] = []
    /// log θ_cj per class (row) and feature (column), [k, d].
    public private(set) var featureLogProbabilities = Tensor(shape: [0, 0], scalars: [])
    /// N_cj: the summed counts per class and feature, [k, d].
    public private(set) var featureCounts = Tensor(shape: [0, 0], scalars: [])

    /// A model that adds `alpha` to every count.
    public init(alpha: Float = 1) {
        self.alpha = alpha
    }

    /// Learns priors and smoothed feature probabilities from counts X [n, d] and labels y [n].
    public mutating func fit(_ x: Tensor, _ y: Tensor) throws {
        guard alpha.isFinite && alpha > 0 else {
            throw EstimatorError.invalidParameter(name: "alpha", value: "\(alpha)", expected: "a finite value > 0")
        }
        let (n, d) = try FitInput.check(x, y)
        if let bad = x.withUnsafeBufferPointer({ $0.firstIndex { $0 < 0 } }) {
            throw EstimatorError.invalidValue(row: bad / d, column: bad % d, value: x.scalars[bad],
                                              expected: "a count ≥ 0 (multinomial Naive Bayes models counts)")
        }
        let (labels, indices) = try FitInput.encodeLabels(y)
        let k = labels.count
        var counts = [Double](repeating: 0, count: k * d)
        var members = [Double](repeating: 0, count: k)
        x.withUnsafeBufferPointer { xp in
            for i in 0..<n {
                let c = indices[i]
                members[c] += 1
                for j in 0..<d { counts[c * d + j] += Double(xp[i * d + j]) }
            }
        }
        var logTheta = [Float](repeating: 0, count: k * d)
        for c in 0..<k {
            let total = (0..<d).reduce(0.0) { $0 + counts[c * d + $1] } + Double(alpha) * Double(d)
            for j in 0..<d { logTheta[c * d + j] = Float(log((counts[c * d + j] + Double(alpha)) / total)) }
        }
        classes = labels
        classLogPriors = members.map { log($0 / Double(n)) }
        featureCounts = Tensor(shape: [k, d], scalars: counts.map { Float($0) })
        featureLogProbabilities = Tensor(shape: [k, d], scalars: logTheta)
    }

    /// J = X (log θ)ᵀ + log P(c) for each row of X and class, [m, k] (in Double).
    public func jointLogLikelihood(_ x: Tensor) -> [[Double]] {
        precondition(!classes.isEmpty, "MultinomialNB: the model is not fitted")
        let (k, d) = (classes.count, featureLogProbabilities.shape[1])
        precondition(x.rank == 2 && x.shape[1] == d, "MultinomialNB: X \(x.shape) must have \(d) columns")
        let scores = Tensor.matmul(x, featureLogProbabilities, transposeB: true).scalars    // [m, k]
        return (0..<x.shape[0]).map { i in (0..<k).map { Double(scores[i * k + $0]) + classLogPriors[$0] } }
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
