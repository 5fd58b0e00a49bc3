// The affine map every linear regressor predicts with:
//     ŷᵢ = xᵢᵀw + b        for each row xᵢ of X [m, d],  i.e.  ŷ = X·w + b·1
// One matrix–vector product (BLAS sgemv, 2md flops) and one add.
import CBLAS

/// ŷ = X·w + b, shared by the `predict` of every regressor in this module.
enum AffineMap {
    /// X·w + b for X [m, d]; `model` names the caller in the messages of programmer errors.
    static func apply(_ x: Tensor, coefficients: [Float], intercept: Float, model: String) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == coefficients.count,
                     "\(model).predict: X \(x.shape) must be [m, \(coefficients.count)], the feature count seen in fit")
        let (m, d) = (x.shape[0], x.shape[1])
        var out = Tensor(shape: [m], repeating: intercept)
        if m == 0 || d == 0 { return out }
        x.withUnsafeBufferPointer { xp in
            coefficients.withUnsafeBufferPointer { wp in
                out.withUnsafeMutableBufferPointer { op in
                    // out = 1·X·w + 1·out  (out already holds b)
                    cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(d), 1, xp.baseAddress, Int32(d),
                                wp.baseAddress, 1, 1, op.baseAddress, 1)
                }
            }
        }
        return out
    }

    /// The unfitted-model check every `predict` runs first.
    static func requireFitted(_ fitted: Bool, model: String) {
        precondition(fitted, "\(model).predict: call fit before predict")
    }
}
