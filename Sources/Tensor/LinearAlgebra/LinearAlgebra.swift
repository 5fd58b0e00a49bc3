// LinearAlgebra: dense matrix factorisations through LAPACK (OpenBLAS's LAPACKE).
//
// Every routine here factors a matrix into simple pieces and reads its answer
// off the pieces:
//   LU        P·A = L·U              solve, inverse, determinant
//   Cholesky  A = L·Lᵀ (A SPD)       normal equations, Gaussian log-likelihoods
//   QR        A = Q·R                least squares, orthonormal bases
//   eigh      A = V·diag(w)·Vᵀ       PCA on a covariance matrix
//   SVD       A = U·diag(s)·Vᵀ       PCA on data, rank, least squares
// Each one lives in its own file; this file holds what they share.
//
// Conventions
// - Float only: the `s` routines (sgesv, spotrf, …), like the rest of Tensor.
// - Row-major: we call LAPACKE with LAPACK_ROW_MAJOR. LAPACK itself is
//   column-major (Fortran); LAPACKE copies a row-major matrix into a
//   column-major scratch buffer, calls LAPACK and copies the result back. The
//   two copies cost O(n²) next to the O(n³) factorisation, and every matrix in
//   and out of this namespace is an ordinary row-major Tensor.
// - Inputs are never changed: LAPACK overwrites its matrices, so each routine
//   first takes a `var` copy of the Tensor, and copy-on-write duplicates the
//   Floats on the first write.
// - Shapes that make no sense (a non-square matrix to `inverse`, B with the
//   wrong number of rows) are programmer errors: `precondition`, naming the
//   operation and both shapes. What depends on the numbers (a singular or
//   indefinite matrix, NaN in the data, no convergence) throws a
//   `LinearAlgebraError`.

import CBLAS

/// Dense linear algebra on rank-2 tensors (NumPy's `numpy.linalg` and SciPy's `scipy.linalg`).
///
/// Matrices are row-major `Tensor`s of shape `[rows, columns]`; right-hand sides may be a
/// vector `[n]` or a matrix `[n, k]` (k right-hand sides, one per column).
public enum LinearAlgebra {
    /// LAPACK's integer. lapacke.h spells it `lapack_int`, a C macro (int32_t in Debian's LP64
    /// build) that Swift does not import; an ILP64 build would fail to compile here, not misbehave.
    typealias LAPACKInt = Int32

    /// Matrix layout passed to every LAPACKE call: row-major, LAPACKE transposes internally.
    static let layout = LAPACK_ROW_MAJOR

    /// The number of rows and columns of a rank-2 tensor.
    static func matrixSize(_ a: Tensor, op: String) -> (rows: Int, columns: Int) {
        precondition(a.rank == 2, "\(op): expected a matrix (rank 2), got shape \(a.shape)")
        return (a.shape[0], a.shape[1])
    }

    /// The size n of an n×n tensor.
    static func squareSize(_ a: Tensor, op: String) -> Int {
        let (rows, columns) = matrixSize(a, op: op)
        precondition(rows == columns, "\(op): expected a square matrix, got shape \(a.shape)")
        return rows
    }

    /// Checks that `b` is a right-hand side for a matrix `a` with `rows` rows: shape [rows] or
    /// [rows, k]. Returns k (1 for a vector).
    static func rightHandSideCount(_ b: Tensor, rows: Int, a: Tensor, op: String) -> Int {
        precondition((b.rank == 1 || b.rank == 2) && b.shape[0] == rows,
                     "\(op): A has shape \(a.shape), so B must have shape [\(rows)] or [\(rows), k]; got \(b.shape)")
        return b.rank == 1 ? 1 : b.shape[1]
    }

    /// A size as LAPACK's integer.
    static func lapackInt(_ size: Int) -> LAPACKInt {
        precondition(size <= Int(LAPACKInt.max), "LinearAlgebra: size \(size) exceeds LAPACK's integer range")
        return LAPACKInt(size)
    }

    /// A one-letter option of a LAPACK routine ("L" lower triangle, "V" with vectors, …) as a C char.
    static func flag(_ letter: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: letter)) }

    /// A leading dimension: the distance between consecutive rows of a row-major matrix.
    /// LAPACK wants at least 1 even for a matrix with no columns.
    static func leading(_ columns: Int) -> LAPACKInt { lapackInt(Swift.max(1, columns)) }

    /// The error for a negative `info`: LAPACKE rejected an argument (NaN in a matrix) or ran out of memory.
    static func argumentError(_ info: LAPACKInt, operation: String, routine: String) -> LinearAlgebraError {
        if info == LAPACK_WORK_MEMORY_ERROR || info == LAPACK_TRANSPOSE_MEMORY_ERROR {
            return .outOfMemory(operation: operation, routine: routine)
        }
        return .invalidArgument(operation: operation, routine: routine, position: Int(-info))
    }
}
