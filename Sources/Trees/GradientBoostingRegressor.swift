// GradientBoostingRegressor: histogram gradient boosting for real values.
//
// Squared error ℓ = ½(F − y)², so g = F − y and h = 1: each tree is fitted to
// the residuals, a leaf's value is −G/(H + λ)·η = η·(mean residual of its rows)
// when λ = 0, and the score starts at the mean of y. The boosting itself is
// GradientBoosting.swift; defaults are LightGBM's.
import Tensor

/// Gradient-boosted trees for regression, LightGBM style (binned features, leaf-wise trees).
public struct GradientBoostingRegressor: Regressor {
    /// The hyperparameters.
    public var parameters: BoostingParameters
    private var ensemble: BoostedEnsemble?

    /// A regressor with LightGBM's defaults; `earlyStoppingRounds` turns on early stopping on a
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

    /// Fits on X [n, d] (NaN means missing) and targets y [n].
    public mutating func fit(_ x: Tensor, _ y: Tensor) throws {
        try fit(x, y, validation: nil)
    }

    /// Fits on X [n, d] and y [n], early stopping on the given validation rows.
    public mutating func fit(_ x: Tensor, _ y: Tensor, validation: (x: Tensor, y: Tensor)?) throws {
        try BoostingInput.check(x, y)
        if let validation { try BoostingInput.check(validation.x, validation.y) }
        ensemble = try BoostedEnsemble(fitting: x, targets: y.scalars, loss: .squaredError, parameters: parameters,
                                       validation: validation.map { ($0.x, $0.y.scalars) })
    }

    /// The prediction F(x) for each row of X [m, d].
    public func predict(_ x: Tensor) -> Tensor {
        guard let ensemble else { preconditionFailure("GradientBoostingRegressor.predict: call fit first") }
        return Tensor(shape: [x.shape[0]], scalars: ensemble.rawScores(x))
    }

    /// Rounds run in the last fit (fewer than `rounds` when early stopping ended it).
    public var roundsTrained: Int { ensemble?.roundsTrained ?? 0 }
    /// The round (counting from 1) with the lowest validation loss; the model keeps rounds 1 … bestRound. Nil without early stopping.
    public var bestRound: Int? { ensemble?.bestRound }
    /// The mean training loss ½(F − y)² after each round.
    public var trainLoss: [Double] { ensemble?.trainLoss ?? [] }
    /// The mean validation loss ½(F − y)² after each round (empty without early stopping).
    public var validationLoss: [Double] { ensemble?.validationLoss ?? [] }
    /// The trees kept, one per round.
    public var trees: [[BoostedTree]] { ensemble?.trees ?? [] }
    /// The bin edges learned in fit.
    public var binning: FeatureBinning? { ensemble?.binning }

    /// Per feature, the total gain of the splits on it (`.gain`) or their count (`.split`), as LightGBM's feature_importance.
    public func featureImportances(kind: ImportanceKind = .gain) -> [Float] {
        guard let ensemble else { preconditionFailure("GradientBoostingRegressor.featureImportances: call fit first") }
        return ensemble.importances(kind: kind)
    }
}
