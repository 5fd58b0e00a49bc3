// Lasso: least squares with an L1 penalty (scikit-learn's objective),
//     min_{w,b} (1/(2n))‖y − Xw − b·1‖² + α‖w‖₁,
// the elastic net with l1Ratio = 1, and fitted by the same coordinate descent
// (CoordinateDescent.swift). The L1 penalty's kink at 0 makes soft-thresholding
// set the weight of every feature whose correlation with the residual stays
// below α to exactly zero: the lasso selects features. Above
// α_max = max_j |x̃_jᵀỹ| / n every weight is zero.

/// Least squares with an L1 penalty α‖w‖₁ (scikit-learn's `Lasso`): sparse weights.
public struct Lasso: Regressor {
    /// The elastic net with l1Ratio 1 that does the work.
    private var model: ElasticNet

    /// The penalty strength α ≥ 0.
    public var alpha: Float {
        get { model.alpha }
        set { model.alpha = newValue }
    }
    /// Whether to learn an (unpenalised) intercept.
    public var fitIntercept: Bool {
        get { model.fitIntercept }
        set { model.fitIntercept = newValue }
    }
    /// The budget of coordinate-descent sweeps.
    public var maxIterations: Int {
        get { model.maxIterations }
        set { model.maxIterations = newValue }
    }
    /// The stopping tolerance: on max|Δw| / max|w| per sweep, then on the duality gap / ‖y‖².
    public var tolerance: Double {
        get { model.tolerance }
        set { model.tolerance = newValue }
    }
    /// The weights w (empty before `fit`); irrelevant features get exactly 0.
    public var coefficients: [Float] { model.coefficients }
    /// The intercept b.
    public var intercept: Float { model.intercept }
    /// Sweeps run, convergence, the objective after each sweep, and the final relative duality gap.
    public var report: SolverReport { model.report }
    /// True once `fit` has succeeded.
    public var isFitted: Bool { model.isFitted }

    /// A lasso with penalty `alpha` and coordinate-descent settings.
    public init(alpha: Float = 1, fitIntercept: Bool = true, maxIterations: Int = 1000, tolerance: Double = 1e-4) {
        model = ElasticNet(alpha: alpha, l1Ratio: 1, fitIntercept: fitIntercept,
                           maxIterations: maxIterations, tolerance: tolerance)
    }

    /// Wraps a fitted elastic net with l1Ratio 1 (used by the regularisation path).
    init(fitted model: ElasticNet) {
        precondition(model.l1Ratio == 1, "Lasso(fitted:): l1Ratio must be 1, got \(model.l1Ratio)")
        self.model = model
    }

    /// Fits by coordinate descent from w = 0; throws as `ElasticNet.fit` does.
    public mutating func fit(_ x: Tensor, _ y: Tensor) throws { try model.fit(x, y) }

    /// ŷ = Xw + b for X [m, d].
    public func predict(_ x: Tensor) -> Tensor { model.predict(x) }
}
