// Matrix product of Variables.
//
//   out = A · B   (A: m×k, B: k×n)
//   ∂L/∂A = ∂L/∂out · Bᵀ     (m×n · n×k = m×k)
//   ∂L/∂B = Aᵀ · ∂L/∂out     (k×m · m×n = k×n)
// For stacks of matrices the same holds per matrix; a batch axis that was
// broadcast is summed back. The transposes are passed to GEMM as flags, never
// written out.

import Tensor

extension Variable {
    /// The matrix product (NumPy's matmul rules for 2-D and stacked matrices).
    public func matmul(_ other: Variable) -> Variable {
        precondition(rank >= 2 && other.rank >= 2,
                     "matmul: Variables must be matrices or stacks of matrices, shapes \(shape) and \(other.shape)")
        let a = self, b = other
        return Variable(Tensor.matmul(a.value, b.value), op: "matmul", parents: [a, b]) { g in
            let gradA = Tensor.matmul(g, b.value, transposeB: true)    // (…, m, n) · (…, n, k)
            let gradB = Tensor.matmul(a.value, g, transposeA: true)    // (…, k, m) · (…, m, n)
            return [gradA.summed(toShape: a.shape), gradB.summed(toShape: b.shape)]
        }
    }

    /// Number of axes.
    public var rank: Int { value.rank }
}
