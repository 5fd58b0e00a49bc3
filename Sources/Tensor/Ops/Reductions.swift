// Reductions: collapsing one or more axes to a single number per position.
//
//     sum(x, axis k)[…, j, …] = Σ_i x[…, i, …, j, …]     (i runs along axis k)
//     mean = sum / n,   max, min (NaN wins, as in NumPy),
//     var  = Σ (x − mean)² / (n − correction)             (two passes: stable)
//     argmax = the first index of the largest value (NaN counts as largest)
//
// Any reduction over one axis sees the tensor as [outer, n, inner]: outer
// counts the positions before the axis, inner those after it. With inner = 1
// each output is a contiguous run of n numbers, reduced with several SIMD16
// accumulators; with inner > 1 whole rows of `inner` numbers are combined at
// once, sixteen lanes at a time. `keepDims: true` leaves a size-1 axis in place
// so that the result broadcasts against the input (x − x.mean(axis: 1, keepDims: true)).

/// A way to combine many Floats into one: an identity and a pairwise combine.
protocol ReductionKernel {
    static var identity: Float { get }
    static func combine(_ a: Float, _ b: Float) -> Float
    static func combine(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float>
}

enum SumReduction: ReductionKernel {
    static var identity: Float { 0 }
    @inline(__always) static func combine(_ a: Float, _ b: Float) -> Float { a + b }
    @inline(__always) static func combine(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a + b }
}
enum MaxReduction: ReductionKernel {
    static var identity: Float { -.infinity }
    @inline(__always) static func combine(_ a: Float, _ b: Float) -> Float { b > a || b.isNaN ? b : a }
    @inline(__always) static func combine(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        a.replacing(with: b, where: (b .> a) .| (b .!= b))
    }
}
enum MinReduction: ReductionKernel {
    static var identity: Float { .infinity }
    @inline(__always) static func combine(_ a: Float, _ b: Float) -> Float { b < a || b.isNaN ? b : a }
    @inline(__always) static func combine(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        a.replacing(with: b, where: (b .< a) .| (b .!= b))
    }
}

enum ReductionDriver {
    /// Combines n contiguous Floats with four SIMD16 accumulators (64 numbers per step).
    @inline(__always)
    static func contiguous<K: ReductionKernel>(_ x: UnsafePointer<Float>, _ n: Int, _: K.Type) -> Float {
        let id = SIMD16<Float>(repeating: K.identity)
        var a0 = id, a1 = id, a2 = id, a3 = id
        var i = 0
        while i + 64 <= n {
            a0 = K.combine(a0, loadVector(x + i))
            a1 = K.combine(a1, loadVector(x + i + 16))
            a2 = K.combine(a2, loadVector(x + i + 32))
            a3 = K.combine(a3, loadVector(x + i + 48))
            i += 64
        }
        while i + 16 <= n {
            a0 = K.combine(a0, loadVector(x + i))
            i += 16
        }
        let lanes = K.combine(K.combine(a0, a1), K.combine(a2, a3))
        var result = K.identity
        for lane in 0..<16 { result = K.combine(result, lanes[lane]) }
        while i < n {
            result = K.combine(result, x[i])
            i += 1
        }
        return result
    }

    /// out[j] = combine over r of x[r·inner + j], for j in 0..<inner.
    @inline(__always)
    static func rows<K: ReductionKernel>(_ x: UnsafePointer<Float>, _ n: Int, _ inner: Int,
                                         _ out: UnsafeMutablePointer<Float>, _: K.Type) {
        out.update(repeating: K.identity, count: inner)
        for r in 0..<n {
            let row = x + r * inner
            var j = 0
            while j + 16 <= inner {
                storeVector(K.combine(loadVector(out + j), loadVector(row + j)), out + j)
                j += 16
            }
            while j < inner {
                out[j] = K.combine(out[j], row[j])
                j += 1
            }
        }
    }
}

extension Tensor {
    /// Sizes (outer, n, inner) of the [outer, n, inner] view used to reduce `axis`.
    func reductionView(_ axis: Int) -> (outer: Int, n: Int, inner: Int) {
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        return (outer, shape[axis], inner)
    }

    /// The shape after reducing `axis` (kept as size 1, or removed).
    func reducedShape(_ axis: Int, keepDims: Bool) -> [Int] {
        var s = shape
        if keepDims { s[axis] = 1 } else { s.remove(at: axis) }
        return s
    }

    /// Reduces one axis with K.
    func reduce<K: ReductionKernel>(axis: Int, keepDims: Bool, _: K.Type, op: String) -> Tensor {
        let axis = normalizedAxis(axis, op: op)
        let (outer, n, inner) = reductionView(axis)
        if K.self != SumReduction.self {
            precondition(n > 0, "\(op): cannot reduce an empty axis \(axis) of shape \(shape)")
        }
        var out = Tensor(uninitializedShape: reducedShape(axis, keepDims: keepDims))
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                let xp = x.baseAddress!, op = o.baseAddress!
                if inner == 1 {
                    Parallel.forRanges(outer, minimumPerThread: Swift.max(1, 65_536 / Swift.max(n, 1))) { r in
                        for i in r { op[i] = ReductionDriver.contiguous(xp + i * n, n, K.self) }
                    }
                } else {
                    Parallel.forRanges(outer, minimumPerThread: Swift.max(1, 65_536 / Swift.max(n * inner, 1))) { r in
                        for i in r { ReductionDriver.rows(xp + i * n * inner, n, inner, op + i * inner, K.self) }
                    }
                }
            }
        }
        return out
    }

    /// Reduces every element with K, splitting long tensors across cores.
    func reduceAll<K: ReductionKernel>(_: K.Type) -> Float {
        withUnsafeBufferPointer { x in
            let xp = x.baseAddress!
            let threads = ComputeThreads.count
            if x.count < 262_144 || threads == 1 { return ReductionDriver.contiguous(xp, x.count, K.self) }
            var partial = [Float](repeating: K.identity, count: threads)
            let step = (x.count + threads - 1) / threads
            partial.withUnsafeMutableBufferPointer { p in
                let pp = p.baseAddress!
                Parallel.forEachChunk(threads) { t in
                    let start = t * step, end = Swift.min(x.count, start + step)
                    if start < end { pp[t] = ReductionDriver.contiguous(xp + start, end - start, K.self) }
                }
            }
            return partial.reduce(K.identity, K.combine)
        }
    }

    /// Reduces several axes, one after another (highest first, so indices stay valid).
    func reduce<K: ReductionKernel>(axes: [Int], keepDims: Bool, _: K.Type, op: String) -> Tensor {
        let normalized = Set(axes.map { normalizedAxis($0, op: op) }).sorted(by: >)
        var result = self
        for axis in normalized { result = result.reduce(axis: axis, keepDims: keepDims, K.self, op: op) }
        return result
    }

    // MARK: Public reductions

    /// Sum of all elements (as a Float).
    public func sum() -> Float { reduceAll(SumReduction.self) }
    /// Sum along `axis`.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor { reduce(axis: axis, keepDims: keepDims, SumReduction.self, op: "sum") }
    /// Sum along several axes.
    public func sum(axes: [Int], keepDims: Bool = false) -> Tensor { reduce(axes: axes, keepDims: keepDims, SumReduction.self, op: "sum") }

    /// Mean of all elements.
    public func mean() -> Float {
        precondition(count > 0, "mean: empty tensor of shape \(shape)")
        return sum() / Float(count)
    }
    /// Mean along `axis`.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = normalizedAxis(axis, op: "mean")
        precondition(shape[a] > 0, "mean: empty axis \(axis) of shape \(shape)")
        return sum(axis: a, keepDims: keepDims) / Float(shape[a])
    }
    /// Mean along several axes.
    public func mean(axes: [Int], keepDims: Bool = false) -> Tensor {
        let n = Set(axes.map { normalizedAxis($0, op: "mean") }).reduce(1) { $0 * shape[$1] }
        precondition(n > 0, "mean: empty axes \(axes) of shape \(shape)")
        return sum(axes: axes, keepDims: keepDims) / Float(n)
    }

    /// Largest element (NaN if any element is NaN).
    public func max() -> Float {
        precondition(count > 0, "max: empty tensor of shape \(shape)")
        return reduceAll(MaxReduction.self)
    }
    /// Largest element along `axis`.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor { reduce(axis: axis, keepDims: keepDims, MaxReduction.self, op: "max") }
    /// Smallest element (NaN if any element is NaN).
    public func min() -> Float {
        precondition(count > 0, "min: empty tensor of shape \(shape)")
        return reduceAll(MinReduction.self)
    }
    /// Smallest element along `axis`.
    public func min(axis: Int, keepDims: Bool = false) -> Tensor { reduce(axis: axis, keepDims: keepDims, MinReduction.self, op: "min") }

    /// Variance of all elements: Σ(x − mean)² / (n − correction). correction 0 is NumPy's default, 1 the unbiased estimate.
    public func variance(correction: Int = 0) -> Float {
        precondition(count - correction > 0, "variance: \(count) elements with correction \(correction)")
        let centred = self - mean()
        return (centred * centred).sum() / Float(count - correction)
    }
    /// Variance along `axis`.
    public func variance(axis: Int, keepDims: Bool = false, correction: Int = 0) -> Tensor {
        let a = normalizedAxis(axis, op: "variance")
        precondition(shape[a] - correction > 0, "variance: axis \(axis) of shape \(shape) with correction \(correction)")
        let centred = self - mean(axis: a, keepDims: true)
        return (centred * centred).sum(axis: a, keepDims: keepDims) / Float(shape[a] - correction)
    }
    /// Standard deviation along `axis`: √variance.
    public func standardDeviation(axis: Int, keepDims: Bool = false, correction: Int = 0) -> Tensor {
        variance(axis: axis, keepDims: keepDims, correction: correction).sqrt()
    }

    // MARK: Arg reductions

    /// Row-major offset of the largest element (first one on ties; NaN counts as largest).
    public func argmax() -> Int { argExtreme(greater: true) }
    /// Row-major offset of the smallest element (first one on ties; NaN counts as smallest).
    public func argmin() -> Int { argExtreme(greater: false) }

    /// Index of the largest element along `axis`, as Floats (0, 1, …) in a tensor.
    public func argmax(axis: Int, keepDims: Bool = false) -> Tensor { argExtreme(axis: axis, keepDims: keepDims, greater: true) }
    /// Index of the smallest element along `axis`, as Floats in a tensor.
    public func argmin(axis: Int, keepDims: Bool = false) -> Tensor { argExtreme(axis: axis, keepDims: keepDims, greater: false) }

    /// The first index whose value beats every other (NaN beats everything, as in NumPy).
    private static func better(_ candidate: Float, than best: Float, greater: Bool) -> Bool {
        if best.isNaN { return false }
        if candidate.isNaN { return true }
        return greater ? candidate > best : candidate < best
    }

    private func argExtreme(greater: Bool) -> Int {
        precondition(count > 0, "\(greater ? "argmax" : "argmin"): empty tensor")
        return withUnsafeBufferPointer { x in
            var best = 0
            for i in 1..<x.count where Tensor.better(x[i], than: x[best], greater: greater) { best = i }
            return best
        }
    }

    private func argExtreme(axis: Int, keepDims: Bool, greater: Bool) -> Tensor {
        let op = greater ? "argmax" : "argmin"
        let a = normalizedAxis(axis, op: op)
        let (outer, n, inner) = reductionView(a)
        precondition(n > 0, "\(op): empty axis \(axis) of shape \(shape)")
        var out = Tensor(uninitializedShape: reducedShape(a, keepDims: keepDims))
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<outer {
                    for j in 0..<inner {
                        let base = i * n * inner + j
                        var best = 0
                        for r in 1..<n where Tensor.better(x[base + r * inner], than: x[base + best * inner], greater: greater) {
                            best = r
                        }
                        o[i * inner + j] = Float(best)
                    }
                }
            }
        }
        return out
    }
}
