// Elastic net: least squares with a mix of L1 and L2 penalties (scikit-learn's objective),
//     min_{w,b} (1/(2n))‖y − Xw − b·1‖² + α·ρ‖w‖₁ + (α(1 − ρ)/2)‖w‖²,   ρ = l1Ratio ∈ [0, 1].
// ρ = 1 is the lasso (sparse weights), ρ = 0 a ridge penalty (α·n in Ridge's
// scaling); in between it keeps the lasso's zeros while sharing weight among
// correlated features instead of picking one. Solved by cyclic coordinate
// descent with soft-thresholding (CoordinateDescent.swift); the intercept is
// fitted by centring and never penalised.

/// Least squares with the elastic-net penalty αρ‖w‖₁ + α(1−ρ)/2·‖w‖² (scikit-learn's `ElasticNet`).
public struct ElasticNet: Regressor {
    /// The overall penalty strength α ≥ 0.
    public var alpha: Float
    /// ρ ∈ [0, 1]: the share of the L1 penalty (1 = lasso, 0 = ridge).
    public var l1Ratio: Float
    /// Whether to learn an (unpenalised) intercept.
    public var fitIntercept: Bool
    /// The budget of coordinate-descent sweeps.
    public var maxIterations: Int
    /// The stopping tolerance: on max|Δw| / max|w| per sweep, then on the duality gap / ‖y‖².
    public var tolerance: Double
    /// The weights w (empty before `fit`); many are exactly 0 when the L1 penalty is strong.
    public private(set) var coefficients: [Float] = []
    /// The intercept b.
    public private(set) var intercept: Float = 0
    /// Sweeps run, convergence, the objective after each sweep, and the final relative duality gap.
    public private(set) var report = SolverReport(solver: "unfitted", iterations: 0, converged: false, tolerance: 0,
                                                  criterion: "", finalValue: .nan, lossHistory: [])
    /// True once `fit` has succeeded.
    public private(set) var isFitted = false

    /// An elastic net with penalty `alpha`, mixing ratio `l1Ratio`, and coordinate-descent settings.
    public init(alpha: Float = 1, l1Ratio: Float = 0.5, fitIntercept: Bool = true,
                maxIterations: Int = 1000, tolerance: Double = 1e-4) {
        self.alpha = alpha
        self.l1Ratio = l1Ratio
        self.fitIntercept = fitIntercept
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    /// The name of this model in messages and reports.
    var modelName: String { l1Ratio == 1 ? "Lasso" : "ElasticNet" }

    /// Fits by coordinate descent from w = 0.
    /// - Throws: `EstimatorError.invalidParameter` for α < 0, ρ outside [0, 1], maxIterations < 1 or
    ///   tolerance < 0; `.nonFiniteValue` for NaN or infinite data.
    public mutating func fit(_ x: Tensor, _ y: Tensor) throws {
        try validate()
        try FitInput.check(x, y)
        let problem = CoordinateDescentProblem(x, y.reshaped([y.count]), fitIntercept: fitIntercept)
        fit(problem, from: [Float](repeating: 0, count: problem.columns))
    }

    /// Fits on prepared data, starting from `start` (a warm start on a regularisation path).
    mutating func fit(_ problem: CoordinateDescentProblem, from start: [Float]) {
        let (w, solverReport) = problem.solve(l1: alpha * l1Ratio, l2: alpha * (1 - l1Ratio), from: start,
                                              maxIterations: maxIterations, tolerance: tolerance,
                                              solverName: "coordinate-descent")
        coefficients = w
        intercept = problem.centring.intercept(for: w)
        report = solverReport
        isFitted = true
    }

    /// Throws `invalidParameter` for settings that cannot run.
    func validate() throws {
        guard alpha >= 0, alpha.isFinite else {
            throw EstimatorError.invalidParameter(name: "alpha", value: "\(alpha)", expected: "a finite value ≥ 0")
        }
        guard l1Ratio >= 0, l1Ratio <= 1 else {
            throw EstimatorError.invalidParameter(name: "l1Ratio", value: "\(l1Ratio)", expected: "a value in [0, 1]")
        }
        guard maxIterations >= 1 else {
            throw EstimatorError.invalidParameter(name: "maxIterations", value: "\(maxIterations)", expected: "at least 1")
        }
        guard tolerance >= 0 else {
            throw EstimatorError.invalidParameter(name: "tolerance", value: "\(tolerance)", expected: "a value ≥ 0")
        }
    }

    /// ŷ = Xw + b for X [m, d].
    public func predict(_ x: Tensor) -> Tensor {
        AffineMap.requireFitted(isFitted, model: modelName)
        return AffineMap.apply(x, coefficients: coefficients, intercept: intercept, model: modelName)
    }
}
