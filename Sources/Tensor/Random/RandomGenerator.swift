// RandomGenerator: seeded pseudo-random numbers, the same on every run.
//
// Algorithm: xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom
// number generators", 2018). State: four 64-bit words s0..s3. Each step
//     result = rotl(s1 · 5, 7) · 9
//     t = s1 << 17;  s2 ^= s0;  s3 ^= s1;  s1 ^= s2;  s0 ^= s3;  s2 ^= t;  s3 = rotl(s3, 45)
// The state is filled from the seed with SplitMix64 (the seeding the authors
// recommend), so that seeds 0, 1, 2 … give unrelated streams.
//
// Uniform floats take the top 24 bits (Float's mantissa + 1): u = (x >> 40) · 2⁻²⁴ ∈ [0, 1).
// Normal numbers use the Box–Muller transform:
//     z0 = √(−2 ln u1) · cos(2π u2),  z1 = √(−2 ln u1) · sin(2π u2),  u1 ∈ (0, 1].
import Foundation

/// A seeded xoshiro256** generator. Conforms to `RandomNumberGenerator`, so it
/// also drives Swift's own `shuffled(using:)` and `Int.random(in:using:)`.
public struct RandomGenerator: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64
    /// A second normal sample kept from the last Box–Muller pair.
    private var spareNormal: Double?

    /// A generator whose whole stream is fixed by `seed`.
    public init(seed: UInt64) {
        var splitmix = seed
        func next() -> UInt64 {
            splitmix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitmix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = next(); s1 = next(); s2 = next(); s3 = next()
        spareNormal = nil
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = RandomGenerator.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = RandomGenerator.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1) with 24 random bits.
    @inline(__always)
    public mutating func nextUniformFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func nextUniformDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Float = 0, _ high: Float = 1) -> Float {
        low + (high - low) * nextUniformFloat()
    }

    /// A standard normal sample N(0, 1) by Box–Muller (computed in Double).
    public mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let u1 = 1.0 - nextUniformDouble()          // (0, 1]: log is finite
        let u2 = nextUniformDouble()
        let radius = (-2.0 * Foundation.log(u1)).squareRoot()
        let angle = 2.0 * Double.pi * u2
        spareNormal = radius * Foundation.sin(angle)
        return radius * Foundation.cos(angle)
    }

    /// A normal sample N(mean, std²).
    public mutating func normal(mean: Float, std: Float) -> Float {
        mean + std * Float(normal())
    }

    /// A uniform integer in 0..<upperBound without modulo bias (Lemire's method).
    public mutating func nextInt(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "RandomGenerator.nextInt(below:): bound must be positive, got \(upperBound)")
        let bound = UInt64(upperBound)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return Int(product.high)
    }

    /// Shuffles an array in place (Fisher–Yates: swap item i with a uniform j ≤ i, from the end).
    public mutating func shuffle<T>(_ array: inout [T]) {
        var i = array.count - 1
        while i > 0 {
            let j = nextInt(below: i + 1)
            array.swapAt(i, j)
            i -= 1
        }
    }

    /// A random ordering of 0..<count.
    public mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        shuffle(&order)
        return order
    }

    /// Draws an index with probability proportional to `weights` (non-negative, not all zero).
    public mutating func categorical(_ weights: [Float]) -> Int {
        var total = 0.0
        for (i, w) in weights.enumerated() {
            precondition(w >= 0 && w.isFinite, "RandomGenerator.categorical: weight \(i) is \(w)")
            total += Double(w)
        }
        precondition(total > 0, "RandomGenerator.categorical: weights sum to zero")
        let target = nextUniformDouble() * total
        var running = 0.0
        for (i, w) in weights.enumerated() {
            running += Double(w)
            if target < running { return i }
        }
        return weights.lastIndex { $0 > 0 }!
    }

    /// Draws `samples` indices with replacement, each with probability proportional to `weights`.
    public mutating func categorical(_ weights: [Float], samples: Int) -> [Int] {
        (0..<samples).map { _ in categorical(weights) }
    }
}

// The generator's whole state (four words and the spare normal sample) is
// Codable, so a checkpoint can store it and a resumed run draws the numbers a
// straight run would have drawn next.
extension RandomGenerator: Codable, Equatable {}
