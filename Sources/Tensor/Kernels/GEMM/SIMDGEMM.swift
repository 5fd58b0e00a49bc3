// SIMDGEMM: a fast single-precision matrix product, built the way BLAS libraries are.
//
//   C = op(A)·op(B)   (or C += op(A)·op(B)),   C[i, j] = Σ_p op(A)[i, p] · op(B)[p, j]
//
// NaiveGEMM computes this with one dot product per element of C and runs at a
// few GFLOP/s. This file computes the same sums at about 200 GFLOP/s on one
// Zen 5 core, whose peak is 237.
// The arithmetic is identical; what changes is where the operands come from.
// A core can do 2 × 16-wide fused multiply-adds per cycle (64 flops) but can load
// only about 2 vectors per cycle from its L1 cache, and much less from L2, L3
// and memory. So every Float brought in must be used many times. Three ideas:
//
// 1. Register tiling (GEMMMicroKernel). Keep a 12×32 block of C in 24 vector
//    registers and update it with k rank-1 products: each step reads 12 Floats of
//    A and 32 of B (14 loads) and does 12×32 multiply-adds (24 vector FMAs).
//    A dot product would need 2 loads per FMA; the tile needs 0.6.
//
// 2. Cache blocking. The micro-kernel streams an MR×KC sliver of A and a KC×NR
//    sliver of B. Cut the product into blocks so that each operand is reused
//    many times while it sits in a cache, instead of coming from memory:
//
//      for jc in 0..<n by NC               B panel   KC×NC  (4 MiB)   in L3
//        for pc in 0..<k by KC               (pack the B panel)
//          for ic in 0..<m by MC             A block   MC×KC  (192 KiB) in L2
//            (pack the A block)
//            for jr in 0..<NC by NR          B sliver  KC×NR  (64 KiB)  L2, prefetched to L1
//              for ir in 0..<MC by MR        A sliver  MR×KC  (24 KiB)  streams from L2
//                micro-kernel: C[ic+ir.., jc+jr..] (+)= Ã sliver · B̃ sliver
//
//    Each B sliver is used by MC/MR = 8 micro-kernels in a row; each A block by
//    NC/NR = 64 slivers of B; each B panel by all the m/MC blocks of A. The sum
//    over p is cut into KC-deep pieces: the first piece writes C (or adds to it
//    when accumulating) and the later ones add to it. Every piece costs one
//    load and store of each C tile, so KC is as deep as the caches allow.
//
// 3. Packing (GEMMPacking). Before a block is used it is copied into the exact
//    order the micro-kernel reads, MR (or NR) Floats per step, zero-padded to
//    a whole tile. The kernel then reads both operands with unit stride from
//    aligned memory, never sees a transpose or a leading dimension, and never
//    handles a ragged edge: an edge tile is computed in full into a scratch
//    tile and only its valid part copied into C. The packing buffers are kept
//    from one call to the next (ScratchPool.swift): fresh pages cost a page fault each.
//    One exception, measured on AVX2: when the rows of op(A) are consecutive in
//    memory and B is narrow (n ≤ 512, as in a transformer's d = 128 layers),
//    the 6×16 kernel reads A's six rows in place (`readsAInPlace`), because
//    packing costs one store per element and there are too few columns of B
//    to pay it back.
//
// Threads: the rows of C (or its columns, when C is wider than tall) are cut
// into one band per thread, a multiple of the tile size each, and every thread
// runs the whole blocked algorithm above on its own band with its own packing
// buffers. Bands of C are disjoint, so no thread waits for another.
//
// Block sizes were chosen by measurement on a Zen 5 core (48 KiB L1d, 1 MiB
// L2, 32 MiB L3): see `Blocking.standard`.
//
// References: K. Goto and R. van de Geijn, "Anatomy of High-Performance Matrix
// Multiplication", ACM TOMS 34(3), 2008; F. Van Zee and R. van de Geijn, "BLIS:
// A Framework for Rapidly Instantiating BLAS Functionality", ACM TOMS 41(3), 2015.

/// MLLab's own single-precision matrix product: packed, cache-blocked, register-tiled,
/// multi-threaded. Computes the same thing as `NaiveGEMM`, much faster.
public enum SIMDGEMM {
    /// The cache-block sizes: MC rows of op(A), KC steps of the sum, NC columns of op(B).
    struct Blocking {
        /// MC: rows of op(A) packed at once (an MC×KC block, kept in L2). A multiple of `tileRows`.
        var rows: Int
        /// KC: depth of one piece of the sum (the length of the micro-kernel's loop).
        var depth: Int
        /// NC: columns of op(B) packed at once (a KC×NC panel, kept in L3). A multiple of `tileColumns`.
        var columns: Int

        /// The sizes measured best on a Zen 5 core (MC = 96, KC = 512, NC = 2048). On its own,
        /// with its operands in L1, the micro-kernel runs at 99% of the FMA peak for any KC
        /// from 128 up; in the full product KC = 256…1024 and MC = 48…288 all came within the
        /// run-to-run noise (±3%) of each other, a little ahead of KC = 128…192 (more passes
        /// over C). A KC×NR sliver of 64 KiB does not fit the 48 KiB L1: it is streamed from
        /// L2, whose bandwidth (64 bytes a cycle) is several times what the kernel needs.
        /// With AVX2's 6×16 tile the depth is halved, so that a 256×16 sliver of B̃ (16 KiB) sits in L1 beside Ã.
        static let standard = VectorUnit.hasWideRegisters
            ? Blocking(rows: 96, depth: 512, columns: 2048) : Blocking(rows: 96, depth: 256, columns: 2048)
    }

    /// Below this many multiply-adds (m·n·k) the product runs on one thread:
    /// waking a second core costs more than it saves.
    static let minimumParallelWork = 1 << 21

    /// C = op(A)·op(B) (or C += op(A)·op(B) when `accumulate`), row-major.
    ///
    /// - op(A) is m×k: A is stored m×k (`lda` ≥ k), or k×m (`lda` ≥ m) when `transposeA`.
    /// - op(B) is k×n: B is stored k×n (`ldb` ≥ n), or n×k (`ldb` ≥ k) when `transposeB`.
    /// - C is m×n with `ldc` ≥ n and must not overlap A or B. When k = 0, C becomes zero
    ///   (or is left as is when accumulating).
    /// - `threads`: how many cores to use at most.
    public static func multiply(m: Int, n: Int, k: Int,
                                a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
                                b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
                                c: UnsafeMutablePointer<Float>, ldc: Int,
                                accumulate: Bool = false,
                                threads: Int = ComputeThreads.count) {
        multiply(m: m, n: n, k: k, a: a, lda: lda, transposeA: transposeA,
                 b: b, ldb: ldb, transposeB: transposeB, c: c, ldc: ldc,
                 accumulate: accumulate, threads: threads, blocking: .standard)
    }

    /// `multiply` with chosen block sizes (the tests use small ones to reach every edge case).
    static func multiply(m: Int, n: Int, k: Int,
                         a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
                         b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
                         c: UnsafeMutablePointer<Float>, ldc: Int,
                         accumulate: Bool, threads: Int, blocking: Blocking) {
        GEMMShape.check("SIMDGEMM.multiply", m: m, n: n, k: k,
                        lda: lda, transposeA: transposeA, ldb: ldb, transposeB: transposeB, ldc: ldc)
        precondition(threads >= 1, "SIMDGEMM.multiply: threads must be at least 1, got \(threads)")
        precondition(blocking.rows > 0 && blocking.rows % tileRows == 0 && blocking.depth > 0
                     && blocking.columns > 0 && blocking.columns % tileColumns == 0,
                     "SIMDGEMM.multiply: bad blocking \(blocking)")
        if m == 0 || n == 0 { return }
        if k == 0 {
            // An empty sum: C = 0, or C unchanged when accumulating.
            if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }

        // Where element (i, p) of op(A) and (p, j) of op(B) live: base + i·aRow + p·aStep, and so on.
        let aRow = transposeA ? 1 : lda, aStep = transposeA ? lda : 1
        let bStep = transposeB ? 1 : ldb, bColumn = transposeB ? ldb : 1

        // One band of C per thread: split the longer side, in whole tiles.
        let splitRows = m >= n
        let tile = splitRows ? tileRows : tileColumns
        let tilesAlong = ((splitRows ? m : n) + tile - 1) / tile
        let work = Double(m) * Double(n) * Double(k)   // in Double: m·n·k may not fit in an Int
        let bands = work < Double(minimumParallelWork) ? 1 : min(threads, tilesAlong)
        if bands == 1 {
            // A few rows (decoding one token): read B in place rather than pack it (ThinGEMM.swift).
            if ThinGEMM.multiply(m: m, n: n, k: k, a: a, aRow: aRow, aStep: aStep, b: b, bStep: bStep,
                                 bColumn: bColumn, c: c, ldc: ldc, accumulate: accumulate) { return }
            multiplyBand(m: m, n: n, k: k, a: a, aRow: aRow, aStep: aStep, b: b, bStep: bStep, bColumn: bColumn,
                         c: c, ldc: ldc, accumulate: accumulate, blocking: blocking)
            return
        }
        let tilesPerBand = (tilesAlong + bands - 1) / bands
        Parallel.forEachChunk(bands) { band in
            let start = band * tilesPerBand * tile
            let end = min(splitRows ? m : n, start + tilesPerBand * tile)
            if start >= end { return }
            if splitRows {
                multiplyBand(m: end - start, n: n, k: k, a: a + start * aRow, aRow: aRow, aStep: aStep,
                             b: b, bStep: bStep, bColumn: bColumn, c: c + start * ldc, ldc: ldc,
                             accumulate: accumulate, blocking: blocking)
            } else {
                multiplyBand(m: m, n: end - start, k: k, a: a, aRow: aRow, aStep: aStep,
                             b: b + start * bColumn, bStep: bStep, bColumn: bColumn, c: c + start, ldc: ldc,
                             accumulate: accumulate, blocking: blocking)
            }
        }
    }

    /// The blocked algorithm of the header on one thread, for an m×n band of C with k ≥ 1.
    /// op(A)[i, p] = a[i·aRow + p·aStep] and op(B)[p, j] = b[p·bStep + j·bColumn].
    static func multiplyBand(m: Int, n: Int, k: Int,
                             a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                             b: UnsafePointer<Float>, bStep: Int, bColumn: Int,
                             c: UnsafeMutablePointer<Float>, ldc: Int,
                             accumulate: Bool, blocking: Blocking) {
        // A few columns or rows (a LoRA adapter's rank-r path): one vector per row of C, A read in place (NarrowGEMM.swift).
        if NarrowGEMM.multiply(m: m, n: n, k: k, a: a, aRow: aRow, aStep: aStep, b: b, bStep: bStep, bColumn: bColumn,
                               c: c, ldc: ldc, accumulate: accumulate, depth: blocking.depth) { return }
        let mr = tileRows, nr = tileColumns
        let mc = blocking.rows, kc = blocking.depth, nc = blocking.columns

        // Packing buffers, sized for the largest block this product needs, kept between calls.
        let depthMax = min(kc, k)
        let aBlockSize = min(mc, roundUp(m, to: mr)) * depthMax
        let bPanelSize = min(nc, roundUp(n, to: nr)) * depthMax
        ScratchPool.matrixProduct.withBuffer(floats: aBlockSize + bPanelSize + mr * nr) { memory in
            let aBlock = memory
            let bPanel = aBlock + aBlockSize
            let scratch = bPanel + bPanelSize   // one MR×NR tile for the edges of C
            multiplyBlocks(m: m, n: n, k: k, a: a, aRow: aRow, aStep: aStep, b: b, bStep: bStep, bColumn: bColumn,
                           c: c, ldc: ldc, accumulate: accumulate, blocking: blocking,
                           aBlock: aBlock, bPanel: bPanel, scratch: scratch)
        }
    }

    /// The five loops of the header, given the packing buffers.
    static func multiplyBlocks(m: Int, n: Int, k: Int,
                               a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                               b: UnsafePointer<Float>, bStep: Int, bColumn: Int,
                               c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, blocking: Blocking,
                               aBlock: UnsafeMutablePointer<Float>, bPanel: UnsafeMutablePointer<Float>,
                               scratch: UnsafeMutablePointer<Float>) {
        let mr = tileRows, nr = tileColumns
        let mc = blocking.rows, kc = blocking.depth, nc = blocking.columns
        let aInPlace = readsAInPlace(aStep: aStep, n: n)

        for jc in stride(from: 0, to: n, by: nc) {
            let nb = min(nc, n - jc)
            for pc in stride(from: 0, to: k, by: kc) {
                let kb = min(kc, k - pc)
                let addToC = accumulate || pc > 0   // later pieces of the sum add to the first
                // B̃ = op(B)[pc..<pc+kb, jc..<jc+nb] as slivers of NR columns.
                packB(b + pc * bStep + jc * bColumn, stepStride: bStep, columnStride: bColumn,
                      columns: nb, depth: kb, into: bPanel)
                for ic in stride(from: 0, to: m, by: mc) {
                    let mb = min(mc, m - ic)
                    let aSource = a + ic * aRow + pc * aStep
                    // Ã = op(A)[ic..<ic+mb, pc..<pc+kb] as slivers of MR rows; when A is read in
                    // place only a last, partial sliver is packed (it is zero-padded to MR rows).
                    let wholeSlivers = aInPlace ? mb / mr * mr : 0
                    packA(aSource + wholeSlivers * aRow, rowStride: aRow, stepStride: aStep,
                          rows: mb - wholeSlivers, depth: kb, into: aBlock + wholeSlivers * kb)
                    for jr in stride(from: 0, to: nb, by: nr) {
                        let columns = min(nr, nb - jr)
                        let bSliver = bPanel + jr * kb
                        for ir in stride(from: 0, to: mb, by: mr) {
                            let rows = min(mr, mb - ir)
                            let aSliver = aBlock + ir * kb
                            let cTile = c + (ic + ir) * ldc + jc + jr
                            if ir < wholeSlivers && columns == nr {
                                microKernel(depth: kb, rowsOfA: aSource + ir * aRow, lda: aRow, b: bSliver,
                                            c: cTile, ldc: ldc, accumulate: addToC)
                            } else if ir < wholeSlivers {
                                microKernel(depth: kb, rowsOfA: aSource + ir * aRow, lda: aRow, b: bSliver,
                                            c: scratch, ldc: nr, accumulate: false)
                                copyTile(scratch, rows: rows, columns: columns, to: cTile, ldc: ldc, adding: addToC)
                            } else if rows == mr && columns == nr {
                                microKernel(depth: kb, a: aSliver, b: bSliver, c: cTile, ldc: ldc, accumulate: addToC)
                            } else {
                                // Edge of C: compute the whole padded tile, copy out its valid corner.
                                microKernel(depth: kb, a: aSliver, b: bSliver, c: scratch, ldc: nr, accumulate: false)
                                copyTile(scratch, rows: rows, columns: columns, to: cTile, ldc: ldc, adding: addToC)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Copies the valid rows × columns corner of an MR×NR scratch tile into C (or adds it).
    @inline(__always)
    static func copyTile(_ tile: UnsafePointer<Float>, rows: Int, columns: Int,
                         to c: UnsafeMutablePointer<Float>, ldc: Int, adding: Bool) {
        for r in 0..<rows {
            let from = tile + r * tileColumns, to = c + r * ldc
            for j in 0..<columns { to[j] = adding ? to[j] + from[j] : from[j] }
        }
    }

    /// Whether the micro-kernel reads op(A) where it lies instead of a packed copy: when the
    /// Floats of each row of op(A) are consecutive (`aStep` = 1, A not transposed), on the
    /// 6×16 AVX2 tile, and when op(B) is narrow. Packing A costs one scalar store per
    /// element, about 1/32 of a cycle's FMA work per column of B it serves, so for
    /// n = 128 (a transformer's d) it was a fifth of the product; the six rows are six
    /// unit-stride streams that the hardware prefetcher follows. For wide B packing pays
    /// for itself (and avoids cache-set conflicts between rows a power of two apart).
    @inline(__always)
    static func readsAInPlace(aStep: Int, n: Int) -> Bool {
        aStep == 1 && !VectorUnit.hasWideRegisters && n <= 512
    }

    /// The smallest multiple of `step` that is ≥ `value`.
    @inline(__always)
    static func roundUp(_ value: Int, to step: Int) -> Int { (value + step - 1) / step * step }
}
