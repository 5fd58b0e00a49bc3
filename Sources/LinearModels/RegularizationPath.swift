// Regularisation path: the fitted weights for a sequence of penalties α.
//
// Plotting each w_j against α shows how a penalty selects features: as α
// falls from α_max = max_j |x̃_jᵀỹ| / (n·ρ) (where every lasso weight is 0),
// weights leave zero one after another. Fitting the α's from largest to
// smallest with each fit started at the previous solution (a warm start)
// costs only a few sweeps per α, because nearby α's have nearby solutions.
// The data are centred and transposed once for the whole path.

extension ElasticNet {
    /// The largest useful α for this data: at or above it every weight is 0 (for l1Ratio > 0).
    public static func maximumAlpha(_ x: Tensor, _ y: Tensor, l1Ratio: Float = 0.5, fitIntercept: Bool = true) throws -> Float {
        try FitInput.check(x, y)
        precondition(l1Ratio > 0, "ElasticNet.maximumAlpha: l1Ratio must be > 0, got \(l1Ratio)")
        let problem = CoordinateDescentProblem(x, y.reshaped([y.count]), fitIntercept: fitIntercept)
        var largest: Float = 0
        problem.columnMajor.withUnsafeBufferPointer { xt in
            problem.target.withUnsafeBufferPointer { t in
                for j in 0..<problem.columns {
                    var dot: Double = 0
                    let column = xt.baseAddress! + j * problem.rows
                    for i in 0..<problem.rows { dot += Double(column[i]) * Double(t[i]) }
                    largest = Swift.max(largest, Float(Swift.abs(dot)))
                }
            }
        }
        return largest / (Float(problem.rows) * l1Ratio)
    }

    /// One fitted model per α, in the order given, each warm-started from the previous one
    /// (pass α's in decreasing order for the warm starts to help). The settings other than α
    /// come from `template`.
    public static func path(_ x: Tensor, _ y: Tensor, alphas: [Float],
                            template: ElasticNet = ElasticNet()) throws -> [ElasticNet] {
        try FitInput.check(x, y)
        for alpha in alphas {
            var candidate = template
            candidate.alpha = alpha
            try candidate.validate()
        }
        let problem = CoordinateDescentProblem(x, y.reshaped([y.count]), fitIntercept: template.fitIntercept)
        var start = [Float](repeating: 0, count: problem.columns)
        var models: [ElasticNet] = []
        for alpha in alphas {
            var model = template
            model.alpha = alpha
            model.fit(problem, from: start)
            start = model.coefficients
            models.append(model)
        }
        return models
    }
}

extension Lasso {
    /// The largest useful α for this data: at or above it every weight is 0.
    public static func maximumAlpha(_ x: Tensor, _ y: Tensor, fitIntercept: Bool = true) throws -> Float {
        try ElasticNet.maximumAlpha(x, y, l1Ratio: 1, fitIntercept: fitIntercept)
    }

    /// One fitted lasso per α, warm-started along the list (pass α's in decreasing order).
    public static func path(_ x: Tensor, _ y: Tensor, alphas: [Float], fitIntercept: Bool = true,
                            maxIterations: Int = 1000, tolerance: Double = 1e-4) throws -> [Lasso] {
        let template = ElasticNet(alpha: 1, l1Ratio: 1, fitIntercept: fitIntercept,
                                  maxIterations: maxIterations, tolerance: tolerance)
        return try ElasticNet.path(x, y, alphas: alphas, template: template).map { Lasso(fitted: $0) }
    }
}
