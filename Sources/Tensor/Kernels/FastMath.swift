// FastMath: exp, log, tanh (and pow) on sixteen Floats at once.
//
// Foundation's exp, log and tanh are scalar library calls: one call per
// number, no AVX-512. Here each function works on a whole SIMD16<Float> with
// the same three steps every vectorised maths library uses:
//   1. range reduction: rewrite f(x) with an exact power of two and a small r,
//   2. a short polynomial that is accurate for small r,
//   3. reconstruction: put the power of two back by writing exponent bits.
//
// exp(x) = 2^n · e^r   with n = round(x / ln2), r = x − n·ln2, so |r| ≤ ln2/2.
//   • r is computed in two steps (Cody and Waite, 1980): ln2 = hi + lo, where hi
//     = 0.693359375 has only 9 significant bits, so n·hi is exact for every n we
//     meet and x − n·hi loses nothing; then r = (x − n·hi) − n·lo.
//   • e^r = 1 + r + r²/2! + … + r⁷/7!  (Taylor; the first term left out,
//     r⁸/8! ≤ 0.347⁸/40320 ≈ 5e-9, is below float precision).
//   • 2^n is built from its bits: a Float is 2^(exponent − 127) · 1.mantissa, so
//     2^n has exponent field n + 127 and mantissa 0, i.e. bits (n + 127) << 23.
//   • A normal Float power of two needs −126 ≤ n ≤ 127, but e^x has Float
//     answers for n from −150 (subnormal) to 128 (overflow to +inf). So x is
//     first clamped to [−104, 88.8] (past those the answer is 0 or +inf anyway),
//     and 2^n is applied as two halves 2^a · 2^(n−a), a = ⌊n/2⌋, each normal.
//     p · 2^a is exact, so the answer is rounded once: +inf past
//     exp(88.72) ≈ Float.greatestFiniteMagnitude, subnormal down to
//     exp(−103.97) ≈ 2^−150, 0 below. NaN stays NaN.
//
// log(x) = e·ln2 + log(m)   from x = m · 2^e with m in [√½, √2).
//   • e and m are read from the bits of x (exponent field and mantissa);
//     subnormal x is first scaled by 2^23 (and 23 taken off e).
//   • With s = (m − 1)/(m + 1), |s| ≤ 0.172, m = (1 + s)/(1 − s), so
//     log(m) = 2·atanh(s) = 2s + 2s³/3 + 2s⁵/5 + 2s⁷/7 + 2s⁹/9 + …
//     (the next term is below 2e-9 relative to 2s).
//   • e·ln2 is added in two pieces (hi + lo, as above) to keep its rounding small.
//   • log(0) = −inf, log(x < 0) = NaN, log(+inf) = +inf, log(NaN) = NaN.
//
// tanh(x) = sign(x) · (1 − e^(−2|x|)) / (1 + e^(−2|x|)).
//   • For small |x| the numerator 1 − e^(−2|x|) cancels: tanh(1e-5) would keep
//     only two correct digits. Below |x| = 0.3 we use the odd Taylor series
//     x − x³/3 + 2x⁵/15 − 17x⁷/315 + 62x⁹/2835 − 1382x¹¹/155925
//     (the first term left out is below 2e-9 relative there).
//   • |x| is capped at 10 before calling exp: tanh(10) rounds to 1 in Float,
//     so larger |x| saturates to ±1 exactly, and NaN stays NaN.
//   • tanh is odd, so both forms work on |x| and the sign of x is put back last.
//
// pow(x, p) = 2^(p·log2 x) computed in Double: in Float the product p·log2 x
// carries an absolute error of about |p·log2 x|·6e-8, which e^(…) turns into
// a relative error of the result that grows with the size of the result
// (about 40 ulp near Float.greatestFiniteMagnitude). Double leaves room for it.
//
// In exp, log and tanh every step is one AVX-512 instruction on 16 lanes
// (arithmetic, vfmadd, compares and blends, vrndscaleps, bit operations) and
// there are no branches: special values (NaN, ±inf, 0, subnormals) are handled
// by blending. Integers become Floats with the same trick as 2^n (OR them into
// the mantissa of 2^23, then subtract 2^23), because the standard library's
// SIMD conversions and `any`/`all` can compile to calls instead of single
// instructions. (pow converts to Double and back, which costs a few more.)
//
// The functions are @_transparent: copied into every caller as it is compiled.
// @inline(__always) is only a strong hint, and Swift declines it for large
// bodies: an exp called out of line takes and returns its SIMD16 through
// memory, in four pieces, and once made the GELU backward six times slower.
// The kernels' SIMD forms (ElementwiseKernels.swift) are transparent for the
// same reason.
//
// Accuracy (measured against Double on millions of inputs, pinned by
// Tests/TensorTests/FastMathTests.swift): see the bounds stated there.

/// Vectorised exp, log, tanh and pow for `SIMD16<Float>`: range reduction + polynomial.
public enum FastMath {

    // MARK: exp

    /// e^x for sixteen Floats: within 1 ulp; +inf past 88.72, subnormal down to −103.97, then 0.
    @_transparent
    public static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        // Past 88.8 the answer is +inf and below −104 it is 0: clamping keeps n in −150…128.
        // (Comparisons with NaN are false, so NaN lanes pass through and stay NaN.)
        var clamped = x.replacing(with: 88.8, where: x .> 88.8)
        clamped = clamped.replacing(with: -104, where: clamped .< -104)
        let n = (clamped * 1.44269504).rounded(.toNearestOrEven)     // n = round(x / ln2)
        let a = (n * 0.5).rounded(.down)                              // 2^n = 2^a · 2^(n − a)
        return expOfReduced(clamped, n) * powerOfTwo(a) * powerOfTwo(n - a)
    }

    /// e^r for r = x − n·ln2 (|r| ≤ ln2/2): the reduction and the polynomial of exp.
    @_transparent @usableFromInline
    static func expOfReduced(_ x: SIMD16<Float>, _ n: SIMD16<Float>) -> SIMD16<Float> {
        // r = x − n·ln2 with ln2 = 0.693359375 − 2.12194440e-4 (Cody–Waite).
        var r = multiplyAdd(n, splat(-0.693359375), x)
        r = multiplyAdd(n, splat(2.12194440e-4), r)
        // Horner: 1 + r(1 + r(1/2 + r(1/6 + r(1/24 + r(1/120 + r(1/720 + r/5040)))))).
        var p = splat(1.0 / 5040)
        p = multiplyAdd(p, r, 1.0 / 720)
        p = multiplyAdd(p, r, 1.0 / 120)
        p = multiplyAdd(p, r, 1.0 / 24)
        p = multiplyAdd(p, r, 1.0 / 6)
        p = multiplyAdd(p, r, 0.5)
        p = multiplyAdd(p, r, 1)
        return multiplyAdd(p, r, 1)
    }

    /// 2^n for whole numbers n in −126…127, written straight into the exponent bits.
    @_transparent @usableFromInline
    static func powerOfTwo(_ n: SIMD16<Float>) -> SIMD16<Float> {
        // n + 2^23 + 127 is a Float in [2^23, 2^24) whose low mantissa bits hold the integer n + 127;
        // shifting left by 23 moves those bits into the exponent field and clears the mantissa.
        let biased = unsafeBitCast(n + 8_388_735, to: SIMD16<UInt32>.self)
        return unsafeBitCast(biased &<< 23, to: SIMD16<Float>.self)
    }

    // MARK: log

    /// Natural logarithm of sixteen Floats: within 2 ulp; log(0) = −inf, log(x < 0) = NaN.
    @_transparent
    public static func log(_ x: SIMD16<Float>) -> SIMD16<Float> {
        // Subnormal x: log(x) = log(x · 2^23) − 23·ln2, and x · 2^23 is normal. (Zero and negative
        // lanes are scaled too; their garbage answers are replaced at the end.)
        let small = x .< Float.leastNormalMagnitude
        let scaled = x.replacing(with: x * 8_388_608, where: small)
        let shift = SIMD16<Float>().replacing(with: -23, where: small)
        var y = logOfNormal(scaled, exponentShift: shift)
        y = y.replacing(with: -.infinity, where: x .== 0)
        y = y.replacing(with: .nan, where: x .< 0)
        return y.replacing(with: x, where: .!(x .< .infinity))         // +inf → +inf, NaN → NaN
    }

    /// log(x) + shift·ln2 for positive, normal, finite x.
    @_transparent @usableFromInline
    static func logOfNormal(_ x: SIMD16<Float>, exponentShift: SIMD16<Float>) -> SIMD16<Float> {
        let bits = unsafeBitCast(x, to: SIMD16<UInt32>.self)
        // x = 1.mantissa · 2^(field − 127): m in [1, 2) gets the exponent field of 1.0, and the
        // field becomes a Float by OR-ing it into the mantissa of 2^23 and subtracting 2^23.
        var m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F80_0000, to: SIMD16<Float>.self)
        let field = unsafeBitCast((bits &>> 23) | 0x4B00_0000, to: SIMD16<Float>.self)
        var e = field - 8_388_735 + exponentShift                         // field − 2^23 − 127
        // Centre m on 1: for m > √2 use m/2 (exact) and one more power of two.
        let above = m .> 1.41421356
        m = m.replacing(with: m * 0.5, where: above)
        e = e.replacing(with: e + 1, where: above)
        // log(m) = 2·atanh(s), s = (m − 1)/(m + 1); m − 1 is exact for m in [√½, √2).
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var q = splat(2.0 / 9)
        q = multiplyAdd(q, s2, 2.0 / 7)
        q = multiplyAdd(q, s2, 2.0 / 5)
        q = multiplyAdd(q, s2, 2.0 / 3)
        let logM = multiplyAdd(s * s2, q, s + s)                          // 2s + s³·(2/3 + 2s²/5 + …)
        // e·ln2 + log(m) = e·hi + (e·lo + log(m)) with ln2 = hi + lo, so that e·hi is exact.
        return multiplyAdd(e, splat(0.693359375), multiplyAdd(e, splat(-2.12194440e-4), logM))
    }

    // MARK: tanh

    /// Hyperbolic tangent of sixteen Floats: within 2.5 ulp, small |x| by series, ±1 beyond |x| ≈ 9.
    @_transparent
    public static func tanh(_ x: SIMD16<Float>) -> SIMD16<Float> {
        // tanh is odd: work on a = |x| and put the sign of x back at the end (so tanh(−0) = −0).
        let a = magnitude(x)
        // Large |x|: (1 − e)/(1 + e) with e = e^(−2a).
        let e = exp(-2 * a.replacing(with: 10, where: a .> 10))
        let large = (1 - e) / (1 + e)
        // Small |x|: a + a³·(−1/3 + a²(2/15 + a²(−17/315 + a²(62/2835 − a²·1382/155925)))).
        let a2 = a * a
        var q = splat(-1382.0 / 155_925)
        q = multiplyAdd(q, a2, 62.0 / 2835)
        q = multiplyAdd(q, a2, -17.0 / 315)
        q = multiplyAdd(q, a2, 2.0 / 15)
        q = multiplyAdd(q, a2, -1.0 / 3)
        let small = multiplyAdd(a * a2, q, a)
        return withSign(of: x, large.replacing(with: small, where: a .< 0.3))
    }

    // MARK: pow

    /// x^p lane by lane, with C's `pow` rules for zeros, infinities, NaN and negative x.
    ///
    /// Negative x gives a real answer only for whole p (its sign is − for odd p), NaN otherwise;
    /// x^0 = 1 and 1^p = 1 even for NaN; (±1)^±inf = 1.
    @inlinable
    public static func pow(_ x: SIMD16<Float>, _ p: SIMD16<Float>) -> SIMD16<Float> {
        let a = magnitude(x)
        // |x|^p in Double, half a vector at a time.
        let low = SIMD8<Float>(powOfMagnitude(SIMD8<Double>(a.lowHalf), SIMD8<Double>(p.lowHalf)))
        let high = SIMD8<Float>(powOfMagnitude(SIMD8<Double>(a.highHalf), SIMD8<Double>(p.highHalf)))
        var y = SIMD16<Float>(lowHalf: low, highHalf: high)
        // Negative x: whole p keeps |x|^p (negated for odd p), any other p has no real answer
        // (except x = −inf, where C's pow gives |x|^p).
        let wholeP = p .== p.rounded(.towardZero)
        let oddP = wholeP .& ((p * 0.5) .!= (p * 0.5).rounded(.towardZero))
        let negativeX = x .< 0
        y = y.replacing(with: negated(y), where: negativeX .& oddP)
        y = y.replacing(with: .nan, where: negativeX .& .!wholeP .& (x .> -.infinity))
        // −0 with an odd power keeps its sign: (−0)^3 = −0, (−0)^−1 = −inf.
        let negativeZero = (x .== 0) .& (unsafeBitCast(x, to: SIMD16<UInt32>.self) .!= 0)
        y = y.replacing(with: negated(y), where: negativeZero .& oddP)
        // The cases that are 1 whatever the other argument is.
        let one = (p .== 0) .| (x .== 1) .| ((a .== 1) .& ((p .== .infinity) .| (p .== -.infinity)))
        return y.replacing(with: 1, where: one)
    }

    /// a^p = 2^(p·log2 a) in Double for a ≥ 0 (a converted from Float, so normal in Double).
    @_transparent @usableFromInline
    static func powOfMagnitude(_ a: SIMD8<Double>, _ p: SIMD8<Double>) -> SIMD8<Double> {
        // log2(a) = e + log(m)/ln2, m in [√½, √2), log(m) = 2·atanh(s) as in `log`, more terms for Double:
        // 2s + 2s³/3 + … + 2s¹⁵/15 (the next term is below 2e-12 relative to 2s).
        let bits = unsafeBitCast(a, to: SIMD8<UInt64>.self)
        var m = unsafeBitCast((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000, to: SIMD8<Double>.self)
        let field = unsafeBitCast((bits &>> 52) | 0x4330_0000_0000_0000, to: SIMD8<Double>.self)
        var e = field - 4_503_599_627_371_519                          // field − 2^52 − 1023
        let above = m .> 1.4142135623730951
        m = m.replacing(with: m * 0.5, where: above)
        e = e.replacing(with: e + 1, where: above)
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var q = SIMD8<Double>(repeating: 2.0 / 15)
        q = q * s2 + 2.0 / 13
        q = q * s2 + 2.0 / 11
        q = q * s2 + 2.0 / 9
        q = q * s2 + 2.0 / 7
        q = q * s2 + 2.0 / 5
        q = q * s2 + 2.0 / 3
        let logM = (s + s).addingProduct(s * s2, q)
        var y = p * e.addingProduct(logM, SIMD8<Double>(repeating: 1.4426950408889634))   // p · log2(a)
        // a = 0, +inf or NaN: log2 a would be −inf, +inf or NaN; the IEEE rules for p · (±inf) give the answers.
        y = y.replacing(with: -.infinity, where: (a .== 0) .& (p .> 0))
        y = y.replacing(with: .infinity, where: (a .== 0) .& (p .< 0))
        y = y.replacing(with: p * .infinity, where: a .== .infinity)
        y = y.replacing(with: .nan, where: a .!= a)
        // 2^y = 2^n · e^(f·ln2), n = round(y), |f| ≤ ½. Float results exist only for y in −150…128,
        // so clamping y to −160…130 changes no answer and keeps 2^n a normal Double.
        y = y.replacing(with: 130, where: y .> 130)
        y = y.replacing(with: -160, where: y .< -160)
        let n = y.rounded(.toNearestOrEven)
        let g = (y - n) * 0.6931471805599453                           // |g| ≤ 0.347
        // e^g = 1 + g + g²/2! + … + g⁹/9! (the next term, g¹⁰/10!, is below 1e-11).
        var t = SIMD8<Double>(repeating: 1.0 / 362_880)
        t = t * g + 1.0 / 40_320
        t = t * g + 1.0 / 5040
        t = t * g + 1.0 / 720
        t = t * g + 1.0 / 120
        t = t * g + 1.0 / 24
        t = t * g + 1.0 / 6
        t = t * g + 0.5
        t = t * g + 1
        t = t * g + 1
        // 2^n from its exponent bits, (n + 1023) << 52: the Double version of `powerOfTwo`.
        let biased = unsafeBitCast(n + 4_503_599_627_371_519, to: SIMD8<UInt64>.self)   // n + 2^52 + 1023
        return t * unsafeBitCast(biased &<< 52, to: SIMD8<Double>.self)
    }

    // MARK: Helpers

    /// a·b + c with one rounding (one `vfmadd` instruction).
    @_transparent
    public static func multiplyAdd(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>) -> SIMD16<Float> {
        c.addingProduct(a, b)
    }

    /// a·b + c with one rounding, c the same in every lane.
    @_transparent
    public static func multiplyAdd(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: Float) -> SIMD16<Float> {
        SIMD16<Float>(repeating: c).addingProduct(a, b)
    }

    /// |x|, by clearing the sign bit.
    @_transparent
    public static func magnitude(_ x: SIMD16<Float>) -> SIMD16<Float> {
        unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: SIMD16<Float>.self)
    }

    /// −x, by flipping the sign bit. (The standard library's prefix − on SIMD vectors computes
    /// 0 − x, which turns +0 into +0 instead of −0.)
    @_transparent
    public static func negated(_ x: SIMD16<Float>) -> SIMD16<Float> {
        unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) ^ 0x8000_0000, to: SIMD16<Float>.self)
    }

    /// |v| with the sign of `x`.
    @_transparent
    public static func withSign(of x: SIMD16<Float>, _ v: SIMD16<Float>) -> SIMD16<Float> {
        let sign = unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x8000_0000
        return unsafeBitCast(unsafeBitCast(magnitude(v), to: SIMD16<UInt32>.self) | sign, to: SIMD16<Float>.self)
    }

    /// A vector with `c` in every lane.
    @_transparent
    public static func splat(_ c: Float) -> SIMD16<Float> { SIMD16<Float>(repeating: c) }

    /// Applies a SIMD16 function to one Float, so that loop tails get exactly the answer a full vector would.
    @_transparent
    public static func scalar(_ x: Float, _ f: (SIMD16<Float>) -> SIMD16<Float>) -> Float {
        f(SIMD16<Float>(repeating: x))[0]
    }
}
