// The LSTM recurrence over a whole sequence as ONE graph node, with a
// hand-written backpropagation through time (what cuDNN and PyTorch do).
//
// Forward, for t = 1 … T, with the input part a_t = x_t·W_ihᵀ + b_ih given (B, 4H):
//   z_t = a_t + b_hh + h_(t−1)·W_hhᵀ                  one product of width 4H per step
//                                                     (RecurrentProduct: W_hh packed once, not per step)
//   i, f, o = σ(z_t blocks 0, 1, 3),  g = tanh(z_t block 2)
//   c_t = f ⊙ c_(t−1) + i ⊙ g,        h_t = o ⊙ tanh(c_t)
// The node keeps the activated gates (i, f, g, o) and every c_t, nothing else.
// Backward, for t = T … 1, carrying dh = ∂L/∂h_t and dc = ∂L/∂c_t:
//   dh += ∂L/∂h_t from the output;  k = tanh(c_t)
//   do = dh ⊙ k;   dc += dh ⊙ o ⊙ (1 − k²)
//   di = dc ⊙ g;   dg = dc ⊙ i;   df = dc ⊙ c_(t−1)
//   dz_t = (di ⊙ i(1 − i), df ⊙ f(1 − f), dg ⊙ (1 − g²), do ⊙ o(1 − o))
//   dh ← dz_t · W_hh  (the gradient for h_(t−1)),   dc ← dc ⊙ f
// and, once for all steps (two GEMMs' worth of work instead of 2T small ones):
//   ∂L/∂a = dz (B, T, 4H),  ∂L/∂b_hh = Σ_(b,t) dz,  ∂L/∂W_hh = Σ_t dz_tᵀ · h_(t−1)
// The unrolled version (NN/LSTM.swift's lstmStep through matmul, slice, σ, tanh)
// is the readable definition; tests check this node against it.
//
// The node's value packs the outputs as (B, T + 1, H): h_1 … h_T along time,
// then c_T, so that one node carries every output a caller may continue from.

import Foundation
import Tensor

extension Variable {
    /// Runs an LSTM over T steps from (h0, c0) as one node; returns (B, T + 1, H): h_1 … h_T, then c_T.
    ///
    /// - Parameters:
    ///   - inputGates: x·W_ihᵀ + b_ih for every step, (B, T, 4H), gates in the order i, f, g, o.
    ///   - h0, c0: the initial state, (B, H) each.
    ///   - weightHH: W_hh, (4H, H).
    ///   - biasHH: b_hh, (4H).
    public static func lstmSequence(inputGates: Variable, h0: Variable, c0: Variable,
                                    weightHH: Variable, biasHH: Variable) -> Variable {
        precondition(inputGates.rank == 3 && inputGates.shape[2] % 4 == 0 && inputGates.shape[1] > 0,
                     "lstmSequence: inputGates has shape \(inputGates.shape), expected [B, T, 4H] with T > 0")
        let (batch, steps, width) = (inputGates.shape[0], inputGates.shape[1], inputGates.shape[2])
        let hidden = width / 4
        precondition(h0.shape == [batch, hidden] && c0.shape == [batch, hidden],
                     "lstmSequence: h0 \(h0.shape) and c0 \(c0.shape) must be [\(batch), \(hidden)] for inputGates \(inputGates.shape)")
        precondition(weightHH.shape == [width, hidden] && biasHH.shape == [width],
                     "lstmSequence: weightHH \(weightHH.shape) must be [\(width), \(hidden)] and biasHH \(biasHH.shape) [\(width)]")

        var packed = Tensor(uninitializedShape: [batch, steps + 1, hidden])   // h_1 … h_T, c_T
        var gates = Tensor(uninitializedShape: [steps, batch, width])          // activated i, f, g, o per step
        var cells = Tensor(uninitializedShape: [steps + 1, batch, hidden])     // c_0 … c_T
        let rowH = (steps + 1) * hidden                                       // stride between batch rows of packed
        inputGates.value.withUnsafeBufferPointer { a in
        h0.value.withUnsafeBufferPointer { h0p in
        c0.value.withUnsafeBufferPointer { c0p in
        weightHH.value.withUnsafeBufferPointer { w in
        biasHH.value.withUnsafeBufferPointer { bias in
        packed.withUnsafeMutableBufferPointer { out in
        gates.withUnsafeMutableBufferPointer { z in
        cells.withUnsafeMutableBufferPointer { c in
            let a = a.baseAddress!, w = w.baseAddress!, bias = bias.baseAddress!
            let out = out.baseAddress!, z = z.baseAddress!, c = c.baseAddress!
            c.update(from: c0p.baseAddress!, count: batch * hidden)
            // W_hhᵀ (H × 4H) packed once into column strips, read by every step's product.
            // (When 4H is not a multiple of 16 the steps use GEMM on W_hh with a transpose flag.)
            let wT = width % 16 == 0 ? PackedOperand(k: hidden, n: width, source: w, rowStride: 1, columnStride: hidden) : nil
            for t in 0..<steps {
                let zt = z + t * batch * width
                // z_t = a_t + b_hh, then += h_(t−1)·W_hhᵀ.
                for b in 0..<batch {
                    LSTMKernels.add(a + (b * steps + t) * width, bias, into: zt + b * width, width)
                }
                let (hPrev, ldh) = t == 0 ? (h0p.baseAddress!, hidden) : (UnsafePointer(out + (t - 1) * hidden), rowH)
                if let wT {
                    RecurrentProduct.multiply(m: batch, a: hPrev, lda: ldh, packed: wT, c: zt, ldc: width, accumulate: true)
                } else {
                    GEMM.multiply(m: batch, n: width, k: hidden, a: hPrev, lda: ldh, transposeA: false, b: w, ldb: hidden,
                                  transposeB: true, c: zt, ldc: width, accumulate: true)
                }
                for b in 0..<batch {
                    LSTMKernels.forwardCell(zt + b * width, cPrev: c + (t * batch + b) * hidden,
                                            c: c + ((t + 1) * batch + b) * hidden,
                                            h: out + b * rowH + t * hidden, hidden)
                }
            }
            for b in 0..<batch {   // c_T after the hidden states
                (out + b * rowH + steps * hidden).update(from: c + (steps * batch + b) * hidden, count: hidden)
            }
        } } } } } } } }

        let outputs = packed
        return Variable(packed, op: "lstmSequence", parents: [inputGates, h0, c0, weightHH, biasHH]) { g in
            var dz = Tensor(uninitializedShape: [batch, steps, width])     // ∂L/∂z, laid out like inputGates
            var hPrevious = Tensor(uninitializedShape: [batch, steps, hidden])
            var dh0 = Tensor(uninitializedShape: [batch, hidden]), dc0 = Tensor(uninitializedShape: [batch, hidden])
            var dW = Tensor(uninitializedShape: [width, hidden])
            g.withUnsafeBufferPointer { g in
            outputs.withUnsafeBufferPointer { out in
            gates.withUnsafeBufferPointer { z in
            cells.withUnsafeBufferPointer { c in
            h0.value.withUnsafeBufferPointer { h0p in
            weightHH.value.withUnsafeBufferPointer { w in
            dz.withUnsafeMutableBufferPointer { dz in
            hPrevious.withUnsafeMutableBufferPointer { hp in
            dh0.withUnsafeMutableBufferPointer { dh in
            dc0.withUnsafeMutableBufferPointer { dc in
            dW.withUnsafeMutableBufferPointer { dW in
                let g = g.baseAddress!, out = out.baseAddress!, z = z.baseAddress!, c = c.baseAddress!
                let w = w.baseAddress!, dz = dz.baseAddress!, hp = hp.baseAddress!
                let dh = dh.baseAddress!, dc = dc.baseAddress!
                dh.update(repeating: 0, count: batch * hidden)
                // W_hh (4H × H) packed once for the steps' dz_t · W_hh, when H allows it.
                let packedW = hidden % 16 == 0
                    ? PackedOperand(k: width, n: hidden, source: w, rowStride: hidden, columnStride: 1) : nil
                for b in 0..<batch {   // ∂L/∂c_T from the packed output
                    (dc + b * hidden).update(from: g + b * rowH + steps * hidden, count: hidden)
                }
                for t in stride(from: steps - 1, through: 0, by: -1) {
                    for b in 0..<batch {
                        LSTMKernels.backwardCell(gates: z + (t * batch + b) * width,
                                                 cPrev: c + (t * batch + b) * hidden, c: c + ((t + 1) * batch + b) * hidden,
                                                 outputGradient: g + b * rowH + t * hidden,
                                                 dh: dh + b * hidden, dc: dc + b * hidden,
                                                 dz: dz + (b * steps + t) * width, hidden)
                    }
                    // dh ← dz_t · W_hh  (B, 4H)·(4H, H)
                    if let packedW {
                        RecurrentProduct.multiply(m: batch, a: dz + t * width, lda: steps * width, packed: packedW,
                                                  c: dh, ldc: hidden, accumulate: false)
                    } else {
                        GEMM.multiply(m: batch, n: hidden, k: width, a: dz + t * width, lda: steps * width, transposeA: false,
                                      b: w, ldb: hidden, transposeB: false, c: dh, ldc: hidden, accumulate: false)
                    }
                }
                // h_(t−1) for every (b, t), then ∂L/∂W_hh = dzᵀ · h_prev over all B·T rows at once.
                for b in 0..<batch {
                    (hp + b * steps * hidden).update(from: h0p.baseAddress! + b * hidden, count: hidden)
                    if steps > 1 {
                        (hp + (b * steps + 1) * hidden).update(from: out + b * rowH, count: (steps - 1) * hidden)
                    }
                }
                GEMM.multiply(m: width, n: hidden, k: batch * steps, a: dz, lda: width, transposeA: true,
                              b: hp, ldb: hidden, transposeB: false, c: dW.baseAddress!, ldc: hidden, backend: .simd)
            } } } } } } } } } } }
            let dBias = dz.reshaped([batch * steps, width]).sum(axis: 0)
            return [dz, dh0, dc0, dW, dBias]
        }
    }
}

/// The per-row elementwise parts of the LSTM step, 16 lanes at a time.
enum LSTMKernels {
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
    }

    @inline(__always)
    static func sigmoid(_ x: SIMD16<Float>) -> SIMD16<Float> { 1 / (1 + FastMath.exp(-x)) }

    /// to = x + y, n numbers.
    @inline(__always)
    static func add(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, into to: UnsafeMutablePointer<Float>, _ n: Int) {
        var j = 0
        while j + 16 <= n { store(load(x + j) + load(y + j), to + j); j += 16 }
        while j < n { to[j] = x[j] + y[j]; j += 1 }
    }

    /// One row: the pre-activations z (4H) become the activated gates in place; writes c and h.
    @inline(__always)
    static func forwardCell(_ z: UnsafeMutablePointer<Float>, cPrev: UnsafePointer<Float>,
                            c: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, _ n: Int) {
        let zi = z, zf = z + n, zg = z + 2 * n, zo = z + 3 * n
        var j = 0
        while j + 16 <= n {
            let i = sigmoid(load(zi + j)), f = sigmoid(load(zf + j)), g = FastMath.tanh(load(zg + j))
            let o = sigmoid(load(zo + j))
            let cNext = f * load(cPrev + j) + i * g
            store(i, zi + j); store(f, zf + j); store(g, zg + j); store(o, zo + j)
            store(cNext, c + j)
            store(o * FastMath.tanh(cNext), h + j)
            j += 16
        }
        while j < n {
            let i = 1 / (1 + Foundation.exp(-zi[j])), f = 1 / (1 + Foundation.exp(-zf[j]))
            let g = Foundation.tanh(zg[j]), o = 1 / (1 + Foundation.exp(-zo[j]))
            let cNext = f * cPrev[j] + i * g
            zi[j] = i; zf[j] = f; zg[j] = g; zo[j] = o
            c[j] = cNext
            h[j] = o * Foundation.tanh(cNext)
            j += 1
        }
    }

    /// One row of one step backward: adds the output gradient to dh, writes dz (4H),
    /// and leaves dc ⊙ f (∂L/∂c_(t−1)) in dc; dh is overwritten later by dz · W_hh.
    @inline(__always)
    static func backwardCell(gates: UnsafePointer<Float>, cPrev: UnsafePointer<Float>, c: UnsafePointer<Float>,
                             outputGradient: UnsafePointer<Float>, dh: UnsafeMutablePointer<Float>,
                             dc: UnsafeMutablePointer<Float>, dz: UnsafeMutablePointer<Float>, _ n: Int) {
        let gi = gates, gf = gates + n, gg = gates + 2 * n, go = gates + 3 * n
        var j = 0
        while j + 16 <= n {
            let i = load(gi + j), f = load(gf + j), g = load(gg + j), o = load(go + j)
            let k = FastMath.tanh(load(c + j))
            let dhj = load(dh + j) + load(outputGradient + j)
            let dcj = load(dc + j) + dhj * o * (1 - k * k)
            store(dcj * g * i * (1 - i), dz + j)
            store(dcj * load(cPrev + j) * f * (1 - f), dz + n + j)
            store(dcj * i * (1 - g * g), dz + 2 * n + j)
            store(dhj * k * o * (1 - o), dz + 3 * n + j)
            store(dcj * f, dc + j)
            j += 16
        }
        while j < n {
            let i = gi[j], f = gf[j], g = gg[j], o = go[j]
            let k = Foundation.tanh(c[j])
            let dhj = dh[j] + outputGradient[j]
            let dcj = dc[j] + dhj * o * (1 - k * k)
            dz[j] = dcj * g * i * (1 - i)
            dz[n + j] = dcj * cPrev[j] * f * (1 - f)
            dz[2 * n + j] = dcj * i * (1 - g * g)
            dz[3 * n + j] = dhj * k * o * (1 - o)
            dc[j] = dcj * f
            j += 1
        }
    }
}
