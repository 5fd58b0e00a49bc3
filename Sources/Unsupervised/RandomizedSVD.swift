// Randomized SVD: the top singular triplets of a large matrix from a small sketch
// (Halko, Martinsson & Tropp, "Finding structure with randomness", SIAM Review
// 2011, Algorithm 4.4 "randomized subspace iteration" followed by Algorithm 5.1).
//
// For A (m × n) and a target rank k, take l = k + p columns (p oversamples):
//   1. Sketch:  Y = A·Ω with Ω ~ N(0, 1)^{n × l}. Y's columns are random mixtures
//      of A's columns, so they span (almost all of) A's dominant column space.
//   2. Power iterations (q times): Q = orth(Y), then Y = A·orth(Aᵀ·Q). Each round
//      multiplies the spectrum by σ², so the directions with large σ dominate the
//      sketch even when the singular values decay slowly. Q is re-orthonormalised
//      (by QR) before every product, or rounding would collapse every column
//      onto the top singular vector (σ₁^{2q} swamps the rest).
//   3. Q = orth(Y) (m × l, orthonormal columns): A ≈ Q·Qᵀ·A.
//   4. B = Qᵀ·A is only l × n: its exact SVD B = Ũ·Σ·Vᵀ is cheap, and
//      A ≈ (Q·Ũ)·Σ·Vᵀ. Keep the first k triplets.
// Cost: (2q + 2) products of A with an l-column matrix, O(m·n·l) each, instead of
// the O(m·n·min(m, n)) of a full SVD. With p ≈ 10 and q ≈ 4 the top-k values
// agree with the exact ones to float precision unless σ_k ≈ σ_{k+1}.
import Tensor

/// Top-k singular value decomposition by random sketching and subspace iteration.
public enum RandomizedSVD {
    /// The leading `rank` singular triplets of A [m, n]: A ≈ u·diag(s)·vt.
    ///
    /// - Parameters:
    ///   - a: The matrix A [m, n].
    ///   - rank: How many triplets to return, 1 ≤ rank ≤ min(m, n).
    ///   - oversamples: Extra sketch columns p beyond `rank` (the sketch has min(rank + p, min(m, n)) columns).
    ///   - powerIterations: Rounds q of multiplying by A·Aᵀ, each re-orthonormalised by QR.
    ///   - seed: Seed of the Gaussian test matrix Ω; the same seed gives the same result.
    /// - Returns: `u` [m, rank] with orthonormal columns, `s` [rank] descending, `vt` [rank, n]
    ///   with orthonormal rows. Each (uᵢ, vᵢ) pair is determined only up to a shared sign.
    /// - Throws: `EstimatorError.invalidParameter` for a rank, oversample count or power
    ///   iteration count out of range; `LinearAlgebraError` if the small SVD fails (NaN in A).
    public static func decompose(_ a: Tensor, rank: Int, oversamples: Int = 10, powerIterations: Int = 4,
                                 seed: UInt64 = 0) throws -> (u: Tensor, s: Tensor, vt: Tensor) {
        precondition(a.rank == 2, "RandomizedSVD.decompose: A must be a matrix [m, n], got shape \(a.shape)")
        let (m, n) = (a.shape[0], a.shape[1])
        guard rank >= 1 && rank <= Swift.min(m, n) else {
            throw EstimatorError.invalidParameter(name: "rank", value: "\(rank)",
                                                  expected: "1 ≤ rank ≤ min(m, n) = \(Swift.min(m, n))")
        }
        guard oversamples >= 0 else {
            throw EstimatorError.invalidParameter(name: "oversamples", value: "\(oversamples)", expected: "≥ 0")
        }
        guard powerIterations >= 0 else {
            throw EstimatorError.invalidParameter(name: "powerIterations", value: "\(powerIterations)",
                                                  expected: "≥ 0")
        }
        let l = Swift.min(rank + oversamples, Swift.min(m, n))

        // 1. Y = A·Ω, Ω ~ N(0, 1)^{n × l}.
        let omega = Tensor.normal([n, l], seed: seed)
        var q = LinearAlgebra.qr(Tensor.matmul(a, omega)).q                  // [m, l]
        // 2. Subspace iteration, orthonormalising after every product.
        for _ in 0..<powerIterations {
            let z = LinearAlgebra.qr(Tensor.matmul(a, q, transposeA: true)).q   // orth(Aᵀ·Q): [n, l]
            q = LinearAlgebra.qr(Tensor.matmul(a, z)).q                         // orth(A·Z):  [m, l]
        }
        // 4. B = Qᵀ·A [l, n] and its exact SVD.
        let b = Tensor.matmul(q, a, transposeA: true)
        let small = try LinearAlgebra.svd(b)                                  // Ũ [l, l], Σ [l], Vᵀ [l, n]
        let u = Tensor.matmul(q, leadingColumns(small.u, rank))               // Q·Ũ_k: [m, rank]
        let s = Tensor(Array(small.s.scalars.prefix(rank)))
        let vt = leadingRows(small.vt, rank)
        return (u, s, vt)
    }

    /// The first `count` columns of a matrix [r, c], as [r, count].
    static func leadingColumns(_ matrix: Tensor, _ count: Int) -> Tensor {
        let (rows, columns) = (matrix.shape[0], matrix.shape[1])
        var out = Tensor(uninitializedShape: [rows, count])
        matrix.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for i in 0..<rows {
                    for j in 0..<count { target[i * count + j] = source[i * columns + j] }
                }
            }
        }
        return out
    }

    /// The first `count` rows of a matrix [r, c], as [count, c].
    static func leadingRows(_ matrix: Tensor, _ count: Int) -> Tensor {
        let columns = matrix.shape[1]
        return Tensor(shape: [count, columns], scalars: Array(matrix.scalars.prefix(count * columns)))
    }
}
