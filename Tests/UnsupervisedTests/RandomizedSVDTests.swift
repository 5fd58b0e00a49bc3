import Foundation
import Testing
import Tensor
@testable import Unsupervised

@Suite("Randomized SVD")
struct RandomizedSVDTests {
    /// A = U·diag(σ)·Vᵀ of rank 10 (σ = 10, 9, …, 1) plus a little noise, 400 × 150.
    let a: Tensor = {
        let (m, n, r) = (400, 150, 10)
        let left = LinearAlgebra.qr(Tensor.normal([m, r], seed: 1)).q
        let right = LinearAlgebra.qr(Tensor.normal([n, r], seed: 2)).q
        let sigma = Tensor(shape: [1, r], scalars: (0..<r).map { Float(10 - $0) })
        return Tensor.matmul(left * sigma, right, transposeB: true) + Tensor.normal([m, n], std: 1e-4, seed: 3)
    }()

    @Test("Top-k singular values and subspaces match the exact SVD")
    func matchesExactSVD() throws {
        let k = 6
        let exact = try LinearAlgebra.svd(a)
        let (u, s, vt) = try RandomizedSVD.decompose(a, rank: k, seed: 7)
        #expect(u.shape == [400, k] && s.shape == [k] && vt.shape == [k, 150])
        let (sr, se) = (s.scalars, exact.s.scalars)
        for j in 0..<k { #expect(abs(sr[j] - se[j]) <= 1e-3 * se[j], "σ\(j): \(sr[j]) vs \(se[j])") }
        // Same subspace: each exact right vector lies in the span of the randomized ones,
        // ‖V_rᵀ·vᵢ‖ = 1, and likewise on the left.
        let exactV = RandomizedSVD.leadingRows(exact.vt, k)
        let overlapV = Tensor.matmul(vt, exactV, transposeB: true)        // [k, k]
        let exactU = RandomizedSVD.leadingColumns(exact.u, k)
        let overlapU = Tensor.matmul(u, exactU, transposeA: true)         // [k, k]
        for overlap in [overlapV, overlapU] {
            let o = overlap.scalars
            for i in 0..<k {
                let norm = (0..<k).reduce(Float(0)) { $0 + o[$1 * k + i] * o[$1 * k + i] }.squareRoot()
                #expect(abs(norm - 1) < 1e-3, "vector \(i): projection norm \(norm)")
            }
        }
        // Orthonormal factors, and A·vᵢ = σᵢ·uᵢ.
        let utu = Tensor.matmul(u, u, transposeA: true).scalars
        let vvt = Tensor.matmul(vt, vt, transposeB: true).scalars
        for i in 0..<k {
            for j in 0..<k {
                #expect(abs(utu[i * k + j] - (i == j ? 1 : 0)) < 1e-4)
                #expect(abs(vvt[i * k + j] - (i == j ? 1 : 0)) < 1e-4)
            }
        }
        let av = Tensor.matmul(a, vt, transposeB: true).scalars                  // [m, k]
        let us = (u * Tensor(shape: [1, k], scalars: sr)).scalars
        #expect(zip(av, us).allSatisfy { abs($0 - $1) < 1e-3 })
    }

    @Test("The same seed gives the same decomposition")
    func seeded() throws {
        let first = try RandomizedSVD.decompose(a, rank: 4, seed: 3)
        let second = try RandomizedSVD.decompose(a, rank: 4, seed: 3)
        #expect(first.s == second.s && first.u == second.u && first.vt == second.vt)
    }

    @Test("Without power iterations a slowly decaying spectrum is less accurate; with them it is exact")
    func powerIterationsHelp() throws {
        // σⱼ = 1/(j + 1)^0.3 on 300 × 200: no gap for the sketch to find.
        let (m, n) = (300, 200)
        let left = LinearAlgebra.qr(Tensor.normal([m, n], seed: 4)).q
        let right = LinearAlgebra.qr(Tensor.normal([n, n], seed: 5)).q
        let sigma = (0..<n).map { 1 / pow(Float($0 + 1), 0.3) }
        let flat = Tensor.matmul(left * Tensor(shape: [1, n], scalars: sigma), right, transposeB: true)
        func topError(_ q: Int) throws -> Float {
            let s = try RandomizedSVD.decompose(flat, rank: 5, oversamples: 5, powerIterations: q, seed: 1).s.scalars
            return (0..<5).map { abs(s[$0] - sigma[$0]) / sigma[$0] }.max()!
        }
        let (without, with) = (try topError(0), try topError(8))
        #expect(with < without)
        #expect(with < 2e-2)
    }

    @Test("Ranks and settings out of range throw")
    func badArguments() {
        #expect(throws: EstimatorError.self) { try RandomizedSVD.decompose(a, rank: 0) }
        #expect(throws: EstimatorError.self) { try RandomizedSVD.decompose(a, rank: 151) }
        #expect(throws: EstimatorError.self) { try RandomizedSVD.decompose(a, rank: 3, oversamples: -2) }
        #expect(throws: EstimatorError.self) { try RandomizedSVD.decompose(a, rank: 3, powerIterations: -1) }
    }
}
