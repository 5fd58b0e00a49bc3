import Testing
import LinearModels

@Suite struct PenalizedRegressionTests {
    let data = SyntheticRegression(samples: 200, features: 6, seed: 21)

    /// 20 features of which only 0, 5, 10 and 15 matter.
    static let sparseWeights: [Float] = (0..<20).map { [0: 3, 5: -2, 10: 1.5, 15: 2.5][$0] ?? 0 }
    let sparse = SyntheticRegression(samples: 300, features: 20, weights: sparseWeights, intercept: 1, seed: 4)

    @Test func ridgeMatchesTheNaiveClosedForm() throws {
        for alpha in [0.5, 10.0, 300.0] {
            var model = Ridge(alpha: Float(alpha))
            try model.fit(data.x, data.y)
            let reference = naiveRidge(data.x, data.y, alpha: alpha, intercept: true)
            #expect(maxDifference(model.coefficients, reference.weights.map(Float.init)) < 1e-4)
            #expect(abs(model.intercept - Float(reference.intercept)) < 1e-4)
        }
        var withoutIntercept = Ridge(alpha: 2, fitIntercept: false)
        try withoutIntercept.fit(data.x, data.y)
        let reference = naiveRidge(data.x, data.y, alpha: 2, intercept: false)
        #expect(maxDifference(withoutIntercept.coefficients, reference.weights.map(Float.init)) < 1e-4)
        #expect(withoutIntercept.intercept == 0)
    }

    @Test func ridgeShrinksTheWeightsAsAlphaGrows() throws {
        var norms: [Float] = []
        for alpha: Float in [0, 1, 10, 100, 1000, 10000] {
            var model = Ridge(alpha: alpha)
            try model.fit(data.x, data.y)
            norms.append(model.coefficients.map { $0 * $0 }.reduce(0, +).squareRoot())
        }
        for k in 1..<norms.count { #expect(norms[k] < norms[k - 1]) }
        #expect(norms.last! < 0.05 * norms.first!)
        // α = 0 is ordinary least squares.
        var ridge = Ridge(alpha: 0), ols = LinearRegression()
        try ridge.fit(data.x, data.y)
        try ols.fit(data.x, data.y)
        #expect(maxDifference(ridge.coefficients, ols.coefficients) < 1e-6)
    }

    @Test func ridgeSolvesCollinearProblemsAndRejectsNegativeAlpha() throws {
        let xs = data.x.scalars
        let x = Tensor(shape: [200, 2], scalars: (0..<200).flatMap { [xs[$0 * 6], xs[$0 * 6]] })
        var model = Ridge(alpha: 1)
        try model.fit(x, data.y)
        #expect(abs(model.coefficients[0] - model.coefficients[1]) < 1e-4)   // symmetric problem, symmetric answer
        var negative = Ridge(alpha: -1)
        #expect(throws: EstimatorError.invalidParameter(name: "alpha", value: "-1.0", expected: "a finite value ≥ 0")) {
            try negative.fit(data.x, data.y)
        }
    }

    @Test func lassoZeroesTheIrrelevantWeightsAndKeepsTheRelevantOnes() throws {
        var model = Lasso(alpha: 0.1)
        try model.fit(sparse.x, sparse.y)
        let relevant: Set = [0, 5, 10, 15]
        for j in 0..<20 {
            if relevant.contains(j) {
                // Kept, with the lasso's shrinkage of about α towards 0.
                #expect(abs(model.coefficients[j] - Self.sparseWeights[j]) < 0.2, "feature \(j)")
            } else {
                #expect(model.coefficients[j] == 0, "feature \(j) should be exactly 0, got \(model.coefficients[j])")
            }
        }
        #expect(model.report.converged)
        #expect(model.report.finalValue <= model.report.tolerance)
        #expect(model.score(sparse.x, sparse.y) > 0.95)
    }

    @Test func lassoSatisfiesItsOptimalityConditions() throws {
        // At the optimum, with r = ỹ − X̃w: |x̃_jᵀr|/n ≤ α where w_j = 0, and x̃_jᵀr/n = α·sign(w_j) elsewhere.
        let alpha: Float = 0.3
        var model = Lasso(alpha: alpha, tolerance: 1e-8)
        try model.fit(sparse.x, sparse.y)
        let residual = (sparse.y - model.predict(sparse.x)).scalars.map(Double.init)
        let xs = sparse.x.scalars.map(Double.init)
        let n = 300
        for j in 0..<20 {
            var mean = 0.0
            for i in 0..<n { mean += xs[i * 20 + j] / Double(n) }
            var correlation = 0.0
            for i in 0..<n { correlation += (xs[i * 20 + j] - mean) * residual[i] / Double(n) }
            let w = model.coefficients[j]
            if w == 0 {
                #expect(abs(correlation) <= Double(alpha) + 1e-4, "feature \(j)")
            } else {
                #expect(abs(correlation - Double(alpha) * (w > 0 ? 1 : -1)) < 1e-3, "feature \(j)")
            }
        }
    }

    @Test func elasticNetLiesBetweenLassoAndRidge() throws {
        let alpha: Float = 0.1
        var lasso = Lasso(alpha: alpha)
        var net = ElasticNet(alpha: alpha, l1Ratio: 0.5)
        var pureL1 = ElasticNet(alpha: alpha, l1Ratio: 1)
        try lasso.fit(sparse.x, sparse.y)
        try net.fit(sparse.x, sparse.y)
        try pureL1.fit(sparse.x, sparse.y)
        #expect(pureL1.coefficients == lasso.coefficients)   // Lasso is the elastic net with l1Ratio 1
        let zeros = { (w: [Float]) in w.filter { $0 == 0 }.count }
        #expect(zeros(net.coefficients) > 0)
        #expect(zeros(net.coefficients) <= zeros(lasso.coefficients))
        #expect(net.report.converged && net.report.finalValue <= net.report.tolerance)
        // l1Ratio 0 is a ridge penalty: (α/2)‖w‖² on the (1/2n) loss is Ridge with α·n.
        var l2Only = ElasticNet(alpha: alpha, l1Ratio: 0, tolerance: 1e-8)
        try l2Only.fit(sparse.x, sparse.y)
        var ridge = Ridge(alpha: alpha * 300)
        try ridge.fit(sparse.x, sparse.y)
        #expect(maxDifference(l2Only.coefficients, ridge.coefficients) < 1e-3)
        #expect(zeros(l2Only.coefficients) == 0)
    }

    @Test func warmStartedPathMatchesSeparateFits() throws {
        let maximum = try Lasso.maximumAlpha(sparse.x, sparse.y)
        let alphas: [Float] = [1.01, 0.5, 0.2, 0.1, 0.05, 0.01].map { $0 * maximum }
        let path = try Lasso.path(sparse.x, sparse.y, alphas: alphas)
        #expect(path.count == alphas.count)
        #expect(path[0].coefficients.allSatisfy { $0 == 0 })                      // above α_max all weights are 0
        var nonZero: [Int] = []
        for (alpha, warm) in zip(alphas, path) {
            var cold = Lasso(alpha: alpha)
            try cold.fit(sparse.x, sparse.y)
            #expect(maxDifference(warm.coefficients, cold.coefficients) < 1e-3)
            #expect(warm.report.converged)
            nonZero.append(warm.coefficients.filter { $0 != 0 }.count)
        }
        for k in 1..<nonZero.count { #expect(nonZero[k] >= nonZero[k - 1]) }
        #expect(nonZero.last! >= 4)
        let netPath = try ElasticNet.path(sparse.x, sparse.y, alphas: [1, 0.1], template: ElasticNet(l1Ratio: 0.7))
        #expect(netPath.map(\.alpha) == [1, 0.1] && netPath.allSatisfy { $0.l1Ratio == 0.7 && $0.isFitted })
    }

    @Test func badHyperparametersAndNaNGiveTypedErrors() throws {
        var net = ElasticNet(alpha: 1, l1Ratio: 1.5)
        #expect(throws: EstimatorError.self) { try net.fit(sparse.x, sparse.y) }
        var lasso = Lasso(alpha: 1, maxIterations: 0)
        #expect(throws: EstimatorError.self) { try lasso.fit(sparse.x, sparse.y) }
        var xs = sparse.x.scalars
        xs[20 * 7 + 3] = .nan
        var model = Lasso()
        #expect(throws: EstimatorError.nonFiniteValue(row: 7, column: 3)) {
            try model.fit(Tensor(shape: [300, 20], scalars: xs), sparse.y)
        }
        var ridge = Ridge()
        #expect(throws: EstimatorError.nonFiniteValue(row: 7, column: 3)) {
            try ridge.fit(Tensor(shape: [300, 20], scalars: xs), sparse.y)
        }
    }

    @Test func coordinateDescentStopsAtItsBudgetWithoutClaimingConvergence() throws {
        var model = Lasso(alpha: 0.01, maxIterations: 2, tolerance: 1e-12)
        try model.fit(sparse.x, sparse.y)
        #expect(model.report.iterations == 2)
        #expect(!model.report.converged)
        #expect(model.report.lossHistory.count == 2)
        #expect(model.report.lossHistory[1] <= model.report.lossHistory[0])
    }
}
