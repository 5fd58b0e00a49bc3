// GEMMMicroKernel: the register tile, where all the flops of SIMDGEMM happen.
//
//   C[0..<MR, 0..<NR] (+)= Σ_{p < kc} Ã[p, 0..<MR]ᵀ · B̃[p, 0..<NR]      (MR = 12, NR = 32)
//
// Ã is an MR-row sliver of A and B̃ an NR-column sliver of B, both packed by
// GEMMPacking so that step p reads MR consecutive Floats of Ã and NR
// consecutive Floats of B̃. The product is k rank-1 updates (outer products):
//
//                  b0 (16 Floats)  b1 (16 Floats)    <- row p of B̃
//   a0  = Ã[p, 0]  [ c0.left        c0.right  ]      row I of the tile:
//   a1  = Ã[p, 1]  [ c1.left        c1.right  ]        cI.left  += aI · b0
//   …                                                  cI.right += aI · b1
//   a11 = Ã[p, 11] [ c11.left       c11.right ]      (aI broadcast to 16 lanes)
//
// The 12×32 block of C lives in 24 vector registers for the whole loop and
// touches memory only at the end. Each step loads 2 vectors of B̃ and
// broadcasts 12 Floats of Ã (14 loads) to feed 24 fused multiply-adds
// (24 × 16 × 2 = 768 flops). AVX-512 has 32 zmm registers: 24 accumulators,
// 2 for b0 b1 and a few for the broadcasts, so nothing spills. Zen 5 retires
// two 16-wide FMAs per cycle with 4 cycles latency, so at least 8 independent
// accumulators are needed to keep both units busy; 24 leave room to spare.
//
// Compiled with -target-cpu native, the loop below becomes, per step,
// 2 × vmovups (b0, b1), 12 × vbroadcastss (a0 … a11) and 24 × vfmadd231ps on
// zmm registers, unrolled twice, with no stack traffic and no call to fmaf.
// On its own, with Ã and B̃ in L1, it runs at 99% of the core's FMA peak.
//
// AVX2 has 16 ymm registers of 8 Floats, so the 12×32 tile (48 ymm
// accumulators) would spill on every step. There the tile is 6×16 (MR = 6,
// NR = 16): six rows of one SIMD16 each, 12 ymm accumulators, 2 ymm for the
// row of B̃ and one for the broadcast: 12 FMAs per 8 loads, enough independent
// sums for Zen 3's two 8-wide FMA units with 4 cycles latency. VectorUnit
// says which tile this build uses.

/// One row of the register tile: 32 Floats of C as two 16-lane vectors.
struct TileRow {
    var left = SIMD16<Float>()
    var right = SIMD16<Float>()

    @inline(__always)
    init() {}

    /// row += a · [b0 b1]: two fused multiply-adds with the broadcast Float a.
    @inline(__always)
    mutating func addProduct(_ a: Float, _ b0: SIMD16<Float>, _ b1: SIMD16<Float>) {
        let broadcast = SIMD16<Float>(repeating: a)
        left = left.addingProduct(broadcast, b0)
        right = right.addingProduct(broadcast, b1)
    }

    /// Writes the row to c[0..<32] (adding to what is there when `accumulate`).
    @inline(__always)
    func store(to c: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let raw = UnsafeMutableRawPointer(c)
        var l = left, r = right
        if accumulate {
            l += raw.loadUnaligned(as: SIMD16<Float>.self)
            r += raw.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
        }
        raw.storeBytes(of: l, as: SIMD16<Float>.self)
        raw.storeBytes(of: r, toByteOffset: 64, as: SIMD16<Float>.self)
    }
}

extension SIMDGEMM {
    /// Rows of the register tile (MR): 12 with AVX-512's 32 registers, 6 with AVX2's 16.
    static let tileRows = VectorUnit.hasWideRegisters ? 12 : 6
    /// Columns of the register tile (NR): two SIMD16 vectors, or one on AVX2.
    static let tileColumns = VectorUnit.hasWideRegisters ? 32 : 16

    /// C[0..<MR, 0..<NR] = Ã·B̃ (or += when `accumulate`), with Ã a packed MR×kc sliver
    /// (column p at a + MR·p) and B̃ a packed kc×NR sliver (row p at b + NR·p).
    /// C is row-major with leading dimension `ldc` and must hold the whole MR×NR tile.
    @inline(__always)
    static func microKernel(depth: Int,
                            a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                            c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        if VectorUnit.hasWideRegisters {
            wideMicroKernel(depth: depth, a: a, b: b, c: c, ldc: ldc, accumulate: accumulate)
        } else {
            narrowMicroKernel(depth: depth, a: a, aRow: 1, aStep: tileRows, b: b, c: c, ldc: ldc,
                              accumulate: accumulate)
        }
    }

    /// The 6×16 tile (AVX2) reading its six rows of op(A) where they are, row i at a + i·lda,
    /// one Float per step: no packed copy of A (see `SIMDGEMM.readsAInPlace`).
    @inline(__always)
    static func microKernel(depth: Int, rowsOfA a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                            c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        narrowMicroKernel(depth: depth, a: a, aRow: lda, aStep: 1, b: b, c: c, ldc: ldc, accumulate: accumulate)
    }

    /// The 6×16 tile for 16-register machines (AVX2); element (i, p) of the A sliver
    /// at a + i·aRow + p·aStep (packed: aRow = 1, aStep = 6).
    @inline(__always)
    static func narrowMicroKernel(depth: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                                  b: UnsafePointer<Float>,
                                  c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>()
        var c3 = SIMD16<Float>(), c4 = SIMD16<Float>(), c5 = SIMD16<Float>()
        var a = a, b = b
        for _ in 0..<depth {
            let row = UnsafeRawPointer(b).loadUnaligned(as: SIMD16<Float>.self)
            c0.addProduct(SIMD16(repeating: a[0]), row)
            c1.addProduct(SIMD16(repeating: a[aRow]), row)
            c2.addProduct(SIMD16(repeating: a[2 * aRow]), row)
            c3.addProduct(SIMD16(repeating: a[3 * aRow]), row)
            c4.addProduct(SIMD16(repeating: a[4 * aRow]), row)
            c5.addProduct(SIMD16(repeating: a[5 * aRow]), row)
            a += aStep
            b += 16
        }
        func put(_ sum: SIMD16<Float>, _ to: UnsafeMutablePointer<Float>) {
            let raw = UnsafeMutableRawPointer(to)
            let value = accumulate ? sum + raw.loadUnaligned(as: SIMD16<Float>.self) : sum
            raw.storeBytes(of: value, as: SIMD16<Float>.self)
        }
        put(c0, c); put(c1, c + ldc); put(c2, c + 2 * ldc)
        put(c3, c + 3 * ldc); put(c4, c + 4 * ldc); put(c5, c + 5 * ldc)
    }

    /// The 12×32 tile for 32-register machines (AVX-512).
    @inline(__always)
    static func wideMicroKernel(depth: Int,
                                a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                                c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        var c0 = TileRow(), c1 = TileRow(), c2 = TileRow(), c3 = TileRow()
        var c4 = TileRow(), c5 = TileRow(), c6 = TileRow(), c7 = TileRow()
        var c8 = TileRow(), c9 = TileRow(), c10 = TileRow(), c11 = TileRow()
        var a = a, b = b
        for _ in 0..<depth {
            let rawB = UnsafeRawPointer(b)
            let b0 = rawB.loadUnaligned(as: SIMD16<Float>.self)
            let b1 = rawB.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            c0.addProduct(a[0], b0, b1)
            c1.addProduct(a[1], b0, b1)
            c2.addProduct(a[2], b0, b1)
            c3.addProduct(a[3], b0, b1)
            c4.addProduct(a[4], b0, b1)
            c5.addProduct(a[5], b0, b1)
            c6.addProduct(a[6], b0, b1)
            c7.addProduct(a[7], b0, b1)
            c8.addProduct(a[8], b0, b1)
            c9.addProduct(a[9], b0, b1)
            c10.addProduct(a[10], b0, b1)
            c11.addProduct(a[11], b0, b1)
            a += 12
            b += 32
        }
        c0.store(to: c, accumulate: accumulate)
        c1.store(to: c + ldc, accumulate: accumulate)
        c2.store(to: c + 2 * ldc, accumulate: accumulate)
        c3.store(to: c + 3 * ldc, accumulate: accumulate)
        c4.store(to: c + 4 * ldc, accumulate: accumulate)
        c5.store(to: c + 5 * ldc, accumulate: accumulate)
        c6.store(to: c + 6 * ldc, accumulate: accumulate)
        c7.store(to: c + 7 * ldc, accumulate: accumulate)
        c8.store(to: c + 8 * ldc, accumulate: accumulate)
        c9.store(to: c + 9 * ldc, accumulate: accumulate)
        c10.store(to: c + 10 * ldc, accumulate: accumulate)
        c11.store(to: c + 11 * ldc, accumulate: accumulate)
    }
}
