// Least squares by QR: min ‖X̃w − ỹ‖² without forming X̃ᵀX̃.
//
// Householder QR writes X̃ = Q·R with Q [n, d] having orthonormal columns and R
// [d, d] upper triangular. Because Q's columns are orthonormal,
//     ‖X̃w − ỹ‖² = ‖R·w − Qᵀỹ‖² + ‖(I − QQᵀ)ỹ‖²,
// and the second term does not depend on w, so the minimiser solves the
// triangular system  R·w = Qᵀỹ  by back substitution (d² flops).
// The condition number of R is that of X̃, not its square as in the normal
// equations, so QR keeps twice as many correct digits on ill-conditioned data
// (at about twice the flops: 2nd² against nd²).
//
// Rank deficiency: when a column of X̃ is a combination of earlier ones, the
// matching diagonal entry of R is (numerically) zero and R·w = Qᵀỹ has no
// unique solution. Then we return the minimum-norm least-squares solution,
// w = X̃⁺ỹ (LinearAlgebra.leastSquares, an SVD), which is what NumPy's lstsq
// gives; the report's solver name says so.
import CBLAS

/// Least-squares weights from the QR factorisation of the (centred) design matrix.
enum QRLeastSquares {
    /// |R[j,j]| ≤ cutoff·max|R[i,i]| counts as zero: NumPy's lstsq default, ε·max(n, d).
    static func rankCutoff(rows: Int, columns: Int) -> Float { Float.ulpOfOne * Float(Swift.max(rows, columns)) }

    /// w minimising ‖X̃w − ỹ‖² for centred X̃ [n, d] and ỹ [n], and whether R was of full rank.
    static func solve(_ x: Tensor, _ y: Tensor) throws -> (coefficients: [Float], fullRank: Bool) {
        let (n, d) = (x.shape[0], x.shape[1])
        if d == 0 { return ([], true) }
        if n >= d {
            let (q, r) = LinearAlgebra.qr(x)                       // q: [n, d], r: [d, d]
            let diagonal = r.withUnsafeBufferPointer { rp in (0..<d).map { Swift.abs(rp[$0 * d + $0]) } }
            let largest = diagonal.max() ?? 0
            if largest > 0, diagonal.allSatisfy({ $0 > rankCutoff(rows: n, columns: d) * largest }) {
                var w = Tensor.matmul(q, y, transposeA: true)      // Qᵀỹ: [d]
                r.withUnsafeBufferPointer { rp in
                    w.withUnsafeMutableBufferPointer { wp in
                        // Back substitution: w_j = (z_j − Σ_{k>j} R[j,k]·w_k) / R[j,j], from the last row up.
                        cblas_strsv(CblasRowMajor, CblasUpper, CblasNoTrans, CblasNonUnit, Int32(d),
                                    rp.baseAddress, Int32(d), wp.baseAddress, 1)
                    }
                }
                return (w.scalars, true)
            }
        }
        // Fewer rows than features, or R (numerically) singular: the minimum-norm solution.
        do {
            return (try LinearAlgebra.leastSquares(x, y).scalars, false)
        } catch {
            throw EstimatorError.singularSystem(method: "LinearRegression(solver: .qr)",
                                                detail: "the SVD of X did not converge (\(error))")
        }
    }
}
