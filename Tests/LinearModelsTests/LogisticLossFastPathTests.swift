// The fast binary log-loss against its definition (llm.c's rule): `LogisticObjective.evaluate`
// (sgemv, the SIMD pass `binaryResidual` sixteen rows at a time with a masked tail, sgemv) must
// give the f and ∇f of `LogisticObjective.binaryLogLoss`, the plain Double loop the course's
// exercise asks for. Sizes cover a single row, tails of 1 to 15 rows after full blocks of 16,
// and more than one block of 4 096 rows (the unit of the parallel pass).
//
// Tolerances: the fast path works in Float (X, w, z, p − y and the BLAS sums; exp and log to
// 1–2 ulp) and sums the loss in Double per block, so it agrees with the Double loop to a few
// Float roundings: |Δf| ≤ 1e-5·max(1, f), max |Δ∇f| ≤ 1e-5 (|∇f| reaches 2 on these data) and,
// on the identity design, each row's residual within 1e-6. Measured: 2.7e-7, 1.5e-7 and 1.1e-7.
import Foundation
import LinearModels
import Tensor
import Testing

@Suite struct LogisticLossFastPathTests {
    /// n rows of N(0, 1) features with a last column of ones, labels y ~ Bernoulli(σ(x·w)), and the weights w
    /// (scaled by `scale`, so that |z| reaches about 3·scale).
    static func problem(n: Int, d: Int, scale: Double, seed: UInt64) -> (x: Tensor, y: Tensor, w: [Double]) {
        var generator = RandomGenerator(seed: seed)
        let w = (0..<d).map { _ in scale * generator.normal() }
        var x = [Float](repeating: 1, count: n * d), y = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var z = 0.0
            for j in 0..<d - 1 { x[i * d + j] = Float(generator.normal()) }
            for j in 0..<d { z += w[j] * Double(x[i * d + j]) }
            y[i] = generator.nextUniformDouble() < 1 / (1 + exp(-z)) ? 1 : 0
        }
        return (Tensor(shape: [n, d], scalars: x), Tensor(shape: [n], scalars: y), w)
    }

    @Test(arguments: [1, 5, 15, 16, 17, 37, 255, 4_096, 4_099, 10_007])
    func evaluateAgreesWithTheDefinition(rows n: Int) {
        for (scale, seed) in [(0.5, UInt64(n)), (3.0, UInt64(n + 1)), (40.0, UInt64(n + 2))] {   // |z| up to ~2, ~10, ~150
            let (x, y, w) = Self.problem(n: n, d: 6, scale: scale, seed: seed)
            let fast = LogisticObjective(x: x, targets: y, outputs: 1, penalised: 0, l2: 0).evaluate(w)
            let definition = LogisticObjective.binaryLogLoss(x: x, labels: y, weights: w)
            #expect(abs(fast.value - definition.value) <= 1e-5 * max(1, definition.value),
                    "n = \(n), scale \(scale): f \(fast.value) against \(definition.value)")
            let gap = zip(fast.gradient, definition.gradient).map { abs($0 - $1) }.max()!
            #expect(gap <= 1e-5, "n = \(n), scale \(scale): max |Δ∇f| \(gap)")
        }
    }

    /// With X = I (n × n), ∇f_i = (σ(w_i) − y_i)/n: the gradient shows every row's residual p − y,
    /// so a wrong lane in a masked tail cannot hide in a sum.
    @Test(arguments: [1, 2, 15, 16, 17, 31, 33, 47])
    func everyRowsResidualMatchesOnAnIdentityDesign(rows n: Int) {
        var identity = [Float](repeating: 0, count: n * n)
        for i in 0..<n { identity[i * n + i] = 1 }
        let x = Tensor(shape: [n, n], scalars: identity)
        let w = (0..<n).map { -30 + 60 * Double($0) / Double(max(n - 1, 1)) }      // scores from −30 to 30
        let y = Tensor(shape: [n], scalars: (0..<n).map { Float(($0 * 7) % 3 == 0 ? 1 : 0) })
        let fast = LogisticObjective(x: x, targets: y, outputs: 1, penalised: 0, l2: 0).evaluate(w)
        let definition = LogisticObjective.binaryLogLoss(x: x, labels: y, weights: w)
        #expect(abs(fast.value - definition.value) <= 1e-5 * max(1, definition.value))
        for i in 0..<n {
            // Row i's residual to Float precision.
            #expect(abs(fast.gradient[i] - definition.gradient[i]) * Double(n) <= 1e-6, "n = \(n), row \(i)")
        }
    }
}
