// FastMath accuracy: each SIMD16 function against the C library in Double,
// on about a million inputs spread over its whole range plus special values.
//
// Bounds measured on 10^8 inputs (every 37th Float bit pattern) when written:
//   exp   ≤ 0.94 ulp on [−104, 88.8] (subnormal results: ulp = 2^−149)
//   log   ≤ 1.95 ulp on every positive Float, subnormals included
//   tanh  ≤ 2.36 ulp and ≤ 9.0e-8 absolute on [−12, 12]; tanh(−0) = −0
//   pow   ≤ 0.51 ulp on 10^6 random (x, p), |x| in [2e-9, 5e8], p in [−30, 30]
//         (computed in Double, so this is nearly always the correctly rounded answer)
// The tests assert these with a small margin.
import Foundation
import Testing
import Tensor

/// Error of `y` in units in the last place of the correctly rounded answer `reference`.
private func ulps(_ y: Float, _ reference: Double) -> Double {
    if reference.isNaN { return y.isNaN ? 0 : .infinity }
    let rounded = Float(reference)
    if rounded.isInfinite { return y == rounded ? 0 : .infinity }
    let ulp = Double(Swift.max(rounded.magnitude.ulp, Float.leastNonzeroMagnitude))
    return Swift.abs(Double(y) - reference) / ulp
}

/// Runs `f` on `inputs` sixteen at a time and returns the worst `error(output, input)` and where.
private func worstError(_ inputs: [Float], _ f: (SIMD16<Float>) -> SIMD16<Float>,
                        _ error: (Float, Float) -> Double) -> (error: Double, at: Float) {
    var worst = 0.0, at: Float = 0
    var i = 0
    while i < inputs.count {
        var v = SIMD16<Float>(repeating: inputs[i])
        for lane in 0..<Swift.min(16, inputs.count - i) { v[lane] = inputs[i + lane] }
        let y = f(v)
        for lane in 0..<Swift.min(16, inputs.count - i) {
            let e = error(y[lane], inputs[i + lane])
            if !(e <= worst) { worst = e; at = inputs[i + lane] }
        }
        i += 16
    }
    return (worst, at)
}

/// About `count` Floats from `low` to `high` (same sign), evenly spread over their bit patterns,
/// so every binade gets its share, plus `count` uniform samples.
private func sweep(_ low: Float, _ high: Float, count: Int) -> [Float] {
    let a = low.bitPattern, b = high.bitPattern
    let (first, last) = a <= b ? (a, b) : (b, a)
    let step = Swift.max(1, (last - first) / UInt32(count))
    var values = stride(from: first, through: last, by: Int(step)).map { Float(bitPattern: $0) }
    var generator = RandomGenerator(seed: 7)
    for _ in 0..<count { values.append(generator.uniform(Swift.min(low, high), Swift.max(low, high))) }
    return values
}

private func one(_ f: (SIMD16<Float>) -> SIMD16<Float>, _ x: Float) -> Float { f(SIMD16(repeating: x))[0] }

@Suite("FastMath") struct FastMathTests {
    @Test func expWithinOneUlp() {
        let inputs = sweep(0, 88.8, count: 250_000) + sweep(-0.0, -104, count: 250_000)
        let (worst, at) = worstError(inputs, FastMath.exp) { ulps($0, Foundation.exp(Double($1))) }
        print("FastMath.exp worst \(worst) ulp at \(at)")
        #expect(worst <= 1.0, "exp error \(worst) ulp at \(at)")
    }

    @Test func expSpecialValues() {
        #expect(one(FastMath.exp, 0) == 1)
        #expect(one(FastMath.exp, -0.0) == 1)
        #expect(ulps(one(FastMath.exp, 1), M_E) <= 1)
        #expect(one(FastMath.exp, .infinity) == .infinity)
        #expect(one(FastMath.exp, -.infinity) == 0)
        #expect(one(FastMath.exp, .nan).isNaN)
        #expect(ulps(one(FastMath.exp, 88.72), Foundation.exp(Double(88.72 as Float))) <= 1)  // near the top
        #expect(one(FastMath.exp, 88.73) == .infinity)                                 // overflow
        #expect(one(FastMath.exp, 89) == .infinity)
        #expect(one(FastMath.exp, 1000) == .infinity)
        #expect(one(FastMath.exp, -87.5).isSubnormal)                                  // gradual underflow
        #expect(one(FastMath.exp, -103.9) == Float.leastNonzeroMagnitude)
        #expect(one(FastMath.exp, -104) == 0)
        #expect(one(FastMath.exp, -1000) == 0)
        // Lanes are independent: one special lane does not disturb the others.
        var v = SIMD16<Float>(repeating: 1)
        v[3] = .nan; v[7] = 1000; v[9] = -1000
        let y = FastMath.exp(v)
        #expect(y[0] == one(FastMath.exp, 1) && y[15] == one(FastMath.exp, 1))
        #expect(y[3].isNaN && y[7] == .infinity && y[9] == 0)
    }

    @Test func logWithinTwoUlp() {
        let inputs = sweep(Float.leastNonzeroMagnitude, Float.greatestFiniteMagnitude, count: 500_000)
            + sweep(0.5, 2, count: 200_000)                                      // around log's zero
        let (worst, at) = worstError(inputs, FastMath.log) { ulps($0, Foundation.log(Double($1))) }
        print("FastMath.log worst \(worst) ulp at \(at)")
        #expect(worst <= 2.0, "log error \(worst) ulp at \(at)")
    }

    @Test func logSpecialValues() {
        #expect(one(FastMath.log, 1) == 0)
        #expect(one(FastMath.log, 0) == -.infinity)
        #expect(one(FastMath.log, -0.0) == -.infinity)
        #expect(one(FastMath.log, -1).isNaN)
        #expect(one(FastMath.log, -.infinity).isNaN)
        #expect(one(FastMath.log, .infinity) == .infinity)
        #expect(one(FastMath.log, .nan).isNaN)
        #expect(ulps(one(FastMath.log, 2), M_LN2) <= 1)
        #expect(ulps(one(FastMath.log, .leastNonzeroMagnitude), Foundation.log(Double(Float.leastNonzeroMagnitude))) <= 1)
        #expect(ulps(one(FastMath.log, .greatestFiniteMagnitude), Foundation.log(Double(Float.greatestFiniteMagnitude))) <= 1)
    }

    @Test func tanhWithinBounds() {
        let inputs = sweep(0, 12, count: 250_000) + sweep(-0.0, -12, count: 250_000)
        let (ulpWorst, ulpAt) = worstError(inputs, FastMath.tanh) { ulps($0, Foundation.tanh(Double($1))) }
        let (absWorst, absAt) = worstError(inputs, FastMath.tanh) { Swift.abs(Double($0) - Foundation.tanh(Double($1))) }
        print("FastMath.tanh worst \(ulpWorst) ulp at \(ulpAt), \(absWorst) absolute at \(absAt)")
        #expect(ulpWorst <= 2.5, "tanh error \(ulpWorst) ulp at \(ulpAt)")
        #expect(absWorst <= 1e-7, "tanh error \(absWorst) at \(absAt)")
    }

    @Test func tanhSpecialValues() {
        #expect(one(FastMath.tanh, 0) == 0)
        #expect(one(FastMath.tanh, -0.0).sign == .minus)
        #expect(one(FastMath.tanh, 1e-30) == 1e-30)                  // small |x|: tanh x = x, no cancellation
        #expect(one(FastMath.tanh, 10) == 1)
        #expect(one(FastMath.tanh, -50) == -1)
        #expect(one(FastMath.tanh, .infinity) == 1)
        #expect(one(FastMath.tanh, -.infinity) == -1)
        #expect(one(FastMath.tanh, .nan).isNaN)
    }

    @Test func powMatchesDoubleReference() {
        var generator = RandomGenerator(seed: 11)
        var worst = 0.0, worstX: Float = 0, worstP: Float = 0
        for _ in 0..<(1 << 16) {
            var x = SIMD16<Float>(), p = SIMD16<Float>()
            for lane in 0..<16 {
                // |x| spread over many binades, p over [−30, 30]; whole p half of the time.
                x[lane] = Float(Foundation.exp(Double(generator.uniform(-20, 20))))
                p[lane] = generator.uniform(-30, 30)
                if lane % 2 == 0 { p[lane] = p[lane].rounded(); if lane % 4 == 0 { x[lane] = -x[lane] } }
            }
            let y = FastMath.pow(x, p)
            for lane in 0..<16 {
                let e = ulps(y[lane], Foundation.pow(Double(x[lane]), Double(p[lane])))
                if !(e <= worst) { worst = e; worstX = x[lane]; worstP = p[lane] }
            }
        }
        print("FastMath.pow worst \(worst) ulp at x = \(worstX), p = \(worstP)")
        #expect(worst <= 0.51, "pow error \(worst) ulp at \(worstX)^\(worstP)")
    }

    @Test func powSpecialValuesFollowC() {
        let xs: [Float] = [0, -0.0, 1, -1, 2, -2, 0.5, -0.5, .infinity, -.infinity, .nan, Float(Double(1e-40)), -3]
        let ps: [Float] = [0, -0.0, 1, -1, 2, -2, 3, -3, 0.5, -0.5, .infinity, -.infinity, .nan, 1e10, 2.5]
        for x in xs {
            for p in ps {
                let y = FastMath.pow(SIMD16(repeating: x), SIMD16(repeating: p))[0]
                let expected = Foundation.pow(x, p)      // the C library's powf
                let same = (y.isNaN && expected.isNaN) || (y == expected && y.sign == expected.sign)
                    || (expected.isFinite && expected != 0 && ulps(y, Foundation.pow(Double(x), Double(p))) <= 1)
                #expect(same, "pow(\(x), \(p)) = \(y), C gives \(expected)")
            }
        }
    }
}
