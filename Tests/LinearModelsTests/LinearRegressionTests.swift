import Testing
import LinearModels

@Suite struct LinearRegressionTests {
    let data = SyntheticRegression(samples: 400, features: 5, seed: 7)

    @Test func choleskyMatchesANaiveDoublePrecisionSolve() throws {
        var model = LinearRegression(solver: .cholesky)
        try model.fit(data.x, data.y)
        let reference = naiveRidge(data.x, data.y, alpha: 0, intercept: true)
        #expect(maxDifference(model.coefficients, reference.weights.map(Float.init)) < 1e-4)
        #expect(abs(model.intercept - Float(reference.intercept)) < 1e-4)
        // Noise 0.1 on 400 samples: the weights are close to the true ones.
        #expect(maxDifference(model.coefficients, data.weights) < 0.03)
        #expect(model.report.converged && model.report.iterations == 1)
        #expect(model.score(data.x, data.y) > 0.99)
    }

    @Test func choleskyAndQRAgree() throws {
        var cholesky = LinearRegression(solver: .cholesky)
        var qr = LinearRegression(solver: .qr)
        try cholesky.fit(data.x, data.y)
        try qr.fit(data.x, data.y)
        #expect(maxDifference(cholesky.coefficients, qr.coefficients) < 1e-4)
        #expect(abs(cholesky.intercept - qr.intercept) < 1e-4)
        #expect(qr.report.solver == "qr")
    }

    @Test func centringKeepsPrecisionWhenFeatureMeansAreLarge() throws {
        // Means 1000 ≫ std 1: the uncentred Gram matrix would keep almost no correct digit in float32.
        let shifted = SyntheticRegression(samples: 2000, features: 4, noise: 0.05, featureMean: 1000, seed: 11)
        var cholesky = LinearRegression(solver: .cholesky)
        try cholesky.fit(shifted.x, shifted.y)
        let reference = naiveRidge(shifted.x, shifted.y, alpha: 0, intercept: true)
        #expect(maxDifference(cholesky.coefficients, reference.weights.map(Float.init)) < 1e-3)
        #expect(cholesky.score(shifted.x, shifted.y) > 0.99)
    }

    @Test(arguments: [GradientDescent.Batching.batch, .miniBatch(16), .stochastic])
    func gradientDescentAgreesWithTheClosedFormsAndReachesItsTolerance(batching: GradientDescent.Batching) throws {
        var closedForm = LinearRegression(solver: .cholesky)
        try closedForm.fit(data.x, data.y)
        let settings: GradientDescent
        switch batching {
        case .batch: settings = GradientDescent(batching: .batch, learningRate: 0.1, maxEpochs: 2000, tolerance: 1e-6)
        case .miniBatch: settings = GradientDescent(batching: batching, learningRate: 0.05, maxEpochs: 2000, tolerance: 1e-6, seed: 3)
        case .stochastic: settings = GradientDescent(batching: batching, learningRate: 0.02, maxEpochs: 2000, tolerance: 1e-6, seed: 3)
        }
        var model = LinearRegression(solver: .gradientDescent(settings))
        try model.fit(data.x, data.y)
        #expect(maxDifference(model.coefficients, closedForm.coefficients) < 1e-3)
        #expect(abs(model.intercept - closedForm.intercept) < 1e-3)
        let report = model.report
        #expect(report.converged)
        #expect(report.finalValue <= report.tolerance)
        #expect(report.iterations < 2000)
        #expect(report.lossHistory.count == report.iterations)
        // The loss falls from the start (w = 0) to the least-squares minimum.
        let finalLoss = try #require(report.lossHistory.last)
        #expect(report.lossHistory[0] > finalLoss)
        #expect(abs(finalLoss - Double(Metrics.meanSquaredError(data.y, closedForm.predict(data.x)))) < 1e-4)
    }

    @Test func batchGradientDescentWithoutInterceptFitsThroughTheOrigin() throws {
        let origin = SyntheticRegression(samples: 300, features: 3, intercept: 0, seed: 5)
        var model = LinearRegression(solver: .gradientDescent(GradientDescent()), fitIntercept: false)
        try model.fit(origin.x, origin.y)
        var closedForm = LinearRegression(solver: .qr, fitIntercept: false)
        try closedForm.fit(origin.x, origin.y)
        #expect(model.intercept == 0 && closedForm.intercept == 0)
        #expect(maxDifference(model.coefficients, closedForm.coefficients) < 1e-3)
        #expect(model.report.criterion == "max |Δw| per epoch")
    }

    @Test func tooLargeALearningRateIsReportedAsDivergence() throws {
        var model = LinearRegression(solver: .gradientDescent(GradientDescent(learningRate: 5, maxEpochs: 500)))
        #expect(throws: EstimatorError.self) { try model.fit(data.x, data.y) }
        do {
            try model.fit(data.x, data.y)
        } catch EstimatorError.invalidParameter(let name, _, _) {
            #expect(name == "learningRate")
        }
        #expect(!model.isFitted)
    }

    /// X with feature 2 an exact copy of feature 0.
    func duplicatedColumn() -> (x: Tensor, y: Tensor) {
        let base = data.x.scalars
        var xs: [Float] = []
        for i in 0..<400 { xs += [base[i * 5], base[i * 5 + 1], base[i * 5]] }
        let x = Tensor(shape: [400, 3], scalars: xs)
        let y = Tensor(shape: [400], scalars: (0..<400).map { 2 * xs[$0 * 3] - xs[$0 * 3 + 1] + 0.25 })
        return (x, y)
    }

    @Test func collinearFeaturesGiveTheTypedErrorWithCholesky() throws {
        let (x, y) = duplicatedColumn()
        var model = LinearRegression(solver: .cholesky)
        do {
            try model.fit(x, y)
            Issue.record("Cholesky should refuse a duplicated column")
        } catch EstimatorError.singularSystem(let method, let detail) {
            #expect(method.contains("cholesky"))
            #expect(detail.contains("Ridge"))
        }
        // A constant feature is collinear with the intercept.
        let constant = Tensor(shape: [4, 2], scalars: [1, 3, 2, 3, 3, 3, 4, 3])
        #expect(throws: EstimatorError.self) { try model.fit(constant, Tensor([1, 2, 3, 4])) }
    }

    @Test func qrGivesTheMinimumNormSolutionForCollinearFeatures() throws {
        let (x, y) = duplicatedColumn()
        var model = LinearRegression(solver: .qr)
        try model.fit(x, y)
        // y = 2·x0 − x1 + 0.25 with x2 = x0: the shortest weights split the 2 equally.
        #expect(maxDifference(model.coefficients, [1, -1, 1]) < 1e-3)
        #expect(abs(model.intercept - 0.25) < 1e-3)
        #expect(model.report.solver.contains("minimum-norm"))
    }

    @Test func nonFiniteInputGivesTheTypedError() throws {
        var xs = data.x.scalars
        xs[3 * 5 + 2] = .nan
        var model = LinearRegression()
        #expect(throws: EstimatorError.nonFiniteValue(row: 3, column: 2)) {
            try model.fit(Tensor(shape: [400, 5], scalars: xs), data.y)
        }
        var ys = data.y.scalars
        ys[17] = .infinity
        for solver in [LinearRegression.Solver.cholesky, .qr, .gradientDescent(GradientDescent())] {
            var model = LinearRegression(solver: solver)
            #expect(throws: EstimatorError.nonFiniteValue(row: 17, column: nil)) {
                try model.fit(data.x, Tensor(shape: [400], scalars: ys))
            }
        }
    }

    @Test func predictIsXTimesWeightsPlusIntercept() throws {
        var model = LinearRegression()
        try model.fit(data.x, data.y)
        let row = Tensor(shape: [1, 5], scalars: [1, 2, 3, 4, 5])
        let expected = zip(model.coefficients, [1, 2, 3, 4, 5] as [Float]).map { $0 * $1 }.reduce(model.intercept, +)
        #expect(abs(model.predict(row).scalars[0] - expected) < 1e-5)
    }
}
