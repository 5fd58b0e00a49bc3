// Inverse: A⁻¹ with A·A⁻¹ = A⁻¹·A = I, from the LU factorisation.
//
// With P·A = L·U, A⁻¹ = U⁻¹·L⁻¹·P: LAPACK's sgetri inverts the triangular U,
// then solves for A⁻¹ from A⁻¹·L = U⁻¹ and undoes the row swaps as column
// swaps. About 2n³ flops in all (factor + invert).
//
// Forming the inverse is rarely needed: to get x = A⁻¹·b, `solve` is cheaper
// (2n³/3 + 2n² flops) and more accurate. The inverse is worth having when its
// entries themselves mean something (a precision matrix, the covariance of
// regression coefficients σ²(XᵀX)⁻¹) or for teaching.

import CBLAS

extension LinearAlgebra {
    /// The inverse of a square matrix (NumPy's `numpy.linalg.inv`).
    ///
    /// - Throws: `LinearAlgebraError.singular` when the LU factorisation meets an exact zero
    ///   pivot, `.invalidArgument` when A holds NaN.
    public static func inverse(_ a: Tensor) throws -> Tensor {
        let n = squareSize(a, op: "inverse")
        // A 0×0 matrix is its own inverse. (sgetri would reject it: its workspace query answers
        // 0, below the minimum size 1 it then demands.)
        if n == 0 { return a }
        var lu = luFactorization(a, op: "inverse")
        if lu.info < 0 { throw argumentError(lu.info, operation: "inverse", routine: "LAPACKE_sgetrf") }
        if lu.info > 0 { throw LinearAlgebraError.singular(operation: "inverse", pivot: Int(lu.info) - 1) }
        let pivots = lu.pivots
        let info = lu.packed.withUnsafeMutableBufferPointer { buffer in
            LAPACKE_sgetri(layout, lapackInt(n), buffer.baseAddress, leading(n), pivots)
        }
        if info < 0 { throw argumentError(info, operation: "inverse", routine: "LAPACKE_sgetri") }
        if info > 0 { throw LinearAlgebraError.singular(operation: "inverse", pivot: Int(info) - 1) }
        return lu.packed
    }
}

extension Tensor {
    /// The inverse of this square matrix; see `LinearAlgebra.inverse(_:)`.
    public func inverse() throws -> Tensor { try LinearAlgebra.inverse(self) }
}
