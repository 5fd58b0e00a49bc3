// SVD: A = U·diag(s)·Vᵀ for any m×n A.
//
// U's columns (left singular vectors) and V's columns (right singular
// vectors) are orthonormal and s_1 ≥ s_2 ≥ … ≥ s_k ≥ 0, k = min(m, n). Read
// as geometry: Vᵀ rotates, diag(s) stretches along the axes, U rotates. The
// singular values are the square roots of the eigenvalues of AᵀA, computed
// without forming AᵀA. LAPACK's sgesdd bidiagonalises A and finishes by
// divide and conquer.
//
// Used for PCA on a centred data matrix X (the rows of Vᵀ are the principal
// directions, s²/(N − 1) the variances), least squares and the pseudo-inverse
// (x = V·diag(1/s)·Uᵀ·b), the rank (count of s_i above a cutoff), the
// condition number s_1/s_k, and the best rank-r approximation (keep the first
// r terms, Eckart–Young).

import CBLAS

extension LinearAlgebra {
    /// The singular value decomposition A = U·diag(s)·Vᵀ (NumPy's `numpy.linalg.svd`).
    ///
    /// With k = min(m, n): `s` is [k] in descending order. With `fullMatrices == false` (the
    /// default, "thin" SVD) `u` is m×k and `vt` is k×n; with `true`, `u` is m×m and `vt` is n×n
    /// (the extra columns complete orthonormal bases). The rows of `vt` are V's columns.
    /// - Throws: `LinearAlgebraError.didNotConverge` if the iteration fails, `.invalidArgument`
    ///   when A holds NaN.
    public static func svd(_ a: Tensor, fullMatrices: Bool = false) throws -> (u: Tensor, s: Tensor, vt: Tensor) {
        let (m, n) = matrixSize(a, op: "svd")
        let k = Swift.min(m, n)
        let uColumns = fullMatrices ? m : k
        let vtRows = fullMatrices ? n : k
        // With no singular values sgesdd returns at once without writing U or Vᵀ; the full
        // factors are then any orthonormal bases: take the identities.
        if k == 0 { return (Tensor.eye(m, uColumns), Tensor.zeros([0]), Tensor.eye(vtRows, n)) }
        var factored = a                     // destroyed by sgesdd
        var u = Tensor(uninitializedShape: [m, uColumns])
        var s = Tensor(uninitializedShape: [k])
        var vt = Tensor(uninitializedShape: [vtRows, n])
        // jobz "A": all of U and Vᵀ; "S": the first k columns of U and rows of Vᵀ.
        let job = flag(fullMatrices ? "A" : "S")
        let info = factored.withUnsafeMutableBufferPointer { f in
            u.withUnsafeMutableBufferPointer { uBuffer in
                s.withUnsafeMutableBufferPointer { sBuffer in
                    vt.withUnsafeMutableBufferPointer { vtBuffer in
                        LAPACKE_sgesdd(layout, job, lapackInt(m), lapackInt(n), f.baseAddress, leading(n),
                                       sBuffer.baseAddress, uBuffer.baseAddress, leading(uColumns),
                                       vtBuffer.baseAddress, leading(n))
                    }
                }
            }
        }
        if info < 0 { throw argumentError(info, operation: "svd", routine: "LAPACKE_sgesdd") }
        if info > 0 { throw LinearAlgebraError.didNotConverge(operation: "svd", unconverged: Int(info)) }
        return (u, s, vt)
    }
}
