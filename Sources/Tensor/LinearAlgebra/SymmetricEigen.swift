// eigh: the eigendecomposition of a real symmetric matrix, A = V·diag(w)·Vᵀ.
//
// A symmetric A has n real eigenvalues w_1 ≤ … ≤ w_n and an orthonormal basis
// of eigenvectors v_i (A·v_i = w_i·v_i, VᵀV = I). LAPACK's ssyevd reduces A
// to tridiagonal form with orthogonal similarity transforms (QᵀAQ = T) and
// finds T's eigenpairs by divide and conquer, about 9n³ flops with vectors.
//
// Used by PCA: the eigenvectors of the covariance matrix Xᵀ X / (N − 1) of
// centred data are the principal directions, and the eigenvalues the variance
// along each, so the last columns (largest values) are the components kept.
// Also: definiteness tests (all w_i > 0), matrix square roots and powers.
// Each eigenvector is determined only up to sign (up to a rotation within a
// repeated eigenvalue's eigenspace).

import CBLAS

extension LinearAlgebra {
    /// Eigenvalues and eigenvectors of a symmetric matrix (NumPy's `numpy.linalg.eigh`).
    ///
    /// Only the lower triangle of `a` is read. Returns `values` [n] in ascending order and
    /// `vectors` n×n whose column i is the unit eigenvector for `values[i]`, so that
    /// A = vectors · diag(values) · vectorsᵀ.
    /// - Throws: `LinearAlgebraError.didNotConverge` if the divide-and-conquer iteration fails,
    ///   `.invalidArgument` when A holds NaN.
    public static func eigh(_ a: Tensor) throws -> (values: Tensor, vectors: Tensor) {
        let n = squareSize(a, op: "eigh")
        var vectors = a                      // overwritten by the eigenvectors
        var values = Tensor(uninitializedShape: [n])
        let info = vectors.withUnsafeMutableBufferPointer { v in
            values.withUnsafeMutableBufferPointer { w in
                LAPACKE_ssyevd(layout, flag("V"), flag("L"), lapackInt(n),
                               v.baseAddress, leading(n), w.baseAddress)
            }
        }
        if info < 0 { throw argumentError(info, operation: "eigh", routine: "LAPACKE_ssyevd") }
        if info > 0 { throw LinearAlgebraError.didNotConverge(operation: "eigh", unconverged: Int(info)) }
        return (values, vectors)
    }
}
