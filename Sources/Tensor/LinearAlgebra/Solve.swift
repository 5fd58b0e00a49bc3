// Solve: x with A·x = b for a square A, by LU factorisation with partial pivoting.
//
// LAPACK's sgesv factors P·A = L·U (P a row permutation, L unit lower
// triangular, U upper triangular), then solves two triangular systems:
//   L·y = P·b   (forward substitution),   U·x = y   (back substitution).
// Cost: 2n³/3 flops to factor, 2n² per right-hand side. Solving is cheaper
// and more accurate than forming A⁻¹ and multiplying, so prefer `solve` to
// `inverse` whenever the goal is x.

import CBLAS

extension LinearAlgebra {
    /// Solves A·X = B for X (NumPy's `numpy.linalg.solve`).
    ///
    /// - Parameters:
    ///   - a: an n×n matrix.
    ///   - b: a vector [n] or a matrix [n, k] of k right-hand sides.
    /// - Returns: X with the shape of `b`.
    /// - Throws: `LinearAlgebraError.singular` when the LU factorisation meets an exact zero pivot,
    ///   `.invalidArgument` when A or B holds NaN.
    public static func solve(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let n = squareSize(a, op: "solve")
        let k = rightHandSideCount(b, rows: n, a: a, op: "solve")
        var lu = a            // overwritten by L and U
        var x = b             // overwritten by the solution
        var pivots = [LAPACKInt](repeating: 0, count: n)
        let info = lu.withUnsafeMutableBufferPointer { luBuffer in
            x.withUnsafeMutableBufferPointer { xBuffer in
                LAPACKE_sgesv(layout, lapackInt(n), lapackInt(k),
                              luBuffer.baseAddress, leading(n), &pivots,
                              xBuffer.baseAddress, leading(k))
            }
        }
        if info < 0 { throw argumentError(info, operation: "solve", routine: "LAPACKE_sgesv") }
        if info > 0 { throw LinearAlgebraError.singular(operation: "solve", pivot: Int(info) - 1) }
        return x
    }
}
