// Tensor exp, log, tanh, sigmoid, softplus, GELU and pow against Double references,
// worked values, special values, in-place variants and broadcasting.
//
// Bounds measured when written (on the inputs below) and asserted with a small margin:
//   sigmoid   ≤ 2.29 ulp on [−100, 30] (results down to 4e-44)
//   softplus  ≤ 2.95 ulp on [−100, 100]
//   GELU tanh form  ≤ 1.15e-7 · max(1, |x|) on [−10, 10], ≤ 2.32 ulp on [−1, 10]
//   GELU exact form ≤ 4.2e-7 absolute on [−10, 10] (Abramowitz–Stegun erfc, 1.5e-7 before scaling by x)
import Foundation
import Testing
import Tensor

private func ulpError(_ y: Float, _ reference: Double) -> Double {
    if reference.isNaN { return y.isNaN ? 0 : .infinity }
    let rounded = Float(reference)
    if rounded.isInfinite { return y == rounded ? 0 : .infinity }
    return Swift.abs(Double(y) - reference) / Double(Swift.max(rounded.magnitude.ulp, Float.leastNonzeroMagnitude))
}

/// `count` evenly spaced values on [low, high], as a vector (count not a multiple of 16, to exercise tails).
private func grid(_ low: Float, _ high: Float, count: Int = 200_003) -> Tensor {
    Tensor(shape: [count]) { low + (high - low) * Float(Double($0) / Double(count - 1)) }
}

/// Worst error of `f` applied to `x` against `reference`, and the input where it happens.
private func worst(_ x: Tensor, _ y: Tensor, _ error: (Float, Float) -> Double) -> (Double, Float) {
    let xs = x.scalars, ys = y.scalars
    var worst = 0.0, at: Float = 0
    for i in xs.indices {
        let e = error(ys[i], xs[i])
        if !(e <= worst) { worst = e; at = xs[i] }
    }
    return (worst, at)
}

private func geluTanhReference(_ x: Double) -> Double {
    0.5 * x * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
}

@Suite("Transcendental") struct TranscendentalTests {
    @Test func workedValues() {
        let e = Tensor([0, 1, -1, 2]).exp().scalars
        #expect(e[0] == 1)
        for (value, reference) in zip(e, [1, M_E, 1 / M_E, M_E * M_E]) { #expect(ulpError(value, reference) <= 1) }
        let l = Tensor([1, 2, 0, -1]).log().scalars
        #expect(l[0] == 0 && ulpError(l[1], M_LN2) <= 1 && l[2] == -.infinity && l[3].isNaN)
        #expect(Tensor([0]).sigmoid().item == 0.5)
        #expect(Swift.abs(Tensor([0]).softplus().item - Float(M_LN2)) <= 6e-8)
        // GELU(1): tanh form 0.5·(1 + tanh(√(2/π)·1.044715)) = 0.8411920, exact form Φ(1) = 0.8413447.
        #expect(Swift.abs(Tensor([1]).gelu().item - 0.8411920) <= 1e-6)
        #expect(Swift.abs(Tensor([1]).gelu(approximate: false).item - 0.8413447) <= 1e-6)
        #expect(Tensor([0, 1, -2]).tanh().scalars[0] == 0)
    }

    @Test("geluGradient = g · d/dx of the tanh-form GELU (Double reference), with the limits at ±∞")
    func geluGradientMatchesReference() {
        let xs: [Float] = stride(from: -12, through: 12, by: 0.05).map { Float($0) } + [-.infinity, .infinity, 0]
        let g = Tensor((0..<xs.count).map { Float($0 % 7) - 3 })
        let result = Tensor(xs).geluGradient(upstream: g).scalars
        for (i, x) in xs.enumerated() {
            let expected: Double
            if x.isInfinite {
                expected = x > 0 ? Double(g.scalars[i]) : 0
            } else {
                let c = (2 / Double.pi).squareRoot(), xd = Double(x)
                let t = Foundation.tanh(c * (xd + 0.044715 * xd * xd * xd))
                expected = Double(g.scalars[i]) * (0.5 * (1 + t) + 0.5 * xd * (1 - t * t) * c * (1 + 3 * 0.044715 * xd * xd))
            }
            #expect(Swift.abs(Double(result[i]) - expected) <= 2e-6 * Swift.max(1, Swift.abs(expected)), "x = \(x)")
        }
    }

    @Test func elementsInTailsMatchFullVectors() {
        // 37 = 2·16 + 5: the last five go through the scalar path, which must agree with the SIMD lanes.
        let x = Tensor.uniform([37], low: -5, high: 5, seed: 3)
        let y = x.exp().scalars
        for (i, v) in x.scalars.enumerated() {
            #expect(y[i] == FastMath.exp(SIMD16(repeating: v))[0])
        }
    }

    @Test func expLogTanhAgreeWithFoundation() {
        let x = grid(-80, 80)
        let (expWorst, expAt) = worst(x, x.exp()) { ulpError($0, Foundation.exp(Double($1))) }
        #expect(expWorst <= 1.0, "exp \(expWorst) ulp at \(expAt)")
        let positive = grid(1e-6, 1000)
        let (logWorst, logAt) = worst(positive, positive.log()) { ulpError($0, Foundation.log(Double($1))) }
        #expect(logWorst <= 2.0, "log \(logWorst) ulp at \(logAt)")
        let (tanhWorst, tanhAt) = worst(x, x.tanh()) { Swift.abs(Double($0) - Foundation.tanh(Double($1))) }
        #expect(tanhWorst <= 1e-7, "tanh \(tanhWorst) at \(tanhAt)")
    }

    @Test func sigmoidIsAccurateOnBothTails() {
        let x = grid(-100, 30)
        let (e, at) = worst(x, x.sigmoid()) { ulpError($0, 1 / (1 + Foundation.exp(-Double($1)))) }
        print("sigmoid worst \(e) ulp at \(at)")
        #expect(e <= 2.5, "sigmoid \(e) ulp at \(at)")
        let special = Tensor([.infinity, -.infinity, .nan, 100, -100]).sigmoid().scalars
        #expect(special[0] == 1 && special[1] == 0 && special[2].isNaN && special[3] == 1)
        #expect(special[4] > 0 && special[4] < Float(Double(1e-43)))                    // σ(−100) ≈ 3.7e-44, not 0
    }

    @Test func softplusIsAccurate() {
        let x = grid(-100, 100)
        let (e, at) = worst(x, x.softplus()) { value, input in
            let v = Double(input)
            return ulpError(value, Swift.max(v, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(v))))
        }
        print("softplus worst \(e) ulp at \(at)")
        #expect(e <= 3.0, "softplus \(e) ulp at \(at)")
        let special = Tensor([.infinity, -.infinity, .nan]).softplus().scalars
        #expect(special[0] == .infinity && special[1] == 0 && special[2].isNaN)
    }

    @Test func geluTanhFormMatchesReference() {
        let x = grid(-10, 10)
        // Error scaled by max(1, |x|): for x ≪ 0, GELU ≈ x·e^(2u) and the rounding of u itself
        // (relative 6e-8) is multiplied by 2|u|, so no Float formula keeps a few ulp there.
        let (scaled, scaledAt) = worst(x, x.gelu()) { value, input in
            Swift.abs(Double(value) - geluTanhReference(Double(input))) / Swift.max(1, Swift.abs(Double(input)))
        }
        // In ulp where the function is well conditioned (x ≥ −1; at x = −2 an input error of
        // 1 ulp already moves GELU by about 5 ulp).
        let (relative, relAt) = worst(grid(-1, 10), grid(-1, 10).gelu()) { value, input in
            ulpError(value, geluTanhReference(Double(input)))
        }
        print("gelu tanh worst \(scaled) · max(1, |x|) at \(scaledAt), \(relative) ulp on [−1, 10] at \(relAt)")
        #expect(scaled <= 1.5e-7, "gelu \(scaled) at \(scaledAt)")
        #expect(relative <= 3, "gelu \(relative) ulp at \(relAt)")
        let special = Tensor([.infinity, -.infinity, .nan, 50, -50, 0]).gelu().scalars
        #expect(special[0] == .infinity && special[1] == 0 && special[2].isNaN)
        #expect(special[3] == 50 && special[4] == 0 && special[5] == 0)
    }

    @Test func geluExactFormMatchesReference() {
        let x = grid(-10, 10)
        let (absolute, at) = worst(x, x.gelu(approximate: false)) { value, input in
            let v = Double(input)
            return Swift.abs(Double(value) - 0.5 * v * Foundation.erfc(-v / 2.0.squareRoot()))
        }
        print("gelu exact worst \(absolute) absolute at \(at)")
        #expect(absolute <= 6e-7, "gelu exact \(absolute) at \(at)")
    }

    @Test func inPlaceVariantsMatch() {
        let x = Tensor.normal([3, 1000], seed: 5)
        var a = x; a.expInPlace(); #expect(a == x.exp())
        var b = x.abs(); b.logInPlace(); #expect(b == x.abs().log())
        var c = x; c.tanhInPlace(); #expect(c == x.tanh())
        var d = x; d.sigmoidInPlace(); #expect(d == x.sigmoid())
        var e = x; e.geluInPlace(); #expect(e == x.gelu())
        var f = x; f.geluInPlace(approximate: false); #expect(f == x.gelu(approximate: false))
        // The fused benchmark kernel is the same GELU.
        var g = x
        g.withUnsafeMutableBufferPointer { RowKernels.geluTanhInPlace($0.baseAddress!, count: $0.count, threads: 2) }
        #expect(g == x.gelu())
        // Copy-on-write: the original is untouched.
        #expect(x == Tensor.normal([3, 1000], seed: 5))
    }

    @Test func largeTensorsSplitAcrossThreadsGiveTheSameAnswer() {
        let x = Tensor.normal([300_001], seed: 9)
        ComputeThreads.set(1)
        let one = x.gelu()
        ComputeThreads.set(2)
        let two = x.gelu()
        ComputeThreads.set(ProcessInfo.processInfo.activeProcessorCount)
        #expect(one == two)
    }

    @Test func powWithScalarExponent() {
        let x = Tensor([2, -2, 0, 9, -8, 0.5])
        #expect(x.pow(2).scalars == [4, 4, 0, 81, 64, 0.25])
        #expect(x.pow(0).scalars == [1, 1, 1, 1, 1, 1])
        #expect(x.pow(1) == x)
        #expect(x.pow(-1).scalars == [0.5, -0.5, .infinity, 1.0 / 9, -0.125, 2])
        #expect(x.pow(3).scalars == [8, -8, 0, 729, -512, 0.125])
        let half = x.pow(0.5).scalars
        #expect(half[0] == Float(2).squareRoot() && half[1].isNaN && half[2] == 0 && half[3] == 3 && half[4].isNaN)
        let big = grid(0.01, 100, count: 10_001)
        let p: Float = 2.7
        let (e, at) = worst(big, big.pow(p)) { ulpError($0, Foundation.pow(Double($1), Double(p))) }
        #expect(e <= 1.0, "pow(2.7) \(e) ulp at \(at)")
    }

    @Test func powBroadcastsBaseAndExponent() {
        let base = Tensor([[1, 2, 3], [4, 5, 6]])                 // [2, 3]
        let exponent = Tensor([0, 1, 2])                          // [3]
        let y = Tensor.pow(base, exponent)
        #expect(y.shape == [2, 3])
        #expect(y.scalars == [1, 2, 9, 1, 5, 36])
        let column = Tensor([[2], [3]])                           // [2, 1] with [3] -> [2, 3]
        #expect(Tensor.pow(column, exponent).scalars == [1, 2, 4, 1, 3, 9])
        #expect(Tensor.pow(Tensor(2), Tensor([10, -1])).scalars == [1024, 0.5])
    }
}
