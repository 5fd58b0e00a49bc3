// Logistic regression: the solvers agree with each other, reach their stated
// tolerance, the hand-derived gradient and Hessian match finite differences,
// and the multi-class and L1 variants do what they promise. Data are made here
// with fixed seeds.
import Foundation
import LinearModels
import Testing

/// n rows of N(0, 1) features and labels y ~ Bernoulli(σ(x·w + b)): separable with noise.
func logisticData(n: Int, weights: [Float], bias: Float, seed: UInt64) -> (x: Tensor, y: Tensor) {
    var generator = RandomGenerator(seed: seed)
    let d = weights.count
    let x = (0..<n * d).map { _ in Float(generator.normal()) }
    let y = (0..<n).map { i -> Float in
        var z = bias
        for j in 0..<d { z += weights[j] * x[i * d + j] }
        return generator.nextUniformFloat() < 1 / (1 + exp(-z)) ? 1 : 0
    }
    return (Tensor(shape: [n, d], scalars: x), Tensor(shape: [n], scalars: y))
}

/// Three Gaussian classes around well-separated centres in 2-d, labels 0, 1, 2.
func threeBlobs(perClass: Int, seed: UInt64) -> (x: Tensor, y: Tensor) {
    var generator = RandomGenerator(seed: seed)
    let centres: [(Float, Float)] = [(-3, 0), (3, 0), (0, 4)]
    var x: [Float] = [], y: [Float] = []
    for (c, centre) in centres.enumerated() {
        for _ in 0..<perClass {
            x += [centre.0 + Float(generator.normal()), centre.1 + Float(generator.normal())]
            y.append(Float(c))
        }
    }
    return (Tensor(shape: [3 * perClass, 2], scalars: x), Tensor(shape: [3 * perClass], scalars: y))
}

@Suite struct LogisticRegressionTests {
    let data = logisticData(n: 600, weights: [2, -1.5, 0.5, 0], bias: 0.4, seed: 11)

    @Test func newtonAndLBFGSAgree() throws {
        var newton = LogisticRegression(solver: .newton)
        var lbfgs = LogisticRegression(solver: .lbfgs)
        try newton.fit(data.x, data.y)
        try lbfgs.fit(data.x, data.y)
        #expect(newton.coefficients.shape == [1, 4])
        #expect(maxDifference(newton.coefficients.scalars, lbfgs.coefficients.scalars) < 1e-3)
        #expect(maxDifference(newton.intercepts, lbfgs.intercepts) < 1e-3)
        #expect(newton.predict(data.x) == lbfgs.predict(data.x))
        // The fit recovers the generating weights roughly, and classifies well above chance.
        #expect(abs(newton.coefficients.scalars[0] - 2) < 0.6)
        #expect(newton.score(data.x, data.y) > 0.75)
    }

    @Test func gradientDescentReachesTheSameWeights() throws {
        var newton = LogisticRegression(solver: .newton)
        var descent = LogisticRegression(solver: .gradientDescent, maxIterations: 20_000, learningRate: 1)
        try newton.fit(data.x, data.y)
        try descent.fit(data.x, data.y)
        #expect(descent.report.converged)
        #expect(maxDifference(newton.coefficients.scalars, descent.coefficients.scalars) < 1e-3)
        #expect(maxDifference(newton.intercepts, descent.intercepts) < 1e-3)
    }

    @Test(arguments: [LogisticRegression.Solver.lbfgs, .newton, .gradientDescent])
    func eachSolverReachesItsTolerance(solver: LogisticRegression.Solver) throws {
        var model = LogisticRegression(solver: solver, tolerance: 1e-6, maxIterations: 20_000)
        try model.fit(data.x, data.y)
        #expect(model.report.converged)
        #expect(model.report.finalValue <= 1e-6)
        #expect(model.report.tolerance == 1e-6)
        #expect(model.report.criterion.contains("∇f"))
        #expect(model.report.lossHistory.count == model.report.iterations)
        // The objective never rises by more than rounding along the way.
        let history = model.report.lossHistory
        var monotone = true
        for t in history.indices.dropFirst() where history[t] > history[t - 1] + 1e-6 { monotone = false }
        #expect(monotone)
        // Multinomial as well, for the solvers that reach it quickly.
        if solver != .gradientDescent {
            let blobs = threeBlobs(perClass: 60, seed: 5)
            var multi = LogisticRegression(solver: solver, tolerance: 1e-6)
            try multi.fit(blobs.x, blobs.y)
            #expect(multi.report.converged && multi.report.finalValue <= 1e-6)
        }
    }

    @Test func gradientMatchesFiniteDifferences() {
        let small = logisticData(n: 50, weights: [1, -1, 0.5], bias: 0, seed: 3)
        let blobs = threeBlobs(perClass: 20, seed: 4)
        let cases = [
            LogisticObjective(x: small.x, targets: small.y, outputs: 1, penalised: 2, l2: 0.1),
            LogisticObjective(x: blobs.x, targets: blobs.y, outputs: 3, penalised: 1, l2: 0.05),
        ]
        for objective in cases {
            var generator = RandomGenerator(seed: 9)
            let w = (0..<objective.parameterCount).map { _ in 0.5 * generator.normal() }
            let (_, gradient) = objective.evaluate(w)
            let hessian = objective.hessian(w)
            let h = 1e-3, size = w.count
            for i in 0..<size {
                var plus = w, minus = w
                plus[i] += h
                minus[i] -= h
                let (fPlus, gPlus) = objective.evaluate(plus)
                let (fMinus, gMinus) = objective.evaluate(minus)
                let numeric = (fPlus - fMinus) / (2 * h)
                #expect(abs(numeric - gradient[i]) < 1e-3 * max(1, abs(gradient[i])), "∂f/∂w\(i)")
                for j in 0..<size {
                    let column = (gPlus[j] - gMinus[j]) / (2 * h)
                    #expect(abs(column - hessian[i * size + j]) < 2e-3, "H[\(i), \(j)]")
                }
            }
        }
    }

    @Test func multinomialSeparatesThreeGaussianClasses() throws {
        let train = threeBlobs(perClass: 100, seed: 1)
        let test = threeBlobs(perClass: 100, seed: 2)
        for solver in [LogisticRegression.Solver.lbfgs, .newton] {
            var model = LogisticRegression(solver: solver)
            try model.fit(train.x, train.y)
            #expect(model.coefficients.shape == [3, 2])
            #expect(model.intercepts.count == 3)
            #expect(model.classes == [0, 1, 2])
            #expect(model.score(test.x, test.y) > 0.95)
            let p = model.predictProba(test.x)
            #expect(p.shape == [300, 3])
            let scalars = p.scalars
            for i in 0..<300 {
                #expect(abs(scalars[3 * i] + scalars[3 * i + 1] + scalars[3 * i + 2] - 1) < 1e-5)
            }
        }
    }

    @Test func oneVersusRestFitsOneModelPerClass() throws {
        let train = threeBlobs(perClass: 100, seed: 1)
        let test = threeBlobs(perClass: 100, seed: 2)
        var model = LogisticRegression(multiClass: .oneVsRest)
        try model.fit(train.x, train.y)
        #expect(model.reports.count == 3)
        #expect(model.reports.allSatisfy { $0.converged })
        #expect(model.report.converged)
        #expect(model.coefficients.shape == [3, 2])
        #expect(model.score(test.x, test.y) > 0.95)
        let p = model.predictProba(test.x).scalars
        for i in 0..<300 { #expect(abs(p[3 * i] + p[3 * i + 1] + p[3 * i + 2] - 1) < 1e-5) }
        // Class 2 sits at (0, 4): its one-vs-rest model leans on the second feature.
        #expect(model.coefficients.scalars[5] > 1)
    }

    @Test func l1ZeroesIrrelevantWeights() throws {
        let sparse = logisticData(n: 800, weights: [2.5, -2, 0, 0, 0, 0], bias: 0, seed: 21)
        var model = LogisticRegression(penalty: .l1, alpha: 0.03, solver: .gradientDescent,
                                       tolerance: 1e-5, maxIterations: 20_000)
        try model.fit(sparse.x, sparse.y)
        #expect(model.report.converged)
        let w = model.coefficients.scalars
        #expect(abs(w[0]) > 1 && abs(w[1]) > 1)
        let irrelevantZero = w[2...].allSatisfy { $0 == 0 }
        #expect(irrelevantZero, "weights \(w)")
        // OWL-QN (L-BFGS for L1) reaches the same weights and the same zeros.
        var owlqn = LogisticRegression(penalty: .l1, alpha: 0.03, solver: .lbfgs, tolerance: 1e-5)
        try owlqn.fit(sparse.x, sparse.y)
        #expect(owlqn.report.converged && owlqn.report.finalValue <= 1e-5)
        #expect(maxDifference(owlqn.coefficients.scalars, w) < 1e-3)
        #expect(abs(owlqn.intercepts[0] - model.intercepts[0]) < 1e-3)
        let sameZeros = zip(owlqn.coefficients.scalars, w).allSatisfy { ($0 == 0) == ($1 == 0) }
        #expect(sameZeros)
        // Without the penalty the irrelevant weights are small but not zero.
        var plain = LogisticRegression(penalty: .none, solver: .newton)
        try plain.fit(sparse.x, sparse.y)
        let anyNonZero = plain.coefficients.scalars[2...].contains { $0 != 0 }
        #expect(anyNonZero)
    }

    @Test func alphaDefaultsToOneOverN() throws {
        var model = LogisticRegression()
        try model.fit(data.x, data.y)
        #expect(model.effectiveAlpha == Float(1) / 600)
        // A larger α shrinks the weights.
        var strong = LogisticRegression(alpha: 1)
        try strong.fit(data.x, data.y)
        #expect(abs(strong.coefficients.scalars[0]) < abs(model.coefficients.scalars[0]))
    }

    @Test func badDataAndSettingsThrow() {
        var model = LogisticRegression()
        let x = Tensor(shape: [3, 1], scalars: [0, 1, 2])
        #expect(throws: EstimatorError.singleClass(label: 1)) { try model.fit(x, Tensor([1, 1, 1])) }
        #expect(throws: EstimatorError.nonFiniteValue(row: 1, column: 0)) {
            try model.fit(Tensor(shape: [3, 1], scalars: [0, .nan, 2]), Tensor([0, 1, 0]))
        }
        var l1 = LogisticRegression(penalty: .l1, solver: .newton)
        #expect(throws: EstimatorError.self) { try l1.fit(x, Tensor([0, 1, 0])) }
        do {
            try l1.fit(x, Tensor([0, 1, 0]))
        } catch let error as EstimatorError {
            #expect(error.description.contains("gradientDescent"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        var negative = LogisticRegression(alpha: -1)
        #expect(throws: EstimatorError.self) { try negative.fit(x, Tensor([0, 1, 0])) }
    }

    @Test func newtonRefusesHugeMultinomialProblems() {
        var generator = RandomGenerator(seed: 1)
        let (n, d) = (40, 1400)
        let x = Tensor(shape: [n, d], scalars: (0..<n * d).map { _ in Float(generator.normal()) })
        let y = Tensor(shape: [n], scalars: (0..<n).map { Float($0 % 3) })
        var model = LogisticRegression(solver: .newton)
        #expect(throws: EstimatorError.self) { try model.fit(x, y) }
    }
}
