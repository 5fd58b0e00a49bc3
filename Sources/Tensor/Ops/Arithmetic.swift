// Arithmetic: + − × ÷, elementwise maximum and minimum, with broadcasting.
//
//     (a ∘ b)[i] = a[i] ∘ b[i]   after both are broadcast to a common shape
//
// A Float on either side behaves as a rank-0 tensor, so `x * 2 + 1` works.

enum AddKernel: BinaryFloatKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a + b }
    @_transparent static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a + b }
}
enum SubtractKernel: BinaryFloatKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a - b }
    @_transparent static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a - b }
}
enum MultiplyKernel: BinaryFloatKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a * b }
    @_transparent static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a * b }
}
enum DivideKernel: BinaryFloatKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a / b }
    @_transparent static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a / b }
}
enum MaximumKernel: BinaryFloatKernel {
    // NaN propagates, as in numpy.maximum.
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
    @_transparent static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        let larger = a.replacing(with: b, where: b .> a)
        return larger.replacing(with: .nan, where: (a .!= a) .| (b .!= b))
    }
}
enum MinimumKernel: BinaryFloatKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }
    @_transparent static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        let smaller = a.replacing(with: b, where: b .< a)
        return smaller.replacing(with: .nan, where: (a .!= a) .| (b .!= b))
    }
}
extension Tensor {
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { zip(lhs, rhs, AddKernel.self, op: "+") }
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { zip(lhs, rhs, SubtractKernel.self, op: "-") }
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { zip(lhs, rhs, MultiplyKernel.self, op: "*") }
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { zip(lhs, rhs, DivideKernel.self, op: "/") }

    public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs + Tensor(rhs) }
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs - Tensor(rhs) }
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs * Tensor(rhs) }
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs / Tensor(rhs) }
    public static func + (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) + rhs }
    public static func - (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) - rhs }
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) * rhs }
    public static func / (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) / rhs }

    public static func += (lhs: inout Tensor, rhs: Tensor) { zipInPlace(&lhs, rhs, AddKernel.self, op: "+=") }
    public static func -= (lhs: inout Tensor, rhs: Tensor) { zipInPlace(&lhs, rhs, SubtractKernel.self, op: "-=") }
    public static func *= (lhs: inout Tensor, rhs: Tensor) { zipInPlace(&lhs, rhs, MultiplyKernel.self, op: "*=") }
    public static func /= (lhs: inout Tensor, rhs: Tensor) { zipInPlace(&lhs, rhs, DivideKernel.self, op: "/=") }
    public static func += (lhs: inout Tensor, rhs: Float) { lhs += Tensor(rhs) }
    public static func -= (lhs: inout Tensor, rhs: Float) { lhs -= Tensor(rhs) }
    public static func *= (lhs: inout Tensor, rhs: Float) { lhs *= Tensor(rhs) }
    public static func /= (lhs: inout Tensor, rhs: Float) { lhs /= Tensor(rhs) }

    /// Elementwise negation.
    public static prefix func - (x: Tensor) -> Tensor { x.map(NegateKernel.self) }

    /// Elementwise larger of the two (NaN if either is NaN), with broadcasting.
    public static func maximum(_ lhs: Tensor, _ rhs: Tensor) -> Tensor { zip(lhs, rhs, MaximumKernel.self, op: "maximum") }
    /// Elementwise smaller of the two (NaN if either is NaN), with broadcasting.
    public static func minimum(_ lhs: Tensor, _ rhs: Tensor) -> Tensor { zip(lhs, rhs, MinimumKernel.self, op: "minimum") }
}
