// L-BFGS on the Rosenbrock function f(x, y) = (1 − x)² + 100 (y − x²)²,
// whose curved valley defeats gradient descent; the minimum is f(1, 1) = 0.
import LinearModels
import Testing

@Suite struct LBFGSTests {
    static func rosenbrock(_ v: [Double]) -> (value: Double, gradient: [Double]) {
        let (x, y) = (v[0], v[1])
        let value = (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)
        let gradient = [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)]
        return (value, gradient)
    }

    @Test func minimisesRosenbrock() {
        let result = LBFGS(tolerance: 1e-8, maxIterations: 500).minimize(from: [-1.2, 1], Self.rosenbrock)
        #expect(result.report.converged)
        #expect(result.report.finalValue <= 1e-8)
        #expect(abs(result.x[0] - 1) < 1e-6 && abs(result.x[1] - 1) < 1e-6)
        #expect(result.value < 1e-12)
        #expect(result.report.iterations < 100)
        #expect(result.report.lossHistory.count == result.report.iterations)
    }

    @Test func minimisesAnIllConditionedQuadraticInHigherDimension() {
        // f(x) = ½ Σ cᵢ (xᵢ − 1)² with curvatures from 1 to 1000.
        let curvature = (0..<50).map { 1 + 999 * Double($0) / 49 }
        func quadratic(_ x: [Double]) -> (value: Double, gradient: [Double]) {
            var value = 0.0
            var gradient = [Double](repeating: 0, count: 50)
            for i in 0..<50 {
                let e = x[i] - 1
                value += 0.5 * curvature[i] * e * e
                gradient[i] = curvature[i] * e
            }
            return (value, gradient)
        }
        let result = LBFGS(tolerance: 1e-9).minimize(from: [Double](repeating: 0, count: 50), quadratic)
        #expect(result.report.converged)
        #expect(result.x.allSatisfy { abs($0 - 1) < 1e-9 })
    }

    @Test func stopsAtTheIterationBudget() {
        let result = LBFGS(tolerance: 1e-12, maxIterations: 3).minimize(from: [-1.2, 1], Self.rosenbrock)
        #expect(result.report.iterations == 3)
        #expect(!result.report.converged)
    }

    @Test func owlqnSoftThresholdsAQuadratic() {
        // ½ Σ cᵢ (xᵢ − aᵢ)² + λ Σ_{i<4} |xᵢ| has the minimiser xᵢ = sign(aᵢ) max(|aᵢ| − λ/cᵢ, 0) (last one unpenalised).
        let a: [Double] = [3, -0.2, 0.5, -2, 0.1], c: [Double] = [1, 2, 4, 1, 3], lambda = 1.0
        func quadratic(_ x: [Double]) -> (value: Double, gradient: [Double]) {
            var value = 0.0
            var gradient = [Double](repeating: 0, count: 5)
            for i in 0..<5 {
                value += 0.5 * c[i] * (x[i] - a[i]) * (x[i] - a[i])
                gradient[i] = c[i] * (x[i] - a[i])
            }
            return (value, gradient)
        }
        let result = LBFGS(tolerance: 1e-10).minimize(from: [Double](repeating: 0, count: 5), l1: lambda,
                                                      penalised: { $0 < 4 }, quadratic)
        let expected: [Double] = [2, 0, 0.25, -1, 0.1]
        #expect(result.report.converged)
        for i in 0..<5 { #expect(abs(result.x[i] - expected[i]) < 1e-8, "x\(i) = \(result.x[i])") }
        #expect(result.x[1] == 0)
    }
}
