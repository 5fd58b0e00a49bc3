// Comparisons and selection.
//
//     (a .< b)[i] = 1 if a[i] < b[i] else 0      (likewise .<= .> .>= .== .!=)
//     where(mask, a, b)[i] = a[i] if mask[i] ≠ 0 else b[i]
//
// A mask is an ordinary tensor of 0s and 1s, so it can be summed (count the
// true cases) or multiplied in. The operators are Swift's pointwise ones
// (`.<`, as for SIMD vectors) because `==` already means "same tensor".

infix operator .<  : ComparisonPrecedence
infix operator .<= : ComparisonPrecedence
infix operator .>  : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence
infix operator .== : ComparisonPrecedence
infix operator .!= : ComparisonPrecedence

enum LessKernel: BinaryFloatKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a < b ? 1 : 0 }
    @_transparent static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        SIMD16<Float>(repeating: 0).replacing(with: 1, where: a .< b)
    }
}
enum LessOrEqualKernel: BinaryFloatKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a <= b ? 1 : 0 }
    @_transparent static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        SIMD16<Float>(repeating: 0).replacing(with: 1, where: a .<= b)
    }
}
enum EqualKernel: BinaryFloatKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a == b ? 1 : 0 }
    @_transparent static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        SIMD16<Float>(repeating: 0).replacing(with: 1, where: a .== b)
    }
}
enum NotEqualKernel: BinaryFloatKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a != b ? 1 : 0 }
    @_transparent static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        SIMD16<Float>(repeating: 0).replacing(with: 1, where: a .!= b)
    }
}

extension Tensor {
    public static func .< (lhs: Tensor, rhs: Tensor) -> Tensor { zip(lhs, rhs, LessKernel.self, op: ".<") }
    public static func .<= (lhs: Tensor, rhs: Tensor) -> Tensor { zip(lhs, rhs, LessOrEqualKernel.self, op: ".<=") }
    public static func .> (lhs: Tensor, rhs: Tensor) -> Tensor { zip(rhs, lhs, LessKernel.self, op: ".>") }
    public static func .>= (lhs: Tensor, rhs: Tensor) -> Tensor { zip(rhs, lhs, LessOrEqualKernel.self, op: ".>=") }
    public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor { zip(lhs, rhs, EqualKernel.self, op: ".==") }
    public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor { zip(lhs, rhs, NotEqualKernel.self, op: ".!=") }
    public static func .< (lhs: Tensor, rhs: Float) -> Tensor { lhs .< Tensor(rhs) }
    public static func .<= (lhs: Tensor, rhs: Float) -> Tensor { lhs .<= Tensor(rhs) }
    public static func .> (lhs: Tensor, rhs: Float) -> Tensor { lhs .> Tensor(rhs) }
    public static func .>= (lhs: Tensor, rhs: Float) -> Tensor { lhs .>= Tensor(rhs) }
    public static func .== (lhs: Tensor, rhs: Float) -> Tensor { lhs .== Tensor(rhs) }
    public static func .!= (lhs: Tensor, rhs: Float) -> Tensor { lhs .!= Tensor(rhs) }

    /// Picks from `a` where `mask` is non-zero and from `b` elsewhere; all three broadcast together.
    public static func `where`(_ mask: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        // where(m, a, b) = b + (m ≠ 0)·(a − b) is not exact in floating point (inf − inf),
        // so select explicitly: broadcast everything to the result shape, then choose.
        let shape = broadcastShape(broadcastShape(mask.shape, a.shape, op: "where"), b.shape, op: "where")
        let m = mask.broadcast(to: shape), x = a.broadcast(to: shape), y = b.broadcast(to: shape)
        var out = Tensor(uninitializedShape: shape)
        m.withUnsafeBufferPointer { mp in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    out.withUnsafeMutableBufferPointer { op in
                        var i = 0
                        let zero = SIMD16<Float>(repeating: 0)
                        while i + 16 <= op.count {
                            let chosen = loadVector(yp.baseAddress! + i)
                                .replacing(with: loadVector(xp.baseAddress! + i), where: loadVector(mp.baseAddress! + i) .!= zero)
                            storeVector(chosen, op.baseAddress! + i)
                            i += 16
                        }
                        while i < op.count { op[i] = mp[i] != 0 ? xp[i] : yp[i]; i += 1 }
                    }
                }
            }
        }
        return out
    }
}
