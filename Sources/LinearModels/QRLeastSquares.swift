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
// LAPACK is column-major: the centring pass writes X̃ column by column, and
// sgeqrf factors it in place; sormqr then applies the stored reflections to ỹ
// (Qᵀỹ) without ever forming Q (forming Q would double the work).
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

    /// w minimising ‖X̃w − ỹ‖² for X [n, d] and y [n] centred by `centring`, and whether R was of full rank.
    static func solve(_ x: Tensor, _ y: Tensor, centring: InterceptByCentring) throws -> (coefficients: [Float], fullRank: Bool) {
        let (n, d) = (x.shape[0], x.shape[1])
        if d == 0 { return ([], true) }
        let target = centring.centred(target: y)
        if n >= d {
            var a = centring.centredColumnMajor(x)           // X̃, column-major n×d; becomes R and the reflectors
            var tau = [Float](repeating: 0, count: d)
            var rotated = target.scalars                      // becomes Qᵀỹ
            let fullRank = a.withUnsafeMutableBufferPointer { a -> Bool in
                var info = withWorkspace { work, size in
                    LAPACKE_sgeqrf_work(LAPACK_COL_MAJOR, Int32(n), Int32(d), a.baseAddress, Int32(n), &tau, work, size)
                }
                precondition(info == 0, "QRLeastSquares: sgeqrf failed with info \(info) for X [\(n), \(d)]")
                let diagonal = (0..<d).map { Swift.abs(a[$0 * n + $0]) }   // |R[j,j]|
                let largest = diagonal.max() ?? 0
                guard largest > 0, diagonal.allSatisfy({ $0 > rankCutoff(rows: n, columns: d) * largest }) else {
                    return false
                }
                info = withWorkspace { work, size in
                    LAPACKE_sormqr_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), CChar(UInt8(ascii: "T")),
                                        Int32(n), 1, Int32(d), a.baseAddress, Int32(n), tau, &rotated, Int32(n), work, size)
                }
                precondition(info == 0, "QRLeastSquares: sormqr failed with info \(info) for X [\(n), \(d)]")
                // Back substitution: w_j = (z_j − Σ_{k>j} R[j,k]·w_k) / R[j,j], from the last row up.
                cblas_strsv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, Int32(d), a.baseAddress, Int32(n),
                            &rotated, 1)
                return true
            }
            if fullRank { return (Array(rotated.prefix(d)), true) }
        }
        // Fewer rows than features, or R (numerically) singular: the minimum-norm solution.
        do {
            return (try LinearAlgebra.leastSquares(centring.centred(x), target).scalars, false)
        } catch {
            throw EstimatorError.singularSystem(method: "LinearRegression(solver: .qr)",
                                                detail: "the SVD of X did not converge (\(error))")
        }
    }

    /// Runs a LAPACKE `_work` routine twice: first with lwork = −1 to learn the workspace size, then with it.
    static func withWorkspace(_ routine: (UnsafeMutablePointer<Float>, Int32) -> Int32) -> Int32 {
        var size: Float = 0
        let info = routine(&size, -1)
        if info != 0 { return info }
        let count = Swift.max(1, Int(size.nextUp))
        var work = [Float](repeating: 0, count: count)
        return work.withUnsafeMutableBufferPointer { routine($0.baseAddress!, Int32(count)) }
    }
}
