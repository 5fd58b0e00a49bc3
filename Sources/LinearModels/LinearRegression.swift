// Ordinary least squares: the affine model ŷ = Xw + b that minimises the
// squared error Σᵢ (yᵢ − xᵢᵀw − b)², by one of three solvers:
//   .cholesky          the normal equations (XᵀX)w = Xᵀy (NormalEquations.swift):
//                      fastest, nd² flops; fails on collinear features
//   .qr                X = QR, then Rw = Qᵀy (QRLeastSquares.swift): 2nd² flops,
//                      twice the digits on ill-conditioned data, and the
//                      minimum-norm solution when features are collinear
//   .gradientDescent   batch, stochastic or mini-batch steps against the
//                      gradient (2/n)Xᵀ(Xw + b − y) (GradientDescentRegression.swift):
//                      the iterative method everything later in the course builds on
// The closed forms fit the intercept by centring (InterceptByCentring.swift);
// gradient descent learns b as one more parameter.

/// Least-squares linear regression (scikit-learn's `LinearRegression`, plus a gradient-descent solver).
///
///     var model = LinearRegression(solver: .qr)
///     try model.fit(x, y)          // x: [n, d], y: [n]
///     let r2 = model.score(xTest, yTest)
public struct LinearRegression: Regressor {
    /// How the least-squares problem is solved.
    public enum Solver: Sendable {
        /// Normal equations XᵀX·w = Xᵀy by Cholesky; throws `EstimatorError.singularSystem` on collinear features.
        case cholesky
        /// Householder QR of X (minimum-norm SVD solution when X is rank-deficient).
        case qr
        /// Iterative gradient descent with the given settings.
        case gradientDescent(GradientDescent)
    }

    /// The solver used by `fit`.
    public var solver: Solver
    /// Whether to learn an intercept b (otherwise b = 0 and the fit goes through the origin).
    public var fitIntercept: Bool
    /// The weights w, one per feature (empty before `fit`).
    public private(set) var coefficients: [Float] = []
    /// The intercept b (0 before `fit` or without intercept).
    public private(set) var intercept: Float = 0
    /// How the last `fit` ended: one iteration for the closed forms, epochs and loss curve for gradient descent.
    public private(set) var report = SolverReport(solver: "unfitted", iterations: 0, converged: false, tolerance: 0,
                                                  criterion: "", finalValue: .nan, lossHistory: [])
    /// True once `fit` has succeeded.
    public private(set) var isFitted = false

    /// A linear regression solved by `solver`, with an intercept unless `fitIntercept` is false.
    public init(solver: Solver = .cholesky, fitIntercept: Bool = true) {
        self.solver = solver
        self.fitIntercept = fitIntercept
    }

    /// Fits w and b to X [n, d] and y [n].
    /// - Throws: `EstimatorError.nonFiniteValue` for NaN/infinite data, `.singularSystem` when the
    ///   Cholesky solver meets collinear features, `.invalidParameter` for unusable gradient-descent settings
    ///   (including a learning rate that makes the loss diverge).
    public mutating func fit(_ x: Tensor, _ y: Tensor) throws {
        switch solver {
        case .cholesky:
            // The data checks run inside the Gram pass (see NormalEquations.fit).
            let (w, b) = try NormalEquations.fit(x, y, fitIntercept: fitIntercept, ridge: 0,
                                                 method: "LinearRegression(solver: .cholesky)")
            setFitted(w, b, closedForm: "cholesky")
        case .qr:
            try FitInput.check(x, y)
            let y = y.reshaped([y.count])
            let centring = InterceptByCentring(x, y, enabled: fitIntercept)
            let (w, fullRank) = try QRLeastSquares.solve(x, y, centring: centring)
            setFitted(w, centring.intercept(for: w),
                      closedForm: fullRank ? "qr" : "qr (rank-deficient: minimum-norm SVD solution)")
        case .gradientDescent(let settings):
            try FitInput.check(x, y)
            let result = try settings.minimise(x, y.reshaped([y.count]), fitIntercept: fitIntercept)
            coefficients = result.coefficients
            intercept = result.intercept
            report = result.report
            isFitted = true
        }
    }

    /// ŷ = Xw + b for X [m, d].
    public func predict(_ x: Tensor) -> Tensor {
        AffineMap.requireFitted(isFitted, model: "LinearRegression")
        return AffineMap.apply(x, coefficients: coefficients, intercept: intercept, model: "LinearRegression")
    }

    private mutating func setFitted(_ w: [Float], _ b: Float, closedForm name: String) {
        coefficients = w
        intercept = b
        report = SolverReport.closedForm(name)
        isFitted = true
    }
}

extension SolverReport {
    /// The report of a direct (non-iterative) solve: one iteration, converged, nothing to record per iteration.
    static func closedForm(_ name: String) -> SolverReport {
        SolverReport(solver: name, iterations: 1, converged: true, tolerance: 0,
                     criterion: "closed form (direct solve)", finalValue: 0, lossHistory: [])
    }
}
