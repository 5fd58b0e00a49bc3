// Determinant: det A from the LU factorisation P·A = L·U.
//
// det is multiplicative and a triangular matrix's determinant is the product
// of its diagonal, so
//   det A = det(P)·det(L)·det(U) = (±1) · 1 · Π_i U[i, i],
// with det(P) = (−1)^(number of row swaps). A zero pivot means det A = 0.
//
// The product over- or underflows quickly (a 64×64 matrix of N(0, 1) entries
// has |det| near 10⁴⁴, beyond Float's 3.4·10³⁸), so we multiply in Double and
// also offer the sign with log|det A| = Σ_i log|U[i, i]| (NumPy's slogdet),
// which is what log-likelihoods of Gaussians need.

import CBLAS
import Foundation

extension LinearAlgebra {
    /// The determinant of a square matrix (NumPy's `numpy.linalg.det`).
    ///
    /// Returns 0 for a matrix whose LU factorisation meets an exact zero pivot, ±infinity when
    /// |det| exceeds Float's range, and NaN when A holds NaN.
    public static func determinant(_ a: Tensor) -> Float {
        let lu = luFactorization(a, op: "determinant")
        if lu.info < 0 { return .nan }      // LAPACKE rejected A: it holds NaN
        if lu.info > 0 { return 0 }         // an exact zero pivot
        let n = a.shape[0]
        var product = Double(lu.permutationSign)
        lu.packed.withUnsafeBufferPointer { u in
            for i in 0..<n { product *= Double(u[i * n + i]) }
        }
        return Float(product)
    }

    /// The sign of det A and log|det A| (NumPy's `numpy.linalg.slogdet`): det A = sign · exp(logAbs).
    ///
    /// Works where `determinant` over- or underflows. A singular matrix gives (0, −infinity);
    /// a matrix holding NaN gives (NaN, NaN).
    public static func signAndLogDeterminant(_ a: Tensor) -> (sign: Float, logAbs: Float) {
        let lu = luFactorization(a, op: "signAndLogDeterminant")
        if lu.info < 0 { return (.nan, .nan) }
        if lu.info > 0 { return (0, -.infinity) }
        let n = a.shape[0]
        var sign = lu.permutationSign
        var logAbs = 0.0
        lu.packed.withUnsafeBufferPointer { u in
            for i in 0..<n {
                let pivot = u[i * n + i]
                if pivot < 0 { sign = -sign }
                logAbs += Foundation.log(Double(Swift.abs(pivot)))
            }
        }
        return (sign, Float(logAbs))
    }
}

extension Tensor {
    /// The determinant of this square matrix; see `LinearAlgebra.determinant(_:)`.
    public func determinant() -> Float { LinearAlgebra.determinant(self) }
}
