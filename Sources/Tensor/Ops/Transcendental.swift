// Transcendental elementwise functions, on FastMath's SIMD16 exp, log and tanh:
//
//     exp(x),  log(x),  tanh(x),
//     sigmoid(x)  = 1 / (1 + e^−x)
//     softplus(x) = log(1 + e^x)
//     GELU(x)     = x · Φ(x)                                   (exact, Φ = normal CDF)
//                 ≈ ½ · x · (1 + tanh(√(2/π) · (x + 0.044715 x³)))   (tanh form, the default)
//     pow(x, p)   = x^p
//
// Two identities make these both fast and accurate:
//   • 1 + tanh(u) = 2 / (1 + e^(−2u)), so the tanh form of GELU is
//     x / (1 + e^(−2u)): one exp and one division, no cancellation when u ≪ 0.
//   • σ(x) = 1 / (1 + e^−x) for x ≥ 0 and e^x / (1 + e^x) for x < 0: with
//     t = e^(−|x|) ≤ 1 neither form overflows, and σ(−100) keeps its tiny value.
//
// Every kernel's scalar form runs the SIMD16 form on a splat vector, so an
// element gets the same answer whether it falls in a full vector or in a tail.

enum ExpKernel: UnaryFloatKernel {
    @inline(__always) static func apply(_ x: Float) -> Float { FastMath.scalar(x, apply) }
    @_transparent static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> { FastMath.exp(x) }
}

enum LogKernel: UnaryFloatKernel {
    @inline(__always) static func apply(_ x: Float) -> Float { FastMath.scalar(x, apply) }
    @_transparent static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> { FastMath.log(x) }
}

enum TanhKernel: UnaryFloatKernel {
    @inline(__always) static func apply(_ x: Float) -> Float { FastMath.scalar(x, apply) }
    @_transparent static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> { FastMath.tanh(x) }
}

enum SigmoidKernel: UnaryFloatKernel {
    @inline(__always) static func apply(_ x: Float) -> Float { FastMath.scalar(x, apply) }
    @_transparent static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let t = FastMath.exp(-FastMath.magnitude(x))                      // e^(−|x|), in (0, 1]
        let r = 1 / (1 + t)
        return r.replacing(with: t * r, where: x .< 0)              // x < 0: e^x / (1 + e^x)
    }
}

enum SoftplusKernel: UnaryFloatKernel {
    @inline(__always) static func apply(_ x: Float) -> Float { FastMath.scalar(x, apply) }
    @_transparent static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> {
        // log(1 + e^x) = max(x, 0) + log(1 + t), t = e^(−|x|) ≤ 1.
        // log(1 + t) for tiny t: with u = 1 + t (rounded), log(u) · t / (u − 1) is accurate
        // (Goldberg, "What every computer scientist should know about floating-point", 1991);
        // when u rounds to 1, log(1 + t) = t to Float precision.
        let t = FastMath.exp(-FastMath.magnitude(x))
        let u = 1 + t
        let log1pT = (FastMath.log(u) * t / (u - 1)).replacing(with: t, where: u .== 1)
        return x.replacing(with: 0, where: x .< 0) + log1pT
    }
}

/// GELU, tanh form: x / (1 + e^(−2u)) with u = √(2/π) · (x + 0.044715 x³).
enum GELUTanhKernel: UnaryFloatKernel {
    @inline(__always) static func apply(_ x: Float) -> Float { FastMath.scalar(x, apply) }
    @_transparent static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> {
        // −2u = x · (−2√(2/π) − 2√(2/π)·0.044715 · x²)
        let minusTwoU = x * FastMath.multiplyAdd(x * x, FastMath.splat(-0.07135481627260025), -1.5957691216057308)
        let y = x / (1 + FastMath.exp(minusTwoU))
        return y.replacing(with: 0, where: x .== -.infinity)        // the limit, not −inf / inf = NaN
    }
}

/// g · GELU′(x) for the tanh form, in one pass (the backward of `gelu()`). With s = σ(2u) = 1/(1 + e^(−2u)):
///   GELU(x) = x · s,   GELU′(x) = s + x · 2s(1 − s) · √(2/π)(1 + 3 · 0.044715 x²)
/// (2s(1 − s) is ½(1 − tanh²u), the derivative of ½(1 + tanh u) with respect to u, times 2·½ from 1+tanh = 2s).
enum GELUTanhGradientKernel: BinaryFloatKernel {
    @inline(__always) static func apply(_ x: Float, _ g: Float) -> Float {
        apply(SIMD16(repeating: x), SIMD16(repeating: g))[0]
    }
    @_transparent static func apply(_ x: SIMD16<Float>, _ g: SIMD16<Float>) -> SIMD16<Float> {
        let x2 = x * x
        let minusTwoU = x * FastMath.multiplyAdd(x2, FastMath.splat(-0.07135481627260025), -1.5957691216057308)
        let s = 1 / (1 + FastMath.exp(minusTwoU))
        let du = FastMath.multiplyAdd(x2, FastMath.splat(0.10703222440890037), 0.7978845608028654)   // √(2/π)(1 + 0.134145 x²)
        var derivative = FastMath.multiplyAdd(x * 2 * s * (1 - s), du, s)
        derivative.replace(with: 0, where: x .== -.infinity)                          // the limits, not ∞ · 0
        derivative.replace(with: 1, where: x .== .infinity)
        return g * derivative
    }
}

/// GELU, exact form: x · Φ(x) with Φ(x) = ½ · erfc(−x/√2).
enum GELUErfKernel: UnaryFloatKernel {
    @inline(__always) static func apply(_ x: Float) -> Float { FastMath.scalar(x, apply) }
    @_transparent static func apply(_ x: SIMD16<Float>) -> SIMD16<Float> {
        // erfc(z) ≈ t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5)))) · e^(−z²), t = 1/(1 + 0.3275911·z), z ≥ 0,
        // absolute error below 1.5e-7 (Abramowitz & Stegun, Handbook of Mathematical Functions, 7.1.26).
        let z = FastMath.magnitude(x) * 0.70710678118654752
        let t = 1 / FastMath.multiplyAdd(z, FastMath.splat(0.3275911), 1)
        var p = SIMD16<Float>(repeating: 1.061405429)
        p = FastMath.multiplyAdd(p, t, -1.453152027)
        p = FastMath.multiplyAdd(p, t, 1.421413741)
        p = FastMath.multiplyAdd(p, t, -0.284496736)
        p = FastMath.multiplyAdd(p, t, 0.254829592)
        let halfErfc = 0.5 * t * p * FastMath.exp(-z * z)            // ½ erfc(|x|/√2) = Φ(−|x|)
        let phi = (1 - halfErfc).replacing(with: halfErfc, where: x .< 0)
        return (x * phi).replacing(with: 0, where: x .== -.infinity)   // the limit, not −inf · 0 = NaN
    }
}

/// x^p with C's rules (see `FastMath.pow`).
enum PowKernel: BinaryFloatKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float {
        FastMath.pow(SIMD16<Float>(repeating: a), SIMD16<Float>(repeating: b))[0]
    }
    @_transparent static func apply(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { FastMath.pow(a, b) }
}

extension Tensor {
    /// e^x elementwise (+inf past x ≈ 88.72, 0 below x ≈ −103.97).
    public func exp() -> Tensor { map(ExpKernel.self) }
    /// Natural logarithm elementwise: log(0) = −inf, log(x < 0) = NaN.
    public func log() -> Tensor { map(LogKernel.self) }
    /// Hyperbolic tangent elementwise.
    public func tanh() -> Tensor { map(TanhKernel.self) }
    /// Logistic sigmoid σ(x) = 1 / (1 + e^−x) elementwise.
    public func sigmoid() -> Tensor { map(SigmoidKernel.self) }
    /// softplus(x) = log(1 + e^x) elementwise, a smooth ReLU.
    public func softplus() -> Tensor { map(SoftplusKernel.self) }

    /// GELU elementwise: x · Φ(x), Φ the standard normal CDF (GELU(−inf) = 0, its limit).
    ///
    /// - Parameter approximate: `true` (default) uses the tanh form
    ///   ½x(1 + tanh(√(2/π)(x + 0.044715x³))) of GPT-2 and PyTorch's `approximate="tanh"`;
    ///   `false` uses Φ(x) = ½ erfc(−x/√2) (PyTorch's default `approximate="none"`).
    public func gelu(approximate: Bool = true) -> Tensor {
        approximate ? map(GELUTanhKernel.self) : map(GELUErfKernel.self)
    }

    /// g · GELU′(x) elementwise for x = self (tanh form): the gradient of `gelu()` given the upstream `g`.
    public func geluGradient(upstream g: Tensor) -> Tensor {
        precondition(g.shape == shape, "geluGradient: upstream \(g.shape) differs from \(shape)")
        return Tensor.zip(self, g, GELUTanhGradientKernel.self, op: "geluGradient")
    }

    /// Replaces every element x by e^x.
    public mutating func expInPlace() { mapInPlace(ExpKernel.self) }
    /// Replaces every element x by log(x).
    public mutating func logInPlace() { mapInPlace(LogKernel.self) }
    /// Replaces every element x by tanh(x).
    public mutating func tanhInPlace() { mapInPlace(TanhKernel.self) }
    /// Replaces every element x by σ(x).
    public mutating func sigmoidInPlace() { mapInPlace(SigmoidKernel.self) }
    /// Replaces every element x by GELU(x) (see `gelu(approximate:)`).
    public mutating func geluInPlace(approximate: Bool = true) {
        if approximate { mapInPlace(GELUTanhKernel.self) } else { mapInPlace(GELUErfKernel.self) }
    }

    /// Every element raised to the power `p`, with C's `pow` rules for negative bases,
    /// zeros and infinities (a negative base gives NaN unless `p` is a whole number).
    public func pow(_ p: Float) -> Tensor {
        switch p {
        case 0: return Tensor(shape: shape, repeating: 1)         // x^0 = 1, even for NaN
        case 1: return self
        case 2: return map(SquareKernel.self)
        case -1: return Tensor.zip(Tensor(1), self, DivideKernel.self, op: "pow")
        default: return Tensor.zip(self, Tensor(p), PowKernel.self, op: "pow")
        }
    }

    /// `base[i] ^ exponent[i]` after broadcasting both to a common shape (C's `pow` rules).
    public static func pow(_ base: Tensor, _ exponent: Tensor) -> Tensor {
        zip(base, exponent, PowKernel.self, op: "pow")
    }
}
