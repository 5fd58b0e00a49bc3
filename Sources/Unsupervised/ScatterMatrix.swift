// Scatter matrix: S = Σᵢ (xᵢ − x̄)(xᵢ − x̄)ᵀ = X̃ᵀX̃ for the centred data
// X̃ = X − 1·x̄ᵀ, so that the sample covariance is C = S / (n − 1).
//
// Two passes over X [n, d]:
//   1. Column means x̄ⱼ = (1/n) Σᵢ xᵢⱼ: float SIMD sums over blocks of rows,
//      block totals added in Double. A NaN or an infinity anywhere in X makes
//      its column's sum non-finite, so this pass also screens the input.
//   2. X is cut into blocks of 512 rows (512·d floats, about half of a core's
//      L2); each block is centred into a scratch copy X̃_b whose rows are padded
//      with zeros to whole SIMD16 vectors, and its Gram matrix X̃_bᵀX̃_b is added
//      tile by tile, upper triangle only (n·d²/2 multiply-adds in all):
//          tile = 8 rows i₀…i₀+7 of S × 32 columns j₀…j₀+31 = 16 SIMD16 accumulators;
//          per row a of the block: 2 vector loads a[j₀..<j₀+32], 8 broadcasts
//          a[i₀ + t], 16 fused multiply-adds (AVX-512 vfmadd on zmm registers).
//      A tile sums its block in float; tile totals are added in Double, so
//      rounding grows with the block length (512), not with n.
// Why centre every block instead of using S = XᵀX − n·x̄x̄ᵀ: when the mean is
// large against the spread, the two terms are nearly equal and float loses
// every digit of their difference. The copy costs no extra trip to memory: the
// block is read once from X and then stays in cache for the tiles.
// Why not BLAS's ssyrk on each block: the Debian OpenBLAS runs its AVX2 kernel
// here; on W8 (50 000 × 256) a blocked ssyrk made the whole PCA fit take
// 74 ms on one core against 54 ms with these tiles (same machine load).
// Cores: the rows are cut into a few contiguous pieces (four per core), each
// with its own scratch block and Double total, claimed by whichever core is
// free; the totals are added at the end.
import Tensor

/// The centred scatter matrix X̃ᵀX̃ of a data matrix, computed blockwise.
enum ScatterMatrix {
    /// Rows per block: 512 × 256 floats is 512 KB, half of a core's L2.
    static let blockRows = 512

    /// How many pieces the rows are cut into: one per core is fragile on a shared machine (a core
    /// that joins late leaves the whole second half to the first), so with several cores the rows
    /// are cut four times finer and each core claims pieces until none are left.
    static func chunkCount(rows n: Int, threads: Int) -> Int {
        threads <= 1 ? 1 : Swift.max(1, Swift.min(4 * threads, n / (2 * blockRows)))
    }

    /// The column means x̄ of X [n, d] in Double, or nil when X holds a NaN or an infinity.
    static func columnMeans(_ x: Tensor, threads: Int = ComputeThreads.count) -> [Double]? {
        let (n, d) = (x.shape[0], x.shape[1])
        let chunks = chunkCount(rows: n, threads: threads)
        var partials = [Double](repeating: 0, count: chunks * d)
        x.withUnsafeBufferPointer { xs in
            partials.withUnsafeMutableBufferPointer { partials in
                let out = ParallelWritePointer(partials.baseAddress!)
                Parallel.forEachChunk(chunks) { chunk in
                    let start = n * chunk / chunks, end = n * (chunk + 1) / chunks
                    let sums = UnsafeMutablePointer<Float>.allocate(capacity: d)
                    defer { sums.deallocate() }
                    let total = out.pointer + chunk * d
                    var first = start
                    while first < end {
                        let rows = Swift.min(blockRows, end - first)
                        sums.initialize(repeating: 0, count: d)
                        for r in 0..<rows { addRow(xs.baseAddress! + (first + r) * d, into: sums, count: d) }
                        for j in 0..<d { total[j] += Double(sums[j]) }
                        first += rows
                    }
                }
            }
        }
        var means = [Double](repeating: 0, count: d)
        for chunk in 0..<chunks {
            for j in 0..<d { means[j] += partials[chunk * d + j] }
        }
        for j in 0..<d { means[j] /= Double(n) }
        return means.allSatisfy { $0.isFinite } ? means : nil
    }

    /// S = (X − 1·x̄ᵀ)ᵀ(X − 1·x̄ᵀ) for X [n, d] and its column means, as d × d Doubles (row-major, symmetric).
    static func centred(_ x: Tensor, means: [Float], threads: Int = ComputeThreads.count) -> [Double] {
        let (n, d) = (x.shape[0], x.shape[1])
        precondition(means.count == d, "ScatterMatrix.centred: \(means.count) means for X \(x.shape)")
        let width = (d + 15) / 16 * 16                 // scratch rows padded with zeros to whole vectors
        let chunks = chunkCount(rows: n, threads: threads)
        var partials = [Double](repeating: 0, count: chunks * width * width)
        x.withUnsafeBufferPointer { xs in
            means.withUnsafeBufferPointer { mean in
                partials.withUnsafeMutableBufferPointer { partials in
                    let out = ParallelWritePointer(partials.baseAddress!)
                    Parallel.forEachChunk(chunks) { chunk in
                        let start = n * chunk / chunks, end = n * (chunk + 1) / chunks
                        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: blockRows * width)
                        scratch.initialize(repeating: 0, count: blockRows * width)   // padding stays 0
                        defer { scratch.deallocate() }
                        let total = out.pointer + chunk * width * width
                        var first = start
                        while first < end {
                            let rows = Swift.min(blockRows, end - first)
                            // X̃_b [rows, width]: the block's rows minus the means.
                            for r in 0..<rows {
                                subtract(mean.baseAddress!, from: xs.baseAddress! + (first + r) * d,
                                         into: scratch + r * width, count: d)
                            }
                            accumulateUpperTriangle(scratch, rows: rows, width: width, usedWidth: d, into: total)
                            first += rows
                        }
                    }
                }
            }
        }
        // Sum the cores' totals, drop the padding and mirror the upper triangle.
        var scatter = [Double](repeating: 0, count: d * d)
        for chunk in 0..<chunks {
            for i in 0..<d {
                for j in i..<d { scatter[i * d + j] += partials[chunk * width * width + i * width + j] }
            }
        }
        for i in 0..<d {
            for j in 0..<i { scatter[i * d + j] = scatter[j * d + i] }
        }
        return scatter
    }

    /// total[i, j] += Σ_r a[r, i]·a[r, j] over the tiles that touch j ≥ i; `a` is rows × width (width a
    /// multiple of 16, zero from `usedWidth` on), `total` is width × width.
    static func accumulateUpperTriangle(_ a: UnsafePointer<Float>, rows: Int, width: Int, usedWidth: Int,
                                        into total: UnsafeMutablePointer<Double>) {
        for i0 in stride(from: 0, to: usedWidth, by: 8) {      // i0 + 7 < width: width is a multiple of 16
            var j0 = i0 / 16 * 16                              // the first vector holding a column ≥ i0
            while j0 < width {
                let vectors = j0 + 32 <= width ? 2 : 1
                tile(a, rows: rows, width: width, i0: i0, j0: j0, vectors: vectors, into: total)
                j0 += 16 * vectors
            }
        }
    }

    /// One tile of the block's Gram matrix, rows i0..<i0+8 × columns j0..<j0+16·vectors, added to `total`.
    ///
    /// Per row a of the block: one or two vector loads a[j0...], eight broadcasts a[i0 + t] and
    /// 8·vectors fused multiply-adds into 16 (or 8) SIMD16 accumulators that stay in registers.
    @inline(__always)
    static func tile(_ a: UnsafePointer<Float>, rows: Int, width: Int, i0: Int, j0: Int, vectors: Int,
                     into total: UnsafeMutablePointer<Double>) {
        typealias V = SIMD16<Float>
        var c00 = V(), c10 = V(), c20 = V(), c30 = V(), c40 = V(), c50 = V(), c60 = V(), c70 = V()
        var c01 = V(), c11 = V(), c21 = V(), c31 = V(), c41 = V(), c51 = V(), c61 = V(), c71 = V()
        var row = a
        if vectors == 2 {
            for _ in 0..<rows {
                let v0 = UnsafeRawPointer(row + j0).loadUnaligned(as: V.self)
                let v1 = UnsafeRawPointer(row + j0 + 16).loadUnaligned(as: V.self)
                var s = V(repeating: row[i0])
                c00 = c00.addingProduct(s, v0); c01 = c01.addingProduct(s, v1)
                s = V(repeating: row[i0 + 1])
                c10 = c10.addingProduct(s, v0); c11 = c11.addingProduct(s, v1)
                s = V(repeating: row[i0 + 2])
                c20 = c20.addingProduct(s, v0); c21 = c21.addingProduct(s, v1)
                s = V(repeating: row[i0 + 3])
                c30 = c30.addingProduct(s, v0); c31 = c31.addingProduct(s, v1)
                s = V(repeating: row[i0 + 4])
                c40 = c40.addingProduct(s, v0); c41 = c41.addingProduct(s, v1)
                s = V(repeating: row[i0 + 5])
                c50 = c50.addingProduct(s, v0); c51 = c51.addingProduct(s, v1)
                s = V(repeating: row[i0 + 6])
                c60 = c60.addingProduct(s, v0); c61 = c61.addingProduct(s, v1)
                s = V(repeating: row[i0 + 7])
                c70 = c70.addingProduct(s, v0); c71 = c71.addingProduct(s, v1)
                row += width
            }
        } else {
            for _ in 0..<rows {
                let v0 = UnsafeRawPointer(row + j0).loadUnaligned(as: V.self)
                c00 = c00.addingProduct(V(repeating: row[i0]), v0)
                c10 = c10.addingProduct(V(repeating: row[i0 + 1]), v0)
                c20 = c20.addingProduct(V(repeating: row[i0 + 2]), v0)
                c30 = c30.addingProduct(V(repeating: row[i0 + 3]), v0)
                c40 = c40.addingProduct(V(repeating: row[i0 + 4]), v0)
                c50 = c50.addingProduct(V(repeating: row[i0 + 5]), v0)
                c60 = c60.addingProduct(V(repeating: row[i0 + 6]), v0)
                c70 = c70.addingProduct(V(repeating: row[i0 + 7]), v0)
                row += width
            }
        }
        /// Adds tile row t (one or two vectors) to the Double totals.
        func add(_ t: Int, _ first: V, _ second: V) {
            let target = total + (i0 + t) * width + j0
            for lane in 0..<16 { target[lane] += Double(first[lane]) }
            if vectors == 2 { for lane in 0..<16 { target[16 + lane] += Double(second[lane]) } }
        }
        add(0, c00, c01); add(1, c10, c11); add(2, c20, c21); add(3, c30, c31)
        add(4, c40, c41); add(5, c50, c51); add(6, c60, c61); add(7, c70, c71)
    }

    /// sums[j] += row[j] for j < count, sixteen lanes at a time.
    @inline(__always)
    static func addRow(_ row: UnsafePointer<Float>, into sums: UnsafeMutablePointer<Float>, count: Int) {
        typealias V = SIMD16<Float>
        var j = 0
        while j + 16 <= count {
            let value = UnsafeRawPointer(row + j).loadUnaligned(as: V.self)
            let sum = UnsafeRawPointer(sums + j).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(sums + j).storeBytes(of: sum + value, as: V.self)
            j += 16
        }
        while j < count { sums[j] += row[j]; j += 1 }
    }

    /// target[j] = row[j] − mean[j] for j < count, sixteen lanes at a time.
    @inline(__always)
    static func subtract(_ mean: UnsafePointer<Float>, from row: UnsafePointer<Float>,
                         into target: UnsafeMutablePointer<Float>, count: Int) {
        typealias V = SIMD16<Float>
        var j = 0
        while j + 16 <= count {
            let value = UnsafeRawPointer(row + j).loadUnaligned(as: V.self)
            let centre = UnsafeRawPointer(mean + j).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(target + j).storeBytes(of: value - centre, as: V.self)
            j += 16
        }
        while j < count { target[j] = row[j] - mean[j]; j += 1 }
    }
}
