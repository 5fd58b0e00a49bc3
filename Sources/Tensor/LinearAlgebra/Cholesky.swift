// Cholesky: A = L·Lᵀ for a symmetric positive definite (SPD) A, L lower triangular.
//
// Column j of L follows from the columns before it:
//   L[j,j] = √(A[j,j] − Σ_{p<j} L[j,p]²)
//   L[i,j] = (A[i,j] − Σ_{p<j} L[i,p]·L[j,p]) / L[j,j]     for i > j
// The square root has a positive argument exactly when A is positive
// definite, so the factorisation doubles as the cheapest test of SPD-ness
// (n³/3 flops, half of LU). It is how least squares is solved through the
// normal equations (AᵀA)·x = Aᵀb, how ridge regression solves
// (XᵀX + λI)·w = Xᵀy, and how a Gaussian's covariance is sampled from and
// inverted.
//
// Solving with the factor: A·x = b becomes L·y = b (forward substitution)
// then Lᵀ·x = y (back substitution), 2n² flops per right-hand side (spotrs).

import CBLAS

extension LinearAlgebra {
    /// The lower-triangular Cholesky factor L with A = L·Lᵀ (NumPy's `numpy.linalg.cholesky`).
    ///
    /// Only the lower triangle of `a` is read (A is assumed symmetric); the upper triangle of
    /// the result is zero.
    /// - Throws: `LinearAlgebraError.notPositiveDefinite` naming the order of the first leading
    ///   block that is not positive definite; `.invalidArgument` when A holds NaN.
    public static func cholesky(_ a: Tensor) throws -> Tensor {
        let n = squareSize(a, op: "cholesky")
        var l = a
        let info = l.withUnsafeMutableBufferPointer { buffer -> LAPACKInt in
            let info = LAPACKE_spotrf(layout, flag("L"), lapackInt(n), buffer.baseAddress, leading(n))
            // spotrf leaves the strict upper triangle as it found it (a copy of A): clear it.
            for i in 0..<n {
                for j in (i + 1)..<n { buffer[i * n + j] = 0 }
            }
            return info
        }
        if info < 0 { throw argumentError(info, operation: "cholesky", routine: "LAPACKE_spotrf") }
        if info > 0 { throw LinearAlgebraError.notPositiveDefinite(operation: "cholesky", order: Int(info)) }
        return l
    }

    /// Solves A·X = B given the Cholesky factor L of A (from `cholesky`), like SciPy's `cho_solve`.
    ///
    /// - Parameters:
    ///   - l: the n×n lower-triangular factor (its upper triangle is not read).
    ///   - b: a vector [n] or a matrix [n, k].
    /// - Returns: X with the shape of `b`. NaN in L or B propagates into X, as in any arithmetic.
    public static func choleskySolve(_ l: Tensor, _ b: Tensor) -> Tensor {
        let n = squareSize(l, op: "choleskySolve")
        let k = rightHandSideCount(b, rows: n, a: l, op: "choleskySolve")
        var x = b
        // The `_work` variant skips LAPACKE's NaN screen: spotrs has no numerical failure, so with
        // the sizes checked above it cannot fail and NaN simply flows through.
        let info = l.withUnsafeBufferPointer { factor in
            x.withUnsafeMutableBufferPointer { xBuffer in
                LAPACKE_spotrs_work(layout, flag("L"), lapackInt(n), lapackInt(k),
                                    factor.baseAddress, leading(n), xBuffer.baseAddress, leading(k))
            }
        }
        precondition(info == 0, "choleskySolve: LAPACKE_spotrs_work failed with info \(info) for L \(l.shape), B \(b.shape)")
        return x
    }
}
