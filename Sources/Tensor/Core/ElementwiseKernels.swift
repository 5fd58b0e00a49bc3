// Elementwise kernels: how one formula is run over whole tensors.
//
// A kernel states its formula twice: once for one Float and once for sixteen
// at a time (`SIMD16<Float>`, one AVX-512 register). The drivers below walk the
// memory, hand full vectors of 16 to the SIMD form and the last few elements
// to the scalar form. Because the kernels are types (not closures), the
// compiler specialises each driver for each kernel and inlines the formula
// into the loop: `a + b` over a million elements becomes one `vaddps` per 16.
//
//     out[i] = f(x[i])              unary   (map)
//     out[i] = f(a[i·sa], b[i·sb])  binary  (zip), sa, sb ∈ {0, 1} after broadcasting

/// A formula of one Float, given for one element and for sixteen.
public protocol UnaryFloatKernel {
    static func apply(_ x: Float) -> Float
    static func apply(_ x: SIMD16<Float>) -> SIMD16<Float>
}

/// A formula of two Floats, given for one pair and for sixteen pairs.
public protocol BinaryFloatKernel {
    static func apply(_ a: Float, _ b: Float) -> Float
    static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float>
}

/// Loads 16 Floats from memory that may not be 64-byte aligned.
@inline(__always) @usableFromInline
func loadVector(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

/// Stores 16 Floats to memory that may not be 64-byte aligned.
@inline(__always) @usableFromInline
func storeVector(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

enum ElementwiseDriver {
    /// out[i] = K(x[i]) for i in 0..<count (out may equal x).
    @inline(__always)
    static func map<K: UnaryFloatKernel>(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                          _ count: Int, _: K.Type) {
        var i = 0
        while i + 16 <= count {
            storeVector(K.apply(loadVector(x + i)), out + i)
            i += 16
        }
        while i < count {
            out[i] = K.apply(x[i])
            i += 1
        }
    }

    /// out[i] = K(a[i·sa], b[i·sb]) with sa, sb ∈ {0, 1} (out may equal a or b when its stride is 1).
    ///
    /// One loop serves all three stride patterns, so the SIMD form is copied into one
    /// place only (kernels mark it @_transparent: see FastMath.swift).
    @inline(__always)
    static func zip<K: BinaryFloatKernel>(_ a: UnsafePointer<Float>, _ strideA: Int,
                                          _ b: UnsafePointer<Float>, _ strideB: Int,
                                          _ out: UnsafeMutablePointer<Float>, _ count: Int, _: K.Type) {
        let splatA = SIMD16<Float>(repeating: a[0]), splatB = SIMD16<Float>(repeating: b[0])
        var i = 0
        while i + 16 <= count {
            let va = strideA == 0 ? splatA : loadVector(a + i)
            let vb = strideB == 0 ? splatB : loadVector(b + i)
            storeVector(K.apply(va, vb), out + i)
            i += 16
        }
        while i < count { out[i] = K.apply(a[i * strideA], b[i * strideB]); i += 1 }
    }
}

extension Tensor {
    /// A new tensor with K applied to every element; large tensors are split across cores.
    public func map<K: UnaryFloatKernel>(_ kernel: K.Type) -> Tensor {
        var out = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                let xp = x.baseAddress!, op = o.baseAddress!
                Parallel.forRanges(x.count, minimumPerThread: 65_536) { r in
                    ElementwiseDriver.map(xp + r.lowerBound, op + r.lowerBound, r.count, K.self)
                }
            }
        }
        return out
    }

    /// Applies K to every element in place.
    public mutating func mapInPlace<K: UnaryFloatKernel>(_ kernel: K.Type) {
        withUnsafeMutableBufferPointer { x in
            let xp = x.baseAddress!
            Parallel.forRanges(x.count, minimumPerThread: 65_536) { r in
                ElementwiseDriver.map(xp + r.lowerBound, xp + r.lowerBound, r.count, K.self)
            }
        }
    }

    /// A new tensor with a closure applied to every element (convenient, not vectorised).
    public func map(_ transform: (Float) -> Float) -> Tensor {
        var out = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<x.count { o[i] = transform(x[i]) }
            }
        }
        return out
    }

    /// K applied pairwise to `lhs` and `rhs` after broadcasting them to a common shape.
    public static func zip<K: BinaryFloatKernel>(_ lhs: Tensor, _ rhs: Tensor, _ kernel: K.Type,
                                                 op: String) -> Tensor {
        let shape = broadcastShape(lhs.shape, rhs.shape, op: op)
        var out = Tensor(uninitializedShape: shape)
        if out.count == 0 { return out }
        let plan = BroadcastPlan(shape: shape, strides: [broadcastStrides(lhs.shape, to: shape),
                                                         broadcastStrides(rhs.shape, to: shape)])
        lhs.withUnsafeBufferPointer { a in
            rhs.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { o in
                    run(plan, a.baseAddress!, b.baseAddress!, o.baseAddress!, K.self)
                }
            }
        }
        return out
    }

    /// lhs = K(lhs, rhs) in place; `rhs` must broadcast to `lhs`'s shape.
    public static func zipInPlace<K: BinaryFloatKernel>(_ lhs: inout Tensor, _ rhs: Tensor, _ kernel: K.Type,
                                                        op: String) {
        let shape = broadcastShape(lhs.shape, rhs.shape, op: op)
        guard shape == lhs.shape else {
            lhs = zip(lhs, rhs, K.self, op: op)   // the result is bigger than lhs: no in-place update possible
            return
        }
        if lhs.count == 0 { return }
        let plan = BroadcastPlan(shape: shape, strides: [rowMajorStrides(shape), broadcastStrides(rhs.shape, to: shape)])
        rhs.withUnsafeBufferPointer { b in
            lhs.withUnsafeMutableBufferPointer { a in
                run(plan, UnsafePointer(a.baseAddress!), b.baseAddress!, a.baseAddress!, K.self)
            }
        }
    }

    /// Walks a broadcast plan: inner runs in parallel when there are many, or the one long run split.
    private static func run<K: BinaryFloatKernel>(_ plan: BroadcastPlan, _ a: UnsafePointer<Float>,
                                                  _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                                  _: K.Type) {
        let inner = plan.innerCount, sa = plan.innerStrides[0], sb = plan.innerStrides[1]
        let runs = plan.outerCount
        if runs == 1 {
            Parallel.forRanges(inner, minimumPerThread: 65_536) { r in
                ElementwiseDriver.zip(a + r.lowerBound * sa, sa, b + r.lowerBound * sb, sb,
                                      out + r.lowerBound, r.count, K.self)
            }
            return
        }
        Parallel.forRanges(runs, minimumPerThread: Swift.max(1, 65_536 / Swift.max(inner, 1))) { r in
            for run in r {
                let offsetA = plan.offsets(ofRun: run, input: 0)
                let offsetB = plan.offsets(ofRun: run, input: 1)
                ElementwiseDriver.zip(a + offsetA, sa, b + offsetB, sb, out + run * inner, inner, K.self)
            }
        }
    }
}
