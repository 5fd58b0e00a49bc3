// The small matrix product of every recurrent step, with the weight laid out once.
//
//   C (+)= A · B      A: m×k (rows lda apart), B: k×n row-major, C: m×n (rows ldc apart)
// A recurrent layer multiplies a thin state (m = batch rows) by the same weight
// at each of T steps. A general GEMM re-packs the weight on every call (the
// weight is the big operand here, 4H×H), which costs about as much as the
// multiply-adds themselves at batch 32. This kernel reads B in place instead:
// the caller lays the weight out once per sequence as k×n rows, and each 8×32
// tile of C lives in sixteen SIMD16 registers while p runs over k:
//   C[i..i+8, j..j+32] += A[i..i+8, p] ⊗ B[p, j..j+32]      (16 FMAs per 2 vector loads)
// The k×32 strip of B (32 KiB for k = 256) stays in the L1 cache while every
// 8-row block of A passes over it.
// n must be a multiple of 16 (other sizes go to GEMM); leftover rows and a last
// 16-column strip take the one-row, one-vector loop of `tile`.

import Tensor

enum RecurrentProduct {
    /// C (+)= A·B as above; `accumulate` false overwrites C.
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                         b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        guard n % 16 == 0 else {
            GEMM.multiply(m: m, n: n, k: k, a: a, lda: lda, transposeA: false, b: b, ldb: n, transposeB: false,
                          c: c, ldc: ldc, accumulate: accumulate)
            return
        }
        // Strips of 32 columns (the last may be 16) are independent: split them across cores
        // when the product is big enough to repay the hand-off (a million multiply-adds).
        let strips = (n + 31) / 32
        let threads = m * n * k >= 1 << 20 ? ComputeThreads.count : 1
        let cOut = ParallelWritePointer(c)
        Parallel.forRanges(strips, minimumPerThread: 1, threads: threads) { range in
            for strip in range {
                let j = strip * 32
                let vectors = Swift.min(2, (n - j) / 16)
                var i = 0
                while i < m {
                    let rows = Swift.min(8, m - i)
                    tile(rows: rows, vectors: vectors, k: k, a: a + i * lda, lda: lda, b: b + j, ldb: n,
                         c: cOut.pointer + i * ldc + j, ldc: ldc, accumulate: accumulate)
                    i += rows
                }
            }
        }
    }

    /// One tile of up to 8 rows × up to 2 vectors of 16 columns.
    @inline(__always)
    private static func tile(rows: Int, vectors: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                             b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        if rows == 8 && vectors == 2 {
            var r0 = Row32(), r1 = Row32(), r2 = Row32(), r3 = Row32(), r4 = Row32(), r5 = Row32(), r6 = Row32(), r7 = Row32()
            var bp = b
            for p in 0..<k {
                let b0 = load(bp), b1 = load(bp + 16)
                r0.add(a[p], b0, b1); r1.add(a[lda + p], b0, b1)
                r2.add(a[2 * lda + p], b0, b1); r3.add(a[3 * lda + p], b0, b1)
                r4.add(a[4 * lda + p], b0, b1); r5.add(a[5 * lda + p], b0, b1)
                r6.add(a[6 * lda + p], b0, b1); r7.add(a[7 * lda + p], b0, b1)
                bp += ldb
            }
            r0.store(c, accumulate); r1.store(c + ldc, accumulate)
            r2.store(c + 2 * ldc, accumulate); r3.store(c + 3 * ldc, accumulate)
            r4.store(c + 4 * ldc, accumulate); r5.store(c + 5 * ldc, accumulate)
            r6.store(c + 6 * ldc, accumulate); r7.store(c + 7 * ldc, accumulate)
            return
        }
        // Edge tiles: one row and one vector at a time.
        for r in 0..<rows {
            for v in 0..<vectors {
                var sum = SIMD16<Float>()
                var bp = b + v * 16
                for p in 0..<k {
                    sum.addProduct(a[r * lda + p], load(bp))
                    bp += ldb
                }
                let to = c + r * ldc + v * 16
                store(accumulate ? load(to) + sum : sum, to)
            }
        }
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }

    @inline(__always)
    static func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
    }
}

/// Thirty-two running sums of one row of C, in two SIMD16 registers.
private struct Row32 {
    var v0 = SIMD16<Float>(), v1 = SIMD16<Float>()

    @inline(__always)
    mutating func add(_ a: Float, _ b0: SIMD16<Float>, _ b1: SIMD16<Float>) {
        let s = SIMD16<Float>(repeating: a)
        v0.addProduct(s, b0); v1.addProduct(s, b1)
    }

    @inline(__always)
    func store(_ c: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
        if accumulate {
            RecurrentProduct.store(RecurrentProduct.load(c) + v0, c)
            RecurrentProduct.store(RecurrentProduct.load(c + 16) + v1, c + 16)
        } else {
            RecurrentProduct.store(v0, c); RecurrentProduct.store(v1, c + 16)
        }
    }
}
