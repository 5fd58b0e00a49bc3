// LU: P·A = L·U, the factorisation behind solve, inverse and determinant.
//
// Gaussian elimination with partial pivoting: at step j, swap into row j the
// row whose entry in column j is largest in magnitude (the pivot), then
// subtract multiples of row j to zero column j below it. The multipliers form
// L (unit lower triangular), what remains is U (upper triangular), and the
// swaps form the permutation P. 2n³/3 flops (LAPACK's sgetrf, blocked so that
// most of the work runs as matrix products).
//
// LAPACK packs the result into one n×n matrix: U on and above the diagonal,
// L's multipliers below it (L's unit diagonal is implied). `pivots[i] = p`
// (counted from 1, Fortran style) records that step i swapped rows i and p−1.
// A zero pivot U[j, j] = 0 means A is singular; LAPACK still finishes the
// factorisation and reports the first such j as info = j + 1.

import CBLAS

extension LinearAlgebra {
    /// The packed LU factorisation of a square matrix, as sgetrf returns it.
    struct LUFactorization {
        /// U on and above the diagonal, L's multipliers below it.
        var packed: Tensor
        /// Row swaps: step i swapped rows i and `pivots[i] − 1`.
        var pivots: [LAPACKInt]
        /// sgetrf's result: 0, −(argument rejected), or (index from 1 of the first zero pivot).
        var info: LAPACKInt

        /// det(P) = ±1: −1 for each step that actually swapped two rows.
        var permutationSign: Float {
            var sign: Float = 1
            for (i, p) in pivots.enumerated() where Int(p) - 1 != i { sign = -sign }
            return sign
        }
    }

    /// Factors P·A = L·U (a is n×n; `op` names the public operation in messages).
    static func luFactorization(_ a: Tensor, op: String) -> LUFactorization {
        let n = squareSize(a, op: op)
        var packed = a
        var pivots = [LAPACKInt](repeating: 0, count: n)
        let info = packed.withUnsafeMutableBufferPointer { buffer in
            LAPACKE_sgetrf(layout, lapackInt(n), lapackInt(n), buffer.baseAddress, leading(n), &pivots)
        }
        return LUFactorization(packed: packed, pivots: pivots, info: info)
    }
}
