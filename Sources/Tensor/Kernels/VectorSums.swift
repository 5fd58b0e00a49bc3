// VectorSums: sums along contiguous runs of Floats, sixteen lanes at a time.
//
//   sum(x)          = Σ x_i
//   dot(a, b)       = Σ a_i b_i
//   dot(a, b, c)    = Σ a_i b_i c_i
//   squaredDeviation(x, c) = Σ (x_i − c)²
//
// A loop `s += x[i]` is a chain: each addition waits for the previous one
// (4 cycles on Zen 3), and the compiler may not reorder Float additions to
// break it. Here the run is cut into vectors of 16 and two SIMD16 partial sums
// are kept, so 32 additions are in flight at once; the 32 lanes are added
// together at the end, and the last n mod 16 elements one by one. The order of
// the additions differs from the plain loop, so the result may differ from it
// in the last bits; it is usually closer to the exact sum (pairwise summation
// has a smaller error bound than the sequential one).
//
// Used by LayerNorm (a mean and a variance per row) and gradient clipping
// (the squared norm of every gradient).

public enum VectorSums {
    /// Σ x_i for i < count.
    @inlinable
    public static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        combine(count) { i in loadVector(x + i) } tail: { i in x[i] }
    }

    /// Σ a_i · b_i for i < count.
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        combine(count) { i in loadVector(a + i) * loadVector(b + i) } tail: { i in a[i] * b[i] }
    }

    /// Σ a_i · b_i · c_i for i < count.
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>,
                           count: Int) -> Float {
        combine(count) { i in loadVector(a + i) * loadVector(b + i) * loadVector(c + i) } tail: { i in a[i] * b[i] * c[i] }
    }

    /// Σ (x_i − center)² for i < count.
    @inlinable
    public static func squaredDeviation(_ x: UnsafePointer<Float>, from center: Float, count: Int) -> Float {
        let c = SIMD16<Float>(repeating: center)
        return combine(count) { i in let d = loadVector(x + i) - c; return d * d } tail: { i in
            let d = x[i] - center
            return d * d
        }
    }

    /// Σ term(i) over i < count: `vector(i)` gives the terms i..<i+16, `tail(i)` one term.
    @inlinable @inline(__always)
    static func combine(_ count: Int, vector: (Int) -> SIMD16<Float>, tail: (Int) -> Float) -> Float {
        var even = SIMD16<Float>(), odd = SIMD16<Float>()
        var i = 0
        while i + 32 <= count {
            even += vector(i)
            odd += vector(i + 16)
            i += 32
        }
        if i + 16 <= count {
            even += vector(i)
            i += 16
        }
        var total = horizontalSum(even + odd)
        while i < count {
            total += tail(i)
            i += 1
        }
        return total
    }

    /// v[0] + v[1] + … + v[15], halving the vector three times (the standard library's
    /// `sum()` is a generic lane-by-lane loop, not inlined).
    @inlinable @inline(__always)
    public static func horizontalSum(_ v: SIMD16<Float>) -> Float {
        let eight = v.lowHalf + v.highHalf
        let four = eight.lowHalf + eight.highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }
}
