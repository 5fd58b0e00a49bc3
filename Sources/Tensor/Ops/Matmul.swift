// Matrix multiplication.
//
//     C[i, j] = Σ_p A[i, p] · B[p, j]        A: m×k, B: k×n, C: m×n   (2mnk flops)
//
// Shapes follow `numpy.matmul`: 2-D × 2-D is a matrix product; tensors of rank
// > 2 are stacks of matrices whose leading (batch) axes broadcast; a 1-D left
// operand is a row vector and a 1-D right operand a column vector, and that
// axis is removed from the result. `transposeA`/`transposeB` use Aᵀ or Bᵀ (of
// the last two axes) without writing the transpose.
//
// Two engines do the work: OpenBLAS's `cblas_sgemm` (the default, what NumPy
// uses) and our own `SIMDGEMM` (Kernels/GEMM), the kernel lesson of this module.

import CBLAS

/// Which matrix-multiply engine to use.
public enum MatmulBackend: String, Sendable, CaseIterable {
    /// OpenBLAS `cblas_sgemm`.
    case blas
    /// MLLab's own packed, register-tiled SIMD16 kernel.
    case simd
}

/// Runs one row-major C = op(A)·op(B) (or C += … when `accumulate`) on raw memory.
public enum GEMM {
    public static func multiply(m: Int, n: Int, k: Int,
                                a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
                                b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
                                c: UnsafeMutablePointer<Float>, ldc: Int,
                                accumulate: Bool = false, backend: MatmulBackend = .blas) {
        if m == 0 || n == 0 { return }
        switch backend {
        case .blas:
            cblas_sgemm(CblasRowMajor,
                        transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), 1.0,
                        a, Int32(Swift.max(lda, 1)), b, Int32(Swift.max(ldb, 1)),
                        accumulate ? 1.0 : 0.0, c, Int32(Swift.max(ldc, 1)))
        case .simd:
            SIMDGEMM.multiply(m: m, n: n, k: k, a: a, lda: lda, transposeA: transposeA,
                              b: b, ldb: ldb, transposeB: transposeB, c: c, ldc: ldc,
                              accumulate: accumulate)
        }
    }
}

extension Tensor {
    /// The matrix product `self · other` (see `Tensor.matmul(_:_:transposeA:transposeB:backend:)`).
    public func matmul(_ other: Tensor, backend: MatmulBackend = .blas) -> Tensor {
        Tensor.matmul(self, other, backend: backend)
    }

    /// op(a) · op(b) with NumPy's matmul rules for vectors and stacks of matrices.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
                              backend: MatmulBackend = .blas) -> Tensor {
        precondition(a.rank >= 1 && b.rank >= 1, "matmul: scalars cannot be multiplied as matrices (shapes \(a.shape), \(b.shape))")
        // Vectors become 1×k and k×1 matrices; that axis is dropped again at the end.
        let lhs = a.rank == 1 ? a.reshaped([1, a.count]) : a
        let rhs = b.rank == 1 ? b.reshaped([b.count, 1]) : b
        precondition(!(a.rank == 1 && transposeA) && !(b.rank == 1 && transposeB),
                     "matmul: transposeA/transposeB need a matrix, shapes are \(a.shape), \(b.shape)")
        let (ar, ac) = (lhs.shape[lhs.rank - 2], lhs.shape[lhs.rank - 1])
        let (br, bc) = (rhs.shape[rhs.rank - 2], rhs.shape[rhs.rank - 1])
        let (m, k) = transposeA ? (ac, ar) : (ar, ac)
        let (kb, n) = transposeB ? (bc, br) : (br, bc)
        precondition(k == kb, "matmul: inner sizes differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "") (\(k) vs \(kb))")

        let batchA = Array(lhs.shape.dropLast(2)), batchB = Array(rhs.shape.dropLast(2))
        let batch = broadcastShape(batchA, batchB, op: "matmul (batch axes)")
        var out = Tensor(uninitializedShape: batch + [m, n])   // every element is written by GEMM (zero when k = 0)
        let stridesA = broadcastStrides(batchA, to: batch), stridesB = broadcastStrides(batchB, to: batch)
        let batchCount = batch.reduce(1, *)
        lhs.withUnsafeBufferPointer { ap in
            rhs.withUnsafeBufferPointer { bp in
                out.withUnsafeMutableBufferPointer { cp in
                    for index in 0..<batchCount {
                        // Offsets of matrix number `index` in each operand (stride 0 on broadcast batch axes).
                        var remaining = index, offsetA = 0, offsetB = 0
                        for axis in stride(from: batch.count - 1, through: 0, by: -1) {
                            let i = remaining % batch[axis]
                            remaining /= batch[axis]
                            offsetA += i * stridesA[axis]
                            offsetB += i * stridesB[axis]
                        }
                        GEMM.multiply(m: m, n: n, k: k,
                                      a: ap.baseAddress! + offsetA * ar * ac, lda: ac, transposeA: transposeA,
                                      b: bp.baseAddress! + offsetB * br * bc, ldb: bc, transposeB: transposeB,
                                      c: cp.baseAddress! + index * m * n, ldc: n, backend: backend)
                    }
                }
            }
        }
        var shape = batch
        if a.rank != 1 { shape.append(m) }
        if b.rank != 1 { shape.append(n) }
        return out.reshaped(shape)
    }

    /// The inner product of two vectors of equal length.
    public static func dot(_ a: Tensor, _ b: Tensor) -> Float {
        precondition(a.rank == 1 && b.rank == 1 && a.count == b.count, "dot: needs two vectors of equal length, shapes \(a.shape), \(b.shape)")
        return a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                cblas_sdot(Int32(x.count), x.baseAddress, 1, y.baseAddress, 1)
            }
        }
    }
}
