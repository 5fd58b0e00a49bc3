// VectorSums: sums along contiguous runs of Floats, sixteen lanes at a time.
//
//   sum(x)          = Σ x_i
//   dot(a, b)       = Σ a_i b_i
//   dot(a, b, c)    = Σ a_i b_i c_i
//   squaredDeviation(x, c) = Σ (x_i − c)²
//
// A loop `s += x[i]` is a chain: each addition waits for the previous one
// (4 cycles on Zen 3), and the compiler may not reorder Float additions to
// break it. Here the run is cut into vectors of 16 added in turn to two SIMD16
// partial sums, so 32 additions are in flight at once; the 32 lanes are added
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
        var partial = PartialSums()
        var i = 0
        while i + 16 <= count { partial.add(loadVector(x + i)); i += 16 }
        var total = partial.total
        while i < count { total += x[i]; i += 1 }
        return total
    }

    /// Σ a_i · b_i for i < count.
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var partial = PartialSums()
        var i = 0
        while i + 16 <= count { partial.add(loadVector(a + i) * loadVector(b + i)); i += 16 }
        var total = partial.total
        while i < count { total += a[i] * b[i]; i += 1 }
        return total
    }

    /// Σ a_i · b_i · c_i for i < count.
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>,
                           count: Int) -> Float {
        var partial = PartialSums()
        var i = 0
        while i + 16 <= count { partial.add(loadVector(a + i) * loadVector(b + i) * loadVector(c + i)); i += 16 }
        var total = partial.total
        while i < count { total += a[i] * b[i] * c[i]; i += 1 }
        return total
    }

    /// Σ (x_i − center)² for i < count.
    @inlinable
    public static func squaredDeviation(_ x: UnsafePointer<Float>, from center: Float, count: Int) -> Float {
        let c = SIMD16<Float>(repeating: center)
        var partial = PartialSums()
        var i = 0
        while i + 16 <= count { let d = loadVector(x + i) - c; partial.add(d * d); i += 16 }
        var total = partial.total
        while i < count { let d = x[i] - center; total += d * d; i += 1 }
        return total
    }

    /// Two SIMD16 partial sums, taking vectors in turn, so that two additions run at once.
    @usableFromInline
    struct PartialSums {
        @usableFromInline var even = SIMD16<Float>(), odd = SIMD16<Float>()
        @usableFromInline var nextIsOdd = false

        @inlinable @inline(__always)
        init() {}

        @inlinable @inline(__always)
        mutating func add(_ v: SIMD16<Float>) {
            if nextIsOdd { odd += v } else { even += v }
            nextIsOdd.toggle()
        }

        /// The 32 lanes added together.
        @inlinable @inline(__always)
        var total: Float { horizontalSum(even + odd) }
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
