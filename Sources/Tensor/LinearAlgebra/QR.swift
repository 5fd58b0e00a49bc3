// QR: A = Q·R, Q with orthonormal columns (QᵀQ = I), R upper triangular.
//
// Householder QR (sgeqrf) zeroes A below the diagonal one column at a time
// with reflections H_j = I − τ_j·v_j·v_jᵀ: R = H_k ⋯ H_2·H_1·A, so
// A = (H_1·H_2 ⋯ H_k)·R. sgeqrf leaves R in the upper triangle and the
// vectors v_j below it, with the scalars τ_j beside; sorgqr multiplies the
// reflections out into the explicit Q.
//
// For an m×n A and k = min(m, n) this returns the reduced factorisation
// (NumPy's mode="reduced"): Q is m×k, R is k×n. Least squares uses it:
// min ‖A·x − b‖ for m ≥ n of full rank is R·x = Qᵀb, solved by back
// substitution without ever forming AᵀA (whose condition number is the
// square of A's). Q's columns are an orthonormal basis of A's column space.

import CBLAS

extension LinearAlgebra {
    /// The reduced QR factorisation A = Q·R of an m×n matrix (NumPy's `numpy.linalg.qr`).
    ///
    /// With k = min(m, n): `q` is m×k with orthonormal columns, `r` is k×n upper triangular
    /// (zeros below the diagonal). Householder QR has no failure mode: NaN in A gives NaN out.
    public static func qr(_ a: Tensor) -> (q: Tensor, r: Tensor) {
        let (m, n) = matrixSize(a, op: "qr")
        let k = Swift.min(m, n)
        var factored = a
        var tau = [Float](repeating: 0, count: k)
        var r = Tensor.zeros([k, n])
        var q = Tensor(uninitializedShape: [m, k])
        factored.withUnsafeMutableBufferPointer { f in
            // The `_work` variants skip LAPACKE's NaN screen (these routines cannot fail on any
            // values) and take the workspace from us: ask for its size with lwork = −1 first.
            var info = withWorkspace { work, lwork in
                LAPACKE_sgeqrf_work(layout, lapackInt(m), lapackInt(n), f.baseAddress, leading(n),
                                    &tau, work, lwork)
            }
            precondition(info == 0, "qr: LAPACKE_sgeqrf_work failed with info \(info) for shape \(a.shape)")

            // R: the upper triangle of the first k rows.
            r.withUnsafeMutableBufferPointer { rBuffer in
                for i in 0..<k {
                    for j in i..<n { rBuffer[i * n + j] = f[i * n + j] }
                }
            }
            // Q: sorgqr turns the leading m×k block (reflectors below the diagonal) into Q in place.
            info = withWorkspace { work, lwork in
                LAPACKE_sorgqr_work(layout, lapackInt(m), lapackInt(k), lapackInt(k), f.baseAddress, leading(n),
                                    tau, work, lwork)
            }
            precondition(info == 0, "qr: LAPACKE_sorgqr_work failed with info \(info) for shape \(a.shape)")
            q.withUnsafeMutableBufferPointer { qBuffer in
                for i in 0..<m {
                    for j in 0..<k { qBuffer[i * k + j] = f[i * n + j] }
                }
            }
        }
        return (q, r)
    }

    /// Runs a LAPACKE `_work` routine twice: first with lwork = −1, when it only writes the
    /// optimal workspace size into `work[0]`, then with a workspace of that size.
    static func withWorkspace(_ routine: (UnsafeMutablePointer<Float>, LAPACKInt) -> LAPACKInt) -> LAPACKInt {
        var size: Float = 0
        let info = routine(&size, -1)
        if info != 0 { return info }
        let count = Swift.max(1, Int(size.nextUp))   // the size comes back as a Float: round up
        var work = [Float](repeating: 0, count: count)
        return work.withUnsafeMutableBufferPointer { routine($0.baseAddress!, lapackInt(count)) }
    }
}
