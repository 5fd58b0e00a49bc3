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
// written out. A stack of matrices times ONE matrix (a Linear layer on (B, T, in))
// is a single product over all B·T rows: (B·T, k) · (k, n), whose ∂L/∂B is one
// GEMM with inner size B·T rather than B products summed afterwards.
// An input that needs no gradient (a frozen weight, the data) gets none: its
// product is not computed, which is most of what freezing a model saves.

import Tensor

extension Variable {
    /// The GEMM every product of the graph runs on (forward and backward); ops defined outside
    /// Autograd that multiply matrices use it too.
    public static let matmulBackend = MatmulBackend.simd

    /// The matrix product (NumPy's matmul rules for 2-D and stacked matrices).
    public func matmul(_ other: Variable) -> Variable {
        precondition(rank >= 2 && other.rank >= 2,
                     "matmul: Variables must be matrices or stacks of matrices, shapes \(shape) and \(other.shape)")
        if rank > 2 && other.rank == 2 { return rowsFolded { $0.matmul(other) } }
        let a = self, b = other
        let needsA = a.requiresGrad, needsB = b.requiresGrad
        return Variable(Tensor.matmul(a.value, b.value, backend: Variable.matmulBackend), op: "matmul", parents: [a, b]) { g in
            let gradA = needsA ? Tensor.matmul(g, b.value, transposeB: true, backend: Variable.matmulBackend) : nil  // (…, m, n) · (…, n, k)
            let gradB = needsB ? Tensor.matmul(a.value, g, transposeA: true, backend: Variable.matmulBackend) : nil  // (…, k, m) · (…, m, n)
            return [gradA?.summed(toShape: a.shape), gradB?.summed(toShape: b.shape)]
        }
    }

    /// self · otherᵀ (transposing the last two axes of `other`) without writing the transpose.
    public func matmul(_ other: Variable, transposeOther: Bool) -> Variable {
        if !transposeOther { return matmul(other) }
        precondition(rank >= 2 && other.rank >= 2,
                     "matmul: Variables must be matrices or stacks of matrices, shapes \(shape) and \(other.shape)")
        if rank > 2 && other.rank == 2 { return rowsFolded { $0.matmul(other, transposeOther: true) } }
        let a = self, b = other
        let needsA = a.requiresGrad, needsB = b.requiresGrad
        return Variable(Tensor.matmul(a.value, b.value, transposeB: true, backend: Variable.matmulBackend), op: "matmul", parents: [a, b]) { g in
            let gradA = needsA ? Tensor.matmul(g, b.value, backend: Variable.matmulBackend) : nil                  // (…, m, n) · (…, n, k)
            let gradB = needsB ? Tensor.matmul(g, a.value, transposeA: true, backend: Variable.matmulBackend) : nil  // (…, n, m) · (…, m, k)
            return [gradA?.summed(toShape: a.shape), gradB?.summed(toShape: b.shape)]
        }
    }

    /// (…, m, k) → (rows, k), `product` of that matrix, → (…, m, n): a stack times one matrix as one product.
    private func rowsFolded(_ product: (Variable) -> Variable) -> Variable {
        let leading = Array(shape.dropLast())
        let folded = product(reshaped([leading.reduce(1, *), shape[rank - 1]]))   // (…·m, k) → (…·m, n)
        return folded.reshaped(leading + [folded.shape[1]])
    }

    /// Number of axes.
    public var rank: Int { value.rank }
}
