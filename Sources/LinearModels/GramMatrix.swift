// The Gram matrix of the normal equations, G = AᵀA = Σᵢ aᵢaᵢᵀ, with our own SIMD kernel.
//
// A = [X̃ | ỹ] is the (centred) design matrix with the target appended as a last
// column, so one product gives X̃ᵀX̃ (the first d×d block), X̃ᵀỹ (the last row)
// and ỹᵀỹ (the corner). Each row aᵢ adds its outer product aᵢaᵢᵀ: n·w²
// multiply-adds for width w = d + 1, of which we compute only the upper
// triangle (j ≥ i) and mirror it.
//
// Blocking: rows are taken a block at a time (about 256 KB of floats, so the
// block stays in L2), centred into a scratch block whose width is padded with
// zero columns to a multiple of 16 (one SIMD16 vector), and every tile of G is
// accumulated over the whole block in registers:
//     tile (6 rows i₀…i₀+5 of G) × (32 columns j₀…j₀+31) = 12 SIMD16 accumulators;
//     per row a of the block: 2 vector loads a[j₀..<j₀+32], 6 broadcasts a[i₀+k],
//     12 fused multiply-adds (AVX-512 vfmadd with -target-cpu native).
// (A tile 16 columns wide finishes a width that is an odd number of vectors.)
// The tile sums run in float32 over one block; block totals are added in
// Double, so rounding grows with the block length, not with n. Blocks are
// shared among cores (Parallel.forRanges), each core with its own Double totals.
// Tests/LinearModelsTests/GramMatrixTests.swift checks it against a plain triple loop.

/// G = AᵀA for A = [X − 1·x̄ᵀ | y − ȳ], computed blockwise with SIMD16 tiles.
enum GramMatrix {
    /// Rows of G per tile.
    static let tileRows = 6

    /// The (w × w) matrix AᵀA, w = d + 1, in Double, row-major and symmetric.
    static func augmented(_ x: Tensor, _ y: Tensor, centring: InterceptByCentring,
                          threads: Int = ComputeThreads.count) -> [Double] {
        let (n, d) = (x.shape[0], x.shape[1])
        let width = d + 1
        // A whole number of SIMD16 vectors, and at least a whole number of 6-row tiles.
        let padded = ((width + tileRows - 1) / tileRows * tileRows + 15) / 16 * 16
        let blockRows = Swift.max(16, 65_536 / padded)           // ~256 KB of floats per block
        let chunks = Swift.max(1, Swift.min(threads, n / (4 * blockRows)))
        var partials = [[Double]](repeating: [], count: chunks)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                centring.featureMeans.withUnsafeBufferPointer { mean in
                    let results = UnsafeMutableBufferPointer<[Double]>.allocate(capacity: chunks)
                    results.initialize(repeating: [])
                    defer { results.deallocate() }
                    Parallel.forEachChunk(chunks) { chunk in
                        let start = n * chunk / chunks, end = n * (chunk + 1) / chunks
                        var total = [Double](repeating: 0, count: padded * padded)
                        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: blockRows * padded)
                        scratch.initialize(repeating: 0, count: blockRows * padded)   // padding columns stay 0
                        defer { scratch.deallocate() }
                        total.withUnsafeMutableBufferPointer { t in
                            var first = start
                            while first < end {
                                let rows = Swift.min(blockRows, end - first)
                                // Block A: a[r, j] = x[first + r, j] − x̄_j, a[r, d] = y − ȳ.
                                for r in 0..<rows {
                                    let source = xp.baseAddress! + (first + r) * d
                                    let target = scratch + r * padded
                                    for j in 0..<d { target[j] = source[j] - mean[j] }
                                    target[d] = yp[first + r] - centring.targetMean
                                }
                                accumulateUpperTriangle(scratch, rows: rows, width: padded, usedWidth: width,
                                                        into: t.baseAddress!)
                                first += rows
                            }
                        }
                        results[chunk] = total
                    }
                    for chunk in 0..<chunks { partials[chunk] = results[chunk] }
                }
            }
        }
        // Sum the cores' totals, cut the padding, mirror the upper triangle.
        var gram = [Double](repeating: 0, count: width * width)
        for partial in partials {
            for i in 0..<width {
                for j in i..<width { gram[i * width + j] += partial[i * padded + j] }
            }
        }
        for i in 0..<width {
            for j in 0..<i { gram[i * width + j] = gram[j * width + i] }
        }
        return gram
    }

    /// total[i, j] += Σ_r a[r, i]·a[r, j] for every tile touching j ≥ i; `a` is rows × width
    /// (width a multiple of 16, columns from `usedWidth` on all zero), `total` is width × width.
    static func accumulateUpperTriangle(_ a: UnsafePointer<Float>, rows: Int, width: Int, usedWidth: Int,
                                        into total: UnsafeMutablePointer<Double>) {
        for i0 in stride(from: 0, to: usedWidth, by: tileRows) {   // rows of G past usedWidth are 0
            var j0 = i0 / 16 * 16                                 // first vector holding a column ≥ i0
            while j0 < width {
                if j0 + 32 <= width {
                    tile(a, rows: rows, width: width, i0: i0, j0: j0, vectors: 2, into: total)
                    j0 += 32
                } else {
                    tile(a, rows: rows, width: width, i0: i0, j0: j0, vectors: 1, into: total)
                    j0 += 16
                }
            }
        }
    }

    /// One 6 × (16·vectors) tile of AᵀA over the block, added to `total`.
    @inline(__always)
    static func tile(_ a: UnsafePointer<Float>, rows: Int, width: Int, i0: Int, j0: Int, vectors: Int,
                     into total: UnsafeMutablePointer<Double>) {
        typealias V = SIMD16<Float>
        var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
        var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
        var row = a
        if vectors == 2 {
            for _ in 0..<rows {
                let v0 = UnsafeRawPointer(row + j0).loadUnaligned(as: V.self)
                let v1 = UnsafeRawPointer(row + j0 + 16).loadUnaligned(as: V.self)
                let s0 = V(repeating: row[i0]), s1 = V(repeating: row[i0 + 1])
                let s2 = V(repeating: row[i0 + 2]), s3 = V(repeating: row[i0 + 3])
                let s4 = V(repeating: row[i0 + 4]), s5 = V(repeating: row[i0 + 5])
                c00.addProduct(s0, v0); c01.addProduct(s0, v1)
                c10.addProduct(s1, v0); c11.addProduct(s1, v1)
                c20.addProduct(s2, v0); c21.addProduct(s2, v1)
                c30.addProduct(s3, v0); c31.addProduct(s3, v1)
                c40.addProduct(s4, v0); c41.addProduct(s4, v1)
                c50.addProduct(s5, v0); c51.addProduct(s5, v1)
                row += width
            }
        } else {
            for _ in 0..<rows {
                let v0 = UnsafeRawPointer(row + j0).loadUnaligned(as: V.self)
                c00.addProduct(V(repeating: row[i0]), v0)
                c10.addProduct(V(repeating: row[i0 + 1]), v0)
                c20.addProduct(V(repeating: row[i0 + 2]), v0)
                c30.addProduct(V(repeating: row[i0 + 3]), v0)
                c40.addProduct(V(repeating: row[i0 + 4]), v0)
                c50.addProduct(V(repeating: row[i0 + 5]), v0)
                row += width
            }
        }
        /// Adds one tile row (one or two vectors) to the Double totals.
        func add(_ row: Int, _ first: V, _ second: V) {
            let target = total + (i0 + row) * width + j0
            for lane in 0..<16 { target[lane] += Double(first[lane]) }
            if vectors == 2 { for lane in 0..<16 { target[16 + lane] += Double(second[lane]) } }
        }
        add(0, c00, c01)
        add(1, c10, c11)
        add(2, c20, c21)
        add(3, c30, c31)
        add(4, c40, c41)
        add(5, c50, c51)
    }
}

// File-private so that no other file of the module can clash with the name.
extension SIMD16<Float> {
    /// self += a·b, one fused multiply-add per lane.
    @inline(__always)
    fileprivate mutating func addProduct(_ a: Self, _ b: Self) { self = self.addingProduct(a, b) }
}
