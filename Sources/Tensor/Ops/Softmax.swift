// Softmax, log-softmax and log-sum-exp along one axis.
//
//     softmax(x)_i    = e^(x_i − m) / Σ_j e^(x_j − m)          m = max_j x_j
//     logSoftmax(x)_i = (x_i − m) − log Σ_j e^(x_j − m)
//     logSumExp(x)    = m + log Σ_j e^(x_j − m)
// The sums run along the chosen axis; subtracting the maximum keeps every
// exponent ≤ 0, so nothing overflows even for x = 1e30 (see RowKernels.swift,
// which also states how NaN and ±inf are treated, as in PyTorch).
//
// A tensor seen along axis k is a stack of [outer, n, inner] blocks:
// outer = product of the sizes before k, n = size of k, inner = product after k.
//   • inner = 1 (the last axis, the usual case): each row is contiguous, and the
//     fused row kernels of RowKernels.swift do the work.
//   • inner > 1: the n numbers of one softmax sit `inner` Floats apart, but 16
//     neighbouring softmaxes sit side by side. So the SIMD16 lanes run across
//     `inner` (16 independent softmaxes at once) and the loops step along n.
import Foundation

extension Tensor {
    /// Softmax along `axis`: every slice along the axis becomes positive and sums to 1.
    ///
    /// A slice holding NaN or +inf, or only −inf, becomes NaN (as in PyTorch).
    public func softmax(axis: Int = -1) -> Tensor {
        var out = Tensor(uninitializedShape: shape)
        softmaxFamily(axis: axis, into: &out, op: "softmax", logarithm: false)
        return out
    }

    /// Replaces the tensor by its softmax along `axis` (no new memory).
    public mutating func softmaxInPlace(axis: Int = -1) {
        let (outer, n, inner) = softmaxLayout(axis, op: "softmaxInPlace")
        if count == 0 { return }
        withUnsafeMutableBufferPointer { x in
            let xp = x.baseAddress!
            Tensor.softmaxKernel(xp, into: xp, outer: outer, n: n, inner: inner, logarithm: false)
        }
    }

    /// log(softmax(x)) along `axis`, computed as (x − m) − log Σ e^(x − m), without forming softmax.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        var out = Tensor(uninitializedShape: shape)
        softmaxFamily(axis: axis, into: &out, op: "logSoftmax", logarithm: true)
        return out
    }

    /// log Σ e^x along `axis`, without overflow. The axis is removed, or kept with size 1 when `keepDims`.
    ///
    /// An empty or all −inf slice gives −inf; a slice holding +inf gives +inf; NaN gives NaN.
    public func logSumExp(axis: Int = -1, keepDims: Bool = false) -> Tensor {
        let (outer, n, inner) = softmaxLayout(axis, op: "logSumExp")
        var outShape = shape
        if rank > 0 {
            let a = normalizedAxis(axis, op: "logSumExp")
            if keepDims { outShape[a] = 1 } else { outShape.remove(at: a) }
        }
        var out = Tensor(uninitializedShape: outShape)
        if out.count == 0 { return out }
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                let op = o.baseAddress!
                if n == 0 {
                    op.update(repeating: -.infinity, count: o.count)
                } else if inner == 1 {
                    RowKernels.logSumExpRows(x.baseAddress!, into: op, rows: outer, columns: n)
                } else {
                    StridedSoftmax.run(x.baseAddress!, op, outer: outer, n: n, inner: inner, kind: .logSumExp)
                }
            }
        }
        return out
    }

    /// log Σ e^x over every element (−inf for an empty tensor).
    public func logSumExp() -> Float {
        withUnsafeBufferPointer { x in
            guard let xp = x.baseAddress, x.count > 0 else { return -Float.infinity }
            // Split into chunks; each finds its maximum, then each sums e^(x − m) for the global m.
            let chunks = Swift.max(1, Swift.min(ComputeThreads.count, x.count / 65_536))
            let step = (x.count + chunks - 1) / chunks
            let partial = UnsafeMutableBufferPointer<Double>.allocate(capacity: chunks)
            defer { partial.deallocate() }
            Parallel.forEachChunk(chunks) { c in
                let start = c * step, end = Swift.min(x.count, start + step)
                partial[c] = start < end ? Double(RowKernels.maximum(xp + start, end - start)) : -.infinity
            }
            let m = Float(partial.max()!)
            let shift: Float = m.isInfinite ? 0 : m
            Parallel.forEachChunk(chunks) { c in
                let start = c * step, end = Swift.min(x.count, start + step)
                partial[c] = start < end ? RowKernels.sumOfExp(xp + start, end - start, shift: shift, writingTo: nil,
                                                                     maximumOf: xp + start).sum : 0
            }
            return Float(Double(shift) + Foundation.log(partial.reduce(0, +)))
        }
    }

    /// (outer, n, inner) for a softmax along `axis`; a rank-0 tensor is one slice of one element.
    private func softmaxLayout(_ axis: Int, op: String) -> (outer: Int, n: Int, inner: Int) {
        if rank == 0 { return (1, 1, 1) }
        let a = normalizedAxis(axis, op: op)
        let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
        return (outer, shape[a], inner)
    }

    /// Softmax (or log-softmax) of `self` along `axis`, written to `out` (a new tensor of the same shape).
    private func softmaxFamily(axis: Int, into out: inout Tensor, op: String, logarithm: Bool) {
        let (outer, n, inner) = softmaxLayout(axis, op: op)
        if count == 0 { return }
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                Tensor.softmaxKernel(x.baseAddress!, into: o.baseAddress!, outer: outer, n: n, inner: inner,
                                     logarithm: logarithm)
            }
        }
    }

    /// Picks the row kernels (inner = 1) or the strided ones; `out` may equal `x`.
    private static func softmaxKernel(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                                      outer: Int, n: Int, inner: Int, logarithm: Bool) {
        switch (inner, logarithm) {
        case (1, false): RowKernels.softmaxRows(x, into: out, rows: outer, columns: n)
        case (1, true): RowKernels.logSoftmaxRows(x, into: out, rows: outer, columns: n)
        default:
            StridedSoftmax.run(x, out, outer: outer, n: n, inner: inner, kind: logarithm ? .logSoftmax : .softmax)
        }
    }
}

/// Softmax-family kernels along an axis that is not the last: 16 slices at once, one per lane.
private enum StridedSoftmax {
    enum Kind { case softmax, logSoftmax, logSumExp }

    /// Runs `kind` over an [outer, n, inner] layout. Softmaxes write `out` in the input's layout;
    /// logSumExp writes [outer, inner].
    static func run(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                    outer: Int, n: Int, inner: Int, kind: Kind) {
        let blocks = (inner + 15) / 16
        Parallel.forRanges(outer * blocks, minimumPerThread: Swift.max(1, 32_768 / (16 * n))) { range in
            for item in range {
                let o = item / blocks, column = (item % blocks) * 16
                let width = Swift.min(16, inner - column)
                let source = x + o * n * inner + column
                switch kind {
                case .softmax, .logSoftmax:
                    slices(source, out + o * n * inner + column, n, inner, width, logarithm: kind == .logSoftmax)
                case .logSumExp:
                    RowKernels.storePartial(logSumExp(source, n, inner, width), out + o * inner + column, width)
                }
            }
        }
    }

    /// `width` ≤ 16 neighbouring columns of an n × inner block, as one vector.
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ width: Int) -> SIMD16<Float> {
        width == 16 ? loadVector(p) : RowKernels.loadPartial(p, width, padding: 0)
    }

    @inline(__always)
    static func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ width: Int) {
        if width == 16 { storeVector(v, p) } else { RowKernels.storePartial(v, p, width) }
    }

    /// Lane-wise maximum down the n rows (NaN skipped, as in the row kernel).
    @inline(__always)
    static func maximum(_ x: UnsafePointer<Float>, _ n: Int, _ inner: Int, _ width: Int) -> SIMD16<Float> {
        var m = SIMD16<Float>(repeating: -.infinity)
        for j in 0..<n {
            let v = load(x + j * inner, width)
            m = m.replacing(with: v, where: v .> m)
        }
        return m
    }

    /// Lane-wise Σ_j e^(x_j − shift), optionally storing the terms. Terms are summed in blocks of
    /// 256 and the block sums added up, so each Float sum has few terms and stays accurate.
    @inline(__always)
    static func sumOfExp(_ x: UnsafePointer<Float>, _ n: Int, _ inner: Int, _ width: Int, shift: SIMD16<Float>,
                         writingTo out: UnsafeMutablePointer<Float>?) -> SIMD16<Float> {
        var total = SIMD16<Float>(), block = SIMD16<Float>()
        for j in 0..<n {
            let e = FastMath.exp(load(x + j * inner, width) - shift)
            if let out { store(e, out + j * inner, width) }
            block += e
            if j % 256 == 255 { total += block; block = SIMD16<Float>() }
        }
        return total + block
    }

    /// Softmax or log-softmax of `width` columns, each down n rows.
    @inline(__always)
    static func slices(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                       _ n: Int, _ inner: Int, _ width: Int, logarithm: Bool) {
        let m = maximum(x, n, inner, width)
        if logarithm {
            let logSum = FastMath.log(sumOfExp(x, n, inner, width, shift: m, writingTo: nil))
            for j in 0..<n { store(load(x + j * inner, width) - m - logSum, out + j * inner, width) }
        } else {
            let scale = 1 / sumOfExp(x, n, inner, width, shift: m, writingTo: out)
            for j in 0..<n { store(load(UnsafePointer(out) + j * inner, width) * scale, out + j * inner, width) }
        }
    }

    /// log Σ_j e^(x_j) for `width` columns, with 0 in place of an infinite maximum (see RowKernels).
    @inline(__always)
    static func logSumExp(_ x: UnsafePointer<Float>, _ n: Int, _ inner: Int, _ width: Int) -> SIMD16<Float> {
        var shift = maximum(x, n, inner, width)
        shift = shift.replacing(with: 0, where: (shift .== .infinity) .| (shift .== -.infinity))
        return shift + FastMath.log(sumOfExp(x, n, inner, width, shift: shift, writingTo: nil))
    }
}
