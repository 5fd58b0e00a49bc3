import Testing
import Tensor
@testable import Unsupervised

@Suite("Pairwise distances")
struct PairwiseDistancesTests {
    @Test("The GEMM expansion matches the direct Σ (xᵢ − cⱼ)² loop")
    func matchesNaiveLoop() {
        let (n, k, d) = (37, 11, 19)             // odd sizes: SIMD tails and thread splits
        let x = Tensor.normal([n, d], seed: 1) * Tensor(3)
        let c = Tensor.normal([k, d], seed: 2) * Tensor(3)
        let table = PairwiseDistances.squared(x, c)
        #expect(table.shape == [n, k])
        let (xs, cs, ds) = (x.scalars, c.scalars, table.scalars)
        var worst: Float = 0
        for i in 0..<n {
            for j in 0..<k {
                var direct: Double = 0
                for t in 0..<d { let diff = Double(xs[i * d + t] - cs[j * d + t]); direct += diff * diff }
                worst = max(worst, abs(ds[i * k + j] - Float(direct)) / max(1, Float(direct)))
            }
        }
        #expect(worst < 1e-4)
    }

    @Test("A row's distance to itself is exactly 0, never negative")
    func selfDistanceIsZero() {
        let x = Tensor.normal([64, 33], seed: 3) * Tensor(100)
        let table = PairwiseDistances.squared(x, x)
        let values = table.scalars
        #expect(values.allSatisfy { $0 >= 0 })
        for i in 0..<64 { #expect(values[i * 64 + i] < 1e-1 * Float(33)) }
    }

    @Test("Squared norms match a plain sum")
    func squaredNorms() {
        let x = Tensor.normal([5, 21], seed: 4)
        let norms = PairwiseDistances.squaredNorms(x)
        let xs = x.scalars
        for i in 0..<5 {
            let direct = (0..<21).reduce(Float(0)) { $0 + xs[i * 21 + $1] * xs[i * 21 + $1] }
            #expect(abs(norms[i] - direct) < 1e-4)
        }
    }
}
