// Ridge regression: least squares with an L2 penalty on the weights,
//     min_{w,b}  ‖y − Xw − b·1‖² + α‖w‖²        (scikit-learn's objective)
// The intercept is not penalised, so it is fitted by centring
// (InterceptByCentring.swift); setting the gradient in w to zero gives
//     −2X̃ᵀ(ỹ − X̃w) + 2αw = 0   ⇔   (X̃ᵀX̃ + αI)·w = X̃ᵀỹ,
// solved by Cholesky (NormalEquations.swift). For α > 0 the matrix is positive
// definite even with collinear features (vᵀ(X̃ᵀX̃ + αI)v ≥ α‖v‖² > 0), which is
// ridge's first use; its second is shrinkage: in the eigenbasis of X̃ᵀX̃ each
// component of the least-squares solution is scaled by λᵢ/(λᵢ + α), so ‖w‖
// falls as α grows, towards 0.

/// Least squares with an L2 penalty α‖w‖² (scikit-learn's `Ridge`), solved in closed form.
public struct Ridge: Regressor {
    /// The penalty strength α ≥ 0 (0 is ordinary least squares).
    public var alpha: Float
    /// Whether to learn an (unpenalised) intercept.
    public var fitIntercept: Bool
    /// The weights w (empty before `fit`).
    public private(set) var coefficients: [Float] = []
    /// The intercept b.
    public private(set) var intercept: Float = 0
    /// A closed-form report (one iteration).
    public private(set) var report = SolverReport(solver: "unfitted", iterations: 0, converged: false, tolerance: 0,
                                                  criterion: "", finalValue: .nan, lossHistory: [])
    /// True once `fit` has succeeded.
    public private(set) var isFitted = false

    /// Ridge regression with penalty `alpha`.
    public init(alpha: Float = 1, fitIntercept: Bool = true) {
        self.alpha = alpha
        self.fitIntercept = fitIntercept
    }

    /// Solves (X̃ᵀX̃ + αI)w = X̃ᵀỹ for X [n, d], y [n].
    /// - Throws: `EstimatorError.invalidParameter` for α < 0, `.nonFiniteValue` for NaN data,
    ///   `.singularSystem` when α = 0 and the features are collinear.
    public mutating func fit(_ x: Tensor, _ y: Tensor) throws {
        guard alpha >= 0, alpha.isFinite else {
            throw EstimatorError.invalidParameter(name: "alpha", value: "\(alpha)", expected: "a finite value ≥ 0")
        }
        // The data checks (shapes, NaN) run inside the Gram pass (see NormalEquations.fit).
        let (w, b) = try NormalEquations.fit(x, y, fitIntercept: fitIntercept, ridge: alpha,
                                             method: "Ridge(alpha: \(alpha))")
        coefficients = w
        intercept = b
        report = .closedForm("cholesky")
        isFitted = true
    }

    /// ŷ = Xw + b for X [m, d].
    public func predict(_ x: Tensor) -> Tensor {
        AffineMap.requireFitted(isFitted, model: "Ridge")
        return AffineMap.apply(x, coefficients: coefficients, intercept: intercept, model: "Ridge")
    }
}
