// Basic elementwise functions that need no transcendental maths:
//     −x,  |x|,  x²,  √x,  relu(x) = max(x, 0),  clamp(x, lo, hi) = min(max(x, lo), hi)
// (exp, log, tanh, sigmoid, GELU and pow live in Transcendental.swift.)

enum NegateKernel: UnaryFloatKernel {
    @inline(__always) static func apply(_ x: Float) -> Float { -x }
    // Flip the sign bit, so that −0 comes out of +0 (SIMD's prefix − computes 0 − x).
    @_transparent static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> { FastMath.negated(x) }
}
enum AbsoluteKernel: UnaryFloatKernel {
    @inline(__always) static func apply(_ x: Float) -> Float { Swift.abs(x) }
    // Clear the sign bit.
    @_transparent static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> { FastMath.magnitude(x) }
}
enum SquareKernel: UnaryFloatKernel {
    @inline(__always) static func apply(_ x: Float) -> Float { x * x }
    @_transparent static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> { x * x }
}
enum SquareRootKernel: UnaryFloatKernel {
    @inline(__always) static func apply(_ x: Float) -> Float { x.squareRoot() }
    @_transparent static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> { x.squareRoot() }
}
enum ReLUKernel: UnaryFloatKernel {
    // NaN stays NaN (x > 0 is false for NaN, so keep x when it is not below 0).
    @inline(__always) static func apply(_ x: Float) -> Float { x < 0 ? 0 : x }
    @_transparent static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> { x.replacing(with: 0, where: x .< 0) }
}

extension Tensor {
    /// |x| elementwise.
    public func abs() -> Tensor { map(AbsoluteKernel.self) }
    /// x² elementwise.
    public func squared() -> Tensor { map(SquareKernel.self) }
    /// √x elementwise (NaN for negative x).
    public func sqrt() -> Tensor { map(SquareRootKernel.self) }
    /// max(x, 0) elementwise.
    public func relu() -> Tensor { map(ReLUKernel.self) }

    /// Every element limited to [low, high] (NaN stays NaN).
    public func clamped(min low: Float = -.infinity, max high: Float = .infinity) -> Tensor {
        precondition(!(low > high), "clamped: min \(low) is above max \(high)")
        var out = Tensor(uninitializedShape: shape)
        let lowVector = SIMD16<Float>(repeating: low), highVector = SIMD16<Float>(repeating: high)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                let xp = x.baseAddress!, op = o.baseAddress!
                Parallel.forRanges(x.count, minimumPerThread: 65_536) { r in
                    var i = r.lowerBound
                    while i + 16 <= r.upperBound {
                        var v = loadVector(xp + i)
                        v = v.replacing(with: lowVector, where: v .< lowVector)
                        v = v.replacing(with: highVector, where: v .> highVector)
                        storeVector(v, op + i)
                        i += 16
                    }
                    while i < r.upperBound {
                        let v = xp[i]
                        op[i] = v < low ? low : (v > high ? high : v)
                        i += 1
                    }
                }
            }
        }
        return out
    }
}
