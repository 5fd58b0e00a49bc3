// Least squares: x minimising ‖A·x − b‖² for an m×n A of any shape and rank.
//
// With the SVD A = U·diag(s)·Vᵀ the minimiser of smallest norm is
//   x = V·diag(1/s)·Uᵀ·b = A⁺·b      (A⁺ the Moore–Penrose pseudo-inverse),
// where singular values s_i ≤ cutoff·s_max count as zero (1/s_i replaced by 0).
// This covers every case in one formula:
//   m > n, full rank   the usual regression fit (A x = b has no exact solution);
//   m < n              infinitely many exact solutions; the shortest one;
//   rank-deficient     duplicated or collinear columns (feature = 2 × another):
//                      the normal equations AᵀA·x = Aᵀb are singular, the
//                      pseudo-inverse still picks the shortest minimiser.
// At the minimum the residual is orthogonal to A's columns: Aᵀ(A·x − b) = 0.
// LAPACK's sgelsd computes it with a divide-and-conquer SVD, without forming
// AᵀA. The default cutoff is NumPy's: machine epsilon × max(m, n).

import CBLAS

extension LinearAlgebra {
    /// The minimum-norm least-squares solution of A·X ≈ B (NumPy's `numpy.linalg.lstsq`).
    ///
    /// - Parameters:
    ///   - a: an m×n matrix, any shape, any rank.
    ///   - b: a vector [m] or a matrix [m, k] (each column solved independently).
    ///   - cutoff: singular values below `cutoff × largest` are treated as zero; the default is
    ///     `Float.ulpOfOne × max(m, n)`.
    /// - Returns: X of shape [n] or [n, k].
    /// - Throws: `LinearAlgebraError.didNotConverge` if the SVD fails to converge,
    ///   `.invalidArgument` when A or B holds NaN.
    public static func leastSquares(_ a: Tensor, _ b: Tensor, cutoff: Float? = nil) throws -> Tensor {
        let (m, n) = matrixSize(a, op: "leastSquares")
        let k = rightHandSideCount(b, rows: m, a: a, op: "leastSquares")
        let cutoff = cutoff ?? Float.ulpOfOne * Float(Swift.max(m, n))
        var factored = a
        // sgelsd reads B from the first m rows and writes X into the first n rows of one
        // max(m, n)×k buffer.
        let rows = Swift.max(m, n)
        var solution = Tensor.zeros([rows, k])
        b.withUnsafeBufferPointer { source in
            solution.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: source.baseAddress!, count: m * k) }
        }
        var singularValues = [Float](repeating: 0, count: Swift.min(m, n))
        var rank: LAPACKInt = 0
        let info = factored.withUnsafeMutableBufferPointer { f in
            solution.withUnsafeMutableBufferPointer { x in
                LAPACKE_sgelsd(layout, lapackInt(m), lapackInt(n), lapackInt(k), f.baseAddress, leading(n),
                               x.baseAddress, leading(k), &singularValues, cutoff, &rank)
            }
        }
        if info < 0 { throw argumentError(info, operation: "leastSquares", routine: "LAPACKE_sgelsd") }
        if info > 0 { throw LinearAlgebraError.didNotConverge(operation: "leastSquares", unconverged: Int(info)) }
        // Keep the first n rows: X is n×k (a vector when b was one).
        var x = Tensor(uninitializedShape: b.rank == 1 ? [n] : [n, k])
        solution.withUnsafeBufferPointer { source in
            x.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: source.baseAddress!, count: n * k) }
        }
        return x
    }
}
