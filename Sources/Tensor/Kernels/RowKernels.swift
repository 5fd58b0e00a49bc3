// RowKernels: softmax, log-softmax and log-sum-exp over rows, and GELU, fused on raw memory.
//
// For a row x of n numbers and m = max_j x_j:
//     softmax(x)_i    = e^(x_i − m) / Σ_j e^(x_j − m)
//     logSoftmax(x)_i = (x_i − m) − log Σ_j e^(x_j − m)
//     logSumExp(x)    = m + log Σ_j e^(x_j − m)
// Subtracting m changes nothing mathematically (e^−m cancels) but keeps every
// exponent ≤ 0, so e^(x − m) never overflows, even for x = 1e30.
//
// One softmax row is three passes, all on SIMD16 vectors:
//   1. m = max (four independent accumulators, so the CPU keeps four compares in flight),
//   2. e_i = e^(x_i − m) written to the output while summing,
//   3. multiply the output by 1/Σ.
// A row of 4096 Floats is 16 KiB: it stays in the L1/L2 cache between passes,
// so main memory sees one read and one write, the least an in-place pass can do.
// Pass 1 waits on memory and pass 2 on arithmetic, so they are overlapped
// across rows: while pass 2 computes the exponentials of row r, it also finds
// the maximum of row r + 1, whose loads then arrive from memory during the
// arithmetic instead of before it (software pipelining). This makes the whole
// softmax about as fast as a single streaming pass.
// Sums are taken in Float over blocks of 2048 and the blocks added in Double,
// so a row sums to 1 within about 1e-6 whatever its length.
//
// Special rows follow PyTorch: a NaN anywhere makes the sum NaN and so the whole
// row NaN; an all −inf row (or one holding +inf) gives NaN in softmax and
// log-softmax (−inf − (−inf) is NaN); log-sum-exp uses 0 instead of an infinite
// m, so an all −inf row gives −inf and a row holding +inf gives +inf.
import Foundation

/// Fused row kernels on raw Float memory, used by `Tensor.softmax` and the benchmarks.
public enum RowKernels {

    // MARK: Public entry points

    /// Softmax of each row of a row-major `rows × columns` matrix, in place.
    public static func softmaxRowsInPlace(_ x: UnsafeMutablePointer<Float>, rows: Int, columns: Int,
                                          threads: Int = ComputeThreads.count) {
        softmaxRows(UnsafePointer(x), into: x, rows: rows, columns: columns, threads: threads)
    }

    /// Softmax of each row of `x` written to `out` (which may be `x`).
    public static func softmaxRows(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                                   rows: Int, columns n: Int, threads: Int = ComputeThreads.count) {
        forEachRowRange(rows, n, threads) { range in
            var m = maximum(x + range.lowerBound * n, n)
            for row in range {
                let (sum, nextMaximum) = sumOfExp(x + row * n, n, shift: m, writingTo: out + row * n,
                                                  maximumOf: x + nextRow(row, range) * n)
                scale(out + row * n, n, by: Float(1 / sum))
                m = nextMaximum
            }
        }
    }

    /// Log-softmax of each row of `x` written to `out` (which may be `x`).
    public static func logSoftmaxRows(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                                      rows: Int, columns n: Int, threads: Int = ComputeThreads.count) {
        forEachRowRange(rows, n, threads) { range in
            var m = maximum(x + range.lowerBound * n, n)
            for row in range {
                let (sum, nextMaximum) = sumOfExp(x + row * n, n, shift: m, writingTo: nil,
                                                  maximumOf: x + nextRow(row, range) * n)
                // (x − m) − log Σ, in this order: for x ≈ m ≈ 1e30, m + log Σ would round log Σ away.
                subtract(m, Float(Foundation.log(sum)), from: x + row * n, into: out + row * n, n)
                m = nextMaximum
            }
        }
    }

    /// log Σ_j e^(x_j) of each row of `x`, written to `out[row]`.
    public static func logSumExpRows(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                                     rows: Int, columns n: Int, threads: Int = ComputeThreads.count) {
        forEachRowRange(rows, n, threads) { range in
            var m = maximum(x + range.lowerBound * n, n)
            for row in range {
                let shift: Float = m.isInfinite ? 0 : m
                let (sum, nextMaximum) = sumOfExp(x + row * n, n, shift: shift, writingTo: nil,
                                                  maximumOf: x + nextRow(row, range) * n)
                out[row] = Float(Double(shift) + Foundation.log(sum))
                m = nextMaximum
            }
        }
    }

    /// GELU (tanh form) of `count` Floats, in place: x / (1 + e^(−2u)), u = √(2/π)(x + 0.044715x³).
    public static func geluTanhInPlace(_ x: UnsafeMutablePointer<Float>, count: Int,
                                       threads: Int = ComputeThreads.count) {
        Parallel.forRanges(count, minimumPerThread: 65_536, threads: threads) { r in
            ElementwiseDriver.map(x + r.lowerBound, x + r.lowerBound, r.count, GELUTanhKernel.self)
        }
    }

    // MARK: Passes over one row

    /// Ranges of rows in parallel; at least 32 Ki elements per thread so small matrices stay on one core.
    @inline(__always)
    static func forEachRowRange(_ rows: Int, _ columns: Int, _ threads: Int, _ body: (Range<Int>) -> Void) {
        guard columns > 0 else { return }
        Parallel.forRanges(rows, minimumPerThread: Swift.max(1, 32_768 / columns), threads: threads, body)
    }

    /// The row whose maximum pass 2 of `row` finds on the side: the next one, or `row` itself at the end.
    @inline(__always)
    static func nextRow(_ row: Int, _ range: Range<Int>) -> Int {
        row + 1 < range.upperBound ? row + 1 : row
    }

    /// x *= factor for n Floats.
    @inline(__always)
    static func scale(_ x: UnsafeMutablePointer<Float>, _ n: Int, by factor: Float) {
        let f = SIMD16<Float>(repeating: factor)
        var i = 0
        while i + 16 <= n {
            storeVector(loadVector(x + i) * f, x + i)
            i += 16
        }
        if i < n { storePartial(loadPartial(x + i, n - i, padding: 0) * f, x + i, n - i) }
    }

    /// out = (x − a) − b for n Floats.
    @inline(__always)
    static func subtract(_ a: Float, _ b: Float, from x: UnsafePointer<Float>,
                         into out: UnsafeMutablePointer<Float>, _ n: Int) {
        let av = SIMD16<Float>(repeating: a), bv = SIMD16<Float>(repeating: b)
        var i = 0
        while i + 16 <= n {
            storeVector(loadVector(x + i) - av - bv, out + i)
            i += 16
        }
        if i < n { storePartial(loadPartial(x + i, n - i, padding: 0) - av - bv, out + i, n - i) }
    }

    /// The largest of n Floats (−inf for n = 0). NaN is skipped here; callers see it in the sum.
    @inline(__always)
    static func maximum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        let lowest = SIMD16<Float>(repeating: -.infinity)
        var m0 = lowest, m1 = lowest, m2 = lowest, m3 = lowest
        var i = 0
        while i + 64 <= n {
            let v0 = loadVector(x + i), v1 = loadVector(x + i + 16)
            let v2 = loadVector(x + i + 32), v3 = loadVector(x + i + 48)
            m0 = m0.replacing(with: v0, where: v0 .> m0)
            m1 = m1.replacing(with: v1, where: v1 .> m1)
            m2 = m2.replacing(with: v2, where: v2 .> m2)
            m3 = m3.replacing(with: v3, where: v3 .> m3)
            i += 64
        }
        while i + 16 <= n {
            let v = loadVector(x + i)
            m0 = m0.replacing(with: v, where: v .> m0)
            i += 16
        }
        if i < n {
            let v = loadPartial(x + i, n - i, padding: -.infinity)
            m0 = m0.replacing(with: v, where: v .> m0)
        }
        m0 = m0.replacing(with: m1, where: m1 .> m0)
        m2 = m2.replacing(with: m3, where: m3 .> m2)
        return largestLane(m0.replacing(with: m2, where: m2 .> m0))
    }

    /// Σ e^(x_j − shift) in Double, optionally storing each e^(x_j − shift) to `out`; on the side,
    /// the maximum of the n Floats at `companion` (the next row), as `maximum` would find it.
    @inline(__always)
    static func sumOfExp(_ x: UnsafePointer<Float>, _ n: Int, shift: Float,
                         writingTo out: UnsafeMutablePointer<Float>?,
                         maximumOf companion: UnsafePointer<Float>) -> (sum: Double, companionMaximum: Float) {
        let s = SIMD16<Float>(repeating: shift)
        var m0 = SIMD16<Float>(repeating: -.infinity), m1 = m0
        var total = 0.0
        var start = 0
        while start < n {
            let end = Swift.min(n, start + 2048)
            var sum0 = SIMD16<Float>(), sum1 = SIMD16<Float>()
            var i = start
            while i + 32 <= end {
                let c0 = loadVector(companion + i), c1 = loadVector(companion + i + 16)
                m0 = m0.replacing(with: c0, where: c0 .> m0)
                m1 = m1.replacing(with: c1, where: c1 .> m1)
                let e0 = FastMath.exp(loadVector(x + i) - s)
                let e1 = FastMath.exp(loadVector(x + i + 16) - s)
                if let out { storeVector(e0, out + i); storeVector(e1, out + i + 16) }
                sum0 += e0
                sum1 += e1
                i += 32
            }
            if i + 16 <= end {
                let c = loadVector(companion + i)
                m0 = m0.replacing(with: c, where: c .> m0)
                let e = FastMath.exp(loadVector(x + i) - s)
                if let out { storeVector(e, out + i) }
                sum0 += e
                i += 16
            }
            if i < end {
                // Padding with −inf adds e^−inf = 0 to the sum and nothing to the maximum.
                let c = loadPartial(companion + i, end - i, padding: -.infinity)
                m0 = m0.replacing(with: c, where: c .> m0)
                let e = FastMath.exp(loadPartial(x + i, end - i, padding: -.infinity) - s)
                if let out { storePartial(e, out + i, end - i) }
                sum0 += e
            }
            total += Double((sum0 + sum1).sum())
            start = end
        }
        return (total, largestLane(m0.replacing(with: m1, where: m1 .> m0)))
    }

    /// The largest lane (NaN lanes never win).
    @inline(__always)
    static func largestLane(_ v: SIMD16<Float>) -> Float {
        var m = v[0]
        for lane in 1..<16 where v[lane] > m { m = v[lane] }
        return m
    }

    // MARK: Partial vectors (the last 1…15 elements of a row)

    /// The first `count` (< 16) lanes from memory, the others set to `padding`.
    @inline(__always)
    static func loadPartial(_ p: UnsafePointer<Float>, _ count: Int, padding: Float) -> SIMD16<Float> {
        var v = SIMD16<Float>(repeating: padding)
        for lane in 0..<count { v[lane] = p[lane] }
        return v
    }

    /// Stores the first `count` (< 16) lanes.
    @inline(__always)
    static func storePartial(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
        for lane in 0..<count { p[lane] = v[lane] }
    }
}
