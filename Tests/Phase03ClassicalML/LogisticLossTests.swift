// Exercise logistic-loss (Sources/LinearModels/LogisticObjective.swift, LogisticObjective.binaryLogLoss):
//   zᵢ = w·xᵢ,  pᵢ = σ(zᵢ),  ℓᵢ = log(1 + e^{zᵢ}) − yᵢ zᵢ,  ∂ℓᵢ/∂zᵢ = pᵢ − yᵢ
//   f(w) = (1/n) Σ ℓᵢ,   ∇f = (1/n) Xᵀ(p − y)
// The loop must stay finite for large |z| (log(1 + e^z) = max(z, 0) + log(1 + e^{−|z|})).
// The solvers' fast `evaluate` (BLAS and SIMD) is tested against this function in LinearModelsTests.
import Foundation
import GradingSupport
import LinearModels
import Tensor
import Testing

@Suite("Exercise logistic-loss: the binary log-loss and its gradient")
struct LogisticLossTests {
    let design = Tensor([[1, 0], [0, 1]])   // row 0 reads w₀, row 1 reads w₁

    /// The function the learner writes, on the two-row design. (No nested type here: `mllab grade`
    /// names a test after the last `struct` above it.)
    func evaluate(labels: [Float], at w: [Double]) -> (value: Double, gradient: [Double]) {
        LogisticObjective.binaryLogLoss(x: design, labels: Tensor(labels), weights: w)
    }

    @Test("At w = 0 every p is ½: f = ln 2, ∇f = ½[½ − 1, ½ − 0]", .exercise("logistic-loss", points: 2))
    func atZero() {
        let (value, gradient) = evaluate(labels: [1, 0], at: [0, 0])
        #expect(abs(value - log(2)) < 1e-6)
        #expect(abs(gradient[0] + 0.25) < 1e-6 && abs(gradient[1] - 0.25) < 1e-6)
    }

    @Test("At w = [ln 3, 0]: p₀ = ¾, so f = ½(ln 4/3 + ln 2) and ∇f = [−⅛, ¼]", .exercise("logistic-loss", points: 1))
    func byHand() {
        let (value, gradient) = evaluate(labels: [1, 0], at: [log(3), 0])
        #expect(abs(value - 0.5 * (log(4.0 / 3) + log(2))) < 1e-6)
        #expect(abs(gradient[0] + 0.125) < 1e-6 && abs(gradient[1] - 0.25) < 1e-6)
    }

    @Test("|z| = 100 stays finite: right with confidence costs ≈ 0, wrong costs ≈ 100", .exercise("logistic-loss", points: 1))
    func largeScores() {
        let right = evaluate(labels: [1, 0], at: [100, -100])
        #expect(right.value.isFinite && right.value < 1e-6)
        let wrong = evaluate(labels: [0, 1], at: [100, -100])
        #expect(abs(wrong.value - 100) < 1e-3)
        #expect(abs(wrong.gradient[0] - 0.5) < 1e-6 && abs(wrong.gradient[1] + 0.5) < 1e-6)
    }

    @Test("37 random rows agree with a plain Double loop", .exercise("logistic-loss", points: 1))
    func againstPlainLoop() {
        let (n, d) = (37, 3)
        let x = Tensor.normal([n, d], seed: 3)
        let labels = (0..<n).map { Float($0 % 3 == 0 ? 1 : 0) }
        let w: [Double] = [0.7, -1.2, 0.4]
        let (value, gradient) = LogisticObjective.binaryLogLoss(x: x, labels: Tensor(labels), weights: w)
        let rows = x.scalars.map(Double.init)
        var expectedValue = 0.0, expectedGradient = [Double](repeating: 0, count: d)
        for i in 0..<n {
            let z = (0..<d).reduce(0.0) { $0 + rows[i * d + $1] * w[$1] }
            let p = 1 / (1 + exp(-z)), y = Double(labels[i])
            expectedValue += (log(1 + exp(z)) - y * z) / Double(n)
            for j in 0..<d { expectedGradient[j] += (p - y) * rows[i * d + j] / Double(n) }
        }
        #expect(abs(value - expectedValue) < 1e-5)
        for j in 0..<d { #expect(abs(gradient[j] - expectedGradient[j]) < 1e-5) }
    }
}
