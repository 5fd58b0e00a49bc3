// The small matrix product of every recurrent step, with the weight laid out once.
//
//   C (+)= A · B      A: m×k (rows lda apart), B: k×n row-major, C: m×n (rows ldc apart)
// A recurrent layer multiplies a thin state (m = batch rows) by the same weight
// at each of T steps. A general GEMM re-packs the weight on every call (the
// weight is the big operand here, 4H×H), which costs about as much as the
// multiply-adds themselves at batch 32. This kernel reads B in place instead:
// the caller lays the weight out once per sequence as k×n rows, and each tile
// of C lives in registers while p runs over k:
//   C[i..i+R, j..j+W] += A[i..i+R, p] ⊗ B[p, j..j+W]
// The tile is chosen to fit the register file (VectorUnit.swift):
//   AVX-512 (32 zmm):  R = 8, W = 32: 16 accumulators, 2 loads of B, 1 broadcast
//   AVX2 (16 ymm):     R = 6, W = 16: 12 accumulators (6 SIMD16 = 12 ymm), 2 loads, 1 broadcast
//                      and R = 4 for the last rows (tileRows(forRemaining:))
// (8×32 on AVX2 would need 32 ymm accumulators and spill on every step.)
// B is packed once into strips: strip s holds columns sW ..< sW + W of every
// row p, contiguously (k×W Floats, zero-padded past n). Read in place from a
// row-major B, a strip's rows lie n Floats apart (4 KiB for n = 1 024): every
// one maps to the same L1 cache set and the strip is evicted as it is read.
// Packed, the k×W strip (16 KiB for k = 256, W = 16) stays in the L1 cache
// while every R-row block of A passes over it. A last block of fewer than R rows runs
// the full tile with its missing rows reading the block's last row, and stores
// only the real ones. n must be a multiple of 16 (other sizes go to GEMM); a
// last 16-column strip on AVX-512 takes the one-row, one-vector loop of `tile`.

import Tensor

enum RecurrentProduct {
    /// Columns of C per strip (W above): 32 with AVX-512's 32 registers, 16 with AVX2's 16 —
    /// the same as the GEMM's NR, so the weight is packed by the GEMM's own B packing.
    static let stripWidth = SIMDGEMM.sliverColumns
    /// Rows of C per register tile (R above).
    static let tileRows = VectorUnit.hasWideRegisters ? 8 : 6

    /// C (+)= A·B as above, B row-major k×n; `accumulate` false overwrites C.
    /// (Packs B for this one call: a recurrent layer packs once per sequence and calls `multiply(…, packed:)`.)
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                         b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        guard n % 16 == 0 else {
            GEMM.multiply(m: m, n: n, k: k, a: a, lda: lda, transposeA: false, b: b, ldb: n, transposeB: false,
                          c: c, ldc: ldc, accumulate: accumulate)
            return
        }
        let packed = PackedOperand(k: k, n: n, source: b, rowStride: n, columnStride: 1)
        multiply(m: m, a: a, lda: lda, packed: packed, c: c, ldc: ldc, accumulate: accumulate)
    }

    /// C (+)= A·B with B already packed into strips (n a multiple of 16).
    static func multiply(m: Int, a: UnsafePointer<Float>, lda: Int, packed: PackedOperand,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        // Strips are independent: split them across cores when the product is big enough
        // to repay the hand-off (a million multiply-adds).
        let threads = m * packed.n * packed.k >= 1 << 20 ? ComputeThreads.count : 1
        let cOut = ParallelWritePointer(c)
        Parallel.forRanges(packed.strips, minimumPerThread: 1, threads: threads) { range in
            multiply(m: m, a: a, lda: lda, packed: packed, strips: range, c: cOut.pointer, ldc: ldc, accumulate: accumulate)
        }
    }

    /// The columns of C (+)= A·B that lie in the packed strips `strips`, on the calling thread.
    static func multiply(m: Int, a: UnsafePointer<Float>, lda: Int, packed: PackedOperand, strips: Range<Int>,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        let n = packed.n, k = packed.k
        for strip in strips {
            let j = strip * stripWidth
            let vectors = Swift.min(stripWidth / 16, (n - j) / 16)
            let b = UnsafePointer(packed.pointer + strip * k * stripWidth)
            var i = 0
            while i < m {
                let rows = tileRows(forRemaining: m - i)
                tile(rows: rows, vectors: vectors, k: k, a: a + i * lda, lda: lda, b: b, ldb: stripWidth,
                     c: c + i * ldc + j, ldc: ldc, accumulate: accumulate)
                i += rows
            }
        }
    }

    /// How many of the `remaining` rows the next tile takes. AVX2 has a 4-row tile beside
    /// the 6-row one, so 32 rows go 6+6+6+6+4+4 instead of 6·5 + 2 (a 6-row tile that
    /// stores 2 rows wastes 4 rows of work: 11% of the whole at batch 32).
    @inline(__always)
    static func tileRows(forRemaining remaining: Int) -> Int {
        guard tileRows == 6 else { return Swift.min(tileRows, remaining) }
        return remaining == 8 || remaining == 4 ? 4 : Swift.min(6, remaining)
    }

    /// One tile of up to `tileRows` rows × up to `stripWidth` / 16 vectors of 16 columns.
    @inline(__always)
    private static func tile(rows: Int, vectors: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                             b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        func row(_ r: Int) -> UnsafePointer<Float> { a + Swift.min(r, rows - 1) * lda }
        func put(_ sum: SIMD16<Float>, row r: Int) {
            guard r < rows else { return }
            let to = c + r * ldc
            store(accumulate ? load(to) + sum : sum, to)
        }
        if tileRows == 6 && vectors == 1 && rows <= 4 {
            // AVX2: four rows of 16 columns (8 accumulators, as many as the FMA units keep in
            // flight); rows past `rows` repeat the last real row and are not stored.
            let a0 = row(0), a1 = row(1), a2 = row(2), a3 = row(3)
            var s0 = SIMD16<Float>(), s1 = SIMD16<Float>(), s2 = SIMD16<Float>(), s3 = SIMD16<Float>()
            var bp = b
            for p in 0..<k {
                let bv = load(bp)
                s0.addProduct(SIMD16(repeating: a0[p]), bv); s1.addProduct(SIMD16(repeating: a1[p]), bv)
                s2.addProduct(SIMD16(repeating: a2[p]), bv); s3.addProduct(SIMD16(repeating: a3[p]), bv)
                bp += ldb
            }
            put(s0, row: 0); put(s1, row: 1); put(s2, row: 2); put(s3, row: 3)
            return
        }
        if tileRows == 6 && vectors == 1 {
            // AVX2: six rows of 16 columns, the same way.
            let a0 = row(0), a1 = row(1), a2 = row(2), a3 = row(3), a4 = row(4), a5 = row(5)
            var s0 = SIMD16<Float>(), s1 = SIMD16<Float>(), s2 = SIMD16<Float>()
            var s3 = SIMD16<Float>(), s4 = SIMD16<Float>(), s5 = SIMD16<Float>()
            var bp = b
            for p in 0..<k {
                let bv = load(bp)
                s0.addProduct(SIMD16(repeating: a0[p]), bv); s1.addProduct(SIMD16(repeating: a1[p]), bv)
                s2.addProduct(SIMD16(repeating: a2[p]), bv); s3.addProduct(SIMD16(repeating: a3[p]), bv)
                s4.addProduct(SIMD16(repeating: a4[p]), bv); s5.addProduct(SIMD16(repeating: a5[p]), bv)
                bp += ldb
            }
            put(s0, row: 0); put(s1, row: 1); put(s2, row: 2); put(s3, row: 3); put(s4, row: 4); put(s5, row: 5)
            return
        }
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

/// A k×n matrix B laid out for RecurrentProduct: strips of `stripWidth` columns, each k×W
/// contiguous and zero-padded past n — SIMDGEMM's packed-B layout, made by its packing code.
final class PackedOperand: @unchecked Sendable {   // written once in init, then only read
    let k: Int, n: Int
    let strips: Int
    let pointer: UnsafeMutablePointer<Float>

    /// Packs B with element (p, j) at source[p·rowStride + j·columnStride] (a transposed B has rowStride 1).
    init(k: Int, n: Int, source: UnsafePointer<Float>, rowStride: Int, columnStride: Int) {
        precondition(n % 16 == 0, "PackedOperand: n must be a multiple of 16, got \(n)")
        let width = RecurrentProduct.stripWidth
        self.k = k
        self.n = n
        strips = (n + width - 1) / width
        pointer = .allocate(capacity: Swift.max(1, strips * k * width))
        SIMDGEMM.packColumnSlivers(source, stepStride: rowStride, columnStride: columnStride,
                                   columns: n, depth: k, into: pointer)
    }

    deinit { pointer.deallocate() }
}
