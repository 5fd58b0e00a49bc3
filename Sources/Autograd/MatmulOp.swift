// Matrix product of Variables.
//
//   out = A · B   (A: m×k, B: k×n)
//   ∂L/∂A = ∂L/∂out · Bᵀ     (m×n · n×k = m×k)
//   ∂L/∂B = Aᵀ · ∂L/∂out     (k×m · m×n = k×n)
// With B stored transposed (out = A · Bᵀ, B: n×k, as a Linear layer keeps its weight):
//   ∂L/∂A = ∂L/∂out · B      (m×n · n×k = m×k)
//   ∂L/∂B = ∂L/∂outᵀ · A     (n×m · m×k = n×k)
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

    /// self · otherᵀ (transposing the last two axes of `other`) without writing the transpose.
    public func matmul(_ other: Variable, transposeOther: Bool) -> Variable {
        if !transposeOther { return matmul(other) }
        precondition(rank >= 2 && other.rank >= 2,
                     "matmul: Variables must be matrices or stacks of matrices, shapes \(shape) and \(other.shape)")
        let a = self, b = other
        return Variable(Tensor.matmul(a.value, b.value, transposeB: true), op: "matmul", parents: [a, b]) { g in
            let gradA = Tensor.matmul(g, b.value)                       // (…, m, n) · (…, n, k)
            let gradB = Tensor.matmul(g, a.value, transposeA: true)     // (…, n, m) · (…, m, k)
            return [gradA.summed(toShape: a.shape), gradB.summed(toShape: b.shape)]
        }
    }

    /// Number of axes.
    public var rank: Int { value.rank }
}
