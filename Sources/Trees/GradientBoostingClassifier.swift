// GradientBoostingClassifier: histogram gradient boosting for class labels.
//
// Two classes: one score F per row, P(classes[1] | x) = σ(F), binary log-loss,
// starting at F₀ = log(p̄/(1 − p̄)) with p̄ the rate of classes[1] (LightGBM's
// boost_from_average). More classes: one score per class, P = softmax(F),
// one tree per class per round, starting at F₀ₖ = log p̄ₖ. The boosting itself
// is GradientBoosting.swift; defaults are LightGBM's (31 leaves, 20 rows per
// leaf, hessian ≥ 1e-3, η = 0.1, 100 rounds, 255 bins, λ = 0).
import Foundation
import Tensor

/// Gradient-boosted trees for classification, LightGBM style (binned features, leaf-wise trees).
public struct GradientBoostingClassifier: Classifier {
    /// The hyperparameters.
    public var parameters: BoostingParameters
    /// The distinct labels seen in `fit`, increasing.
    public private(set) var classes: [Float] = []
    private var ensemble: BoostedEnsemble?

    /// A classifier with LightGBM's defaults; `earlyStoppingRounds` turns on early stopping on a
    /// held-out `validationFraction` of the fit data (or the set given to `fit(_:_:validation:)`).
    public init(rounds: Int = 100, learningRate: Float = 0.1, maxLeaves: Int = 31, maxDepth: Int? = nil,
                maxBins: Int = 255, minSamplesLeaf: Int = 20, minChildWeight: Float = 1e-3, l2: Float = 0,
                rowSubsample: Float = 1, columnSubsample: Float = 1, earlyStoppingRounds: Int? = nil,
                validationFraction: Float = 0.1, seed: UInt64 = 0) {
        parameters = BoostingParameters(rounds: rounds, learningRate: learningRate, maxLeaves: maxLeaves, maxDepth: maxDepth,
                                        maxBins: maxBins, minSamplesLeaf: minSamplesLeaf, minChildWeight: minChildWeight,
                                        l2: l2, rowSubsample: rowSubsample, columnSubsample: columnSubsample,
                                        earlyStoppingRounds: earlyStoppingRounds, validationFraction: validationFraction,
                                        seed: seed)
    }

    /// Fits on X [n, d] (NaN means missing) and labels y [n].
    public mutating func fit(_ x: Tensor, _ y: Tensor) throws {
        try fit(x, y, validation: nil)
    }

    /// Fits on X [n, d] and labels y [n], early stopping on the given validation rows (labels among y's).
    public mutating func fit(_ x: Tensor, _ y: Tensor, validation: (x: Tensor, y: Tensor)?) throws {
        try BoostingInput.check(x, y)
        let (classes, indices) = try FitInput.encodeLabels(y)
        var validationTargets: [Float]?
        if let validation {
            try BoostingInput.check(validation.x, validation.y)
            let position = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, Float($0)) })
            validationTargets = try validation.y.scalars.enumerated().map { i, label in
                guard let index = position[label] else {
                    throw EstimatorError.invalidValue(row: i, column: nil, value: label, expected: "one of the classes \(classes)")
                }
                return index
            }
        }
        ensemble = try BoostedEnsemble(fitting: x, targets: indices.map { Float($0) },
                                       loss: classes.count == 2 ? .logLoss : .softmax(classes: classes.count),
                                       parameters: parameters,
                                       validation: validation.map { ($0.x, validationTargets!) })
        self.classes = classes
    }

    /// The probability of each class for each row of X [m, d], as [m, classes.count].
    public func predictProba(_ x: Tensor) -> Tensor {
        guard let ensemble else { preconditionFailure("GradientBoostingClassifier.predictProba: call fit first") }
        let m = x.shape[0], k = classes.count
        let scores = ensemble.rawScores(x)
        var p = [Float](repeating: 0, count: m * k)
        for i in 0..<m {
            if k == 2 {
                let q = 1 / (1 + expf(-scores[i]))
                p[2 * i] = 1 - q; p[2 * i + 1] = q
            } else {
                var largest = -Float.infinity
                for c in 0..<k { largest = Swift.max(largest, scores[c * m + i]) }
                var total: Float = 0
                for c in 0..<k { p[i * k + c] = expf(scores[c * m + i] - largest); total += p[i * k + c] }
                for c in 0..<k { p[i * k + c] /= total }
            }
        }
        return Tensor(shape: [m, k], scalars: p)
    }

    /// The most probable class of each row of X [m, d].
    public func predict(_ x: Tensor) -> Tensor {
        let p = predictProba(x), k = classes.count
        let scalars = p.scalars
        return Tensor(shape: [x.shape[0]], scalars: (0..<x.shape[0]).map { i in
            var best = 0
            for c in 1..<k where scalars[i * k + c] > scalars[i * k + best] { best = c }
            return classes[best]
        })
    }

    /// Rounds run in the last fit (fewer than `rounds` when early stopping ended it).
    public var roundsTrained: Int { ensemble?.roundsTrained ?? 0 }
    /// The round (counting from 1) with the lowest validation loss; the model keeps rounds 1 … bestRound. Nil without early stopping.
    public var bestRound: Int? { ensemble?.bestRound }
    /// The mean training log-loss after each round.
    public var trainLoss: [Double] { ensemble?.trainLoss ?? [] }
    /// The mean validation log-loss after each round (empty without early stopping).
    public var validationLoss: [Double] { ensemble?.validationLoss ?? [] }
    /// The trees kept, by round and then by class (one per round for two classes).
    public var trees: [[BoostedTree]] { ensemble?.trees ?? [] }
    /// The bin edges learned in fit.
    public var binning: FeatureBinning? { ensemble?.binning }

    /// Per feature, the total gain of the splits on it (`.gain`) or their count (`.split`), as LightGBM's feature_importance.
    public func featureImportances(kind: ImportanceKind = .gain) -> [Float] {
        guard let ensemble else { preconditionFailure("GradientBoostingClassifier.featureImportances: call fit first") }
        return ensemble.importances(kind: kind)
    }
}
