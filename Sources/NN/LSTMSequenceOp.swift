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
// Each step is one parallel job split by hidden units (LSTMStepPlan): a core
// computes the four gate columns of its units, then their cells, with no
// barrier between product and cell; backward, it computes its units' dh from
// step t + 1's dz and then their cells at step t. One hand-off per step.
// and, once for all steps (two GEMMs' worth of work instead of 2T small ones):
//   ∂L/∂a = dz (B, T, 4H),  ∂L/∂b_hh = Σ_(b,t) dz,  ∂L/∂W_hh = Σ_t dz_tᵀ · h_(t−1)
// The unrolled version (NN/LSTM.swift's lstmStep through matmul, slice, σ, tanh)
// is the readable definition; tests check this node against it.
//
// The node's value packs the outputs as (B, T + 1, H): h_1 … h_T along time,
// then c_T, so that one node carries every output a caller may continue from.

import Autograd
import Foundation
import Tensor

extension Variable {
    /// Runs an LSTM over T steps from (h0, c0) as one node; returns (B, T + 1, H): h_1 … h_T, then c_T.
    ///
    /// - Parameters:
    ///   - inputGates: x·W_ihᵀ + b_ih for every step, (B, T, 4H), gates in the order i, f, g, o.
    ///   - h0: the initial hidden state, (B, H).
    ///   - c0: the initial cell state, (B, H).
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
        let plan = LSTMStepPlan(batch: batch, hidden: hidden)
        inputGates.value.withUnsafeBufferPointer { a in
        h0.value.withUnsafeBufferPointer { h0p in
        c0.value.withUnsafeBufferPointer { c0p in
        weightHH.value.withUnsafeBufferPointer { w in
        biasHH.value.withUnsafeBufferPointer { bias in
        packed.withUnsafeMutableBufferPointer { out in
        gates.withUnsafeMutableBufferPointer { z in
        cells.withUnsafeMutableBufferPointer { c in
            let a = a.baseAddress!, w = w.baseAddress!, bias = bias.baseAddress!
            let out = ParallelWritePointer(out.baseAddress!), z = ParallelWritePointer(z.baseAddress!)
            let c = ParallelWritePointer(c.baseAddress!)
            c.pointer.update(from: c0p.baseAddress!, count: batch * hidden)
            // W_hhᵀ (H × 4H) packed once into column strips, read by every step's product.
            let wT = plan.fused ? PackedOperand(k: hidden, n: width, source: w, rowStride: 1, columnStride: hidden) : nil
            for t in 0..<steps {
                let zt = z.pointer + t * batch * width
                let (hPrev, ldh) = t == 0 ? (h0p.baseAddress!, hidden) : (UnsafePointer(out.pointer + (t - 1) * hidden), rowH)
                // z_t = a_t + b_hh, then += h_(t−1)·W_hhᵀ, then the cell, on the hidden units `units`.
                func addBias(_ units: Range<Int>) {
                    for b in 0..<batch {
                        for gate in 0..<4 {
                            let column = gate * hidden + units.lowerBound
                            LSTMKernels.add(a + (b * steps + t) * width + column, bias + column,
                                            into: zt + b * width + column, units.count)
                        }
                    }
                }
                func cell(_ units: Range<Int>) {
                    for b in 0..<batch {
                        let u = units.lowerBound
                        LSTMKernels.forwardCell(zt + b * width + u, gateStride: hidden,
                                                cPrev: c.pointer + (t * batch + b) * hidden + u,
                                                c: c.pointer + ((t + 1) * batch + b) * hidden + u,
                                                h: out.pointer + b * rowH + t * hidden + u, units.count)
                    }
                }
                func addProduct(_ units: Range<Int>) {
                    if let wT {
                        for gate in 0..<4 {
                            RecurrentProduct.multiply(m: batch, a: hPrev, lda: ldh, packed: wT,
                                                      strips: plan.strips(units, offset: gate * hidden),
                                                      c: zt, ldc: width, accumulate: true)
                        }
                    } else {   // one block of every unit: GEMM on W_hh with a transpose flag
                        GEMM.multiply(m: batch, n: width, k: hidden, a: hPrev, lda: ldh, transposeA: false, b: w, ldb: hidden,
                                      transposeB: true, c: zt, ldc: width, accumulate: true)
                    }
                }
                plan.forEachUnitBlock { units in
                    addBias(units)
                    addProduct(units)
                    cell(units)
                }
            }
            for b in 0..<batch {   // c_T after the hidden states
                (out.pointer + b * rowH + steps * hidden).update(from: c.pointer + (steps * batch + b) * hidden, count: hidden)
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
                let w = w.baseAddress!, hp = hp.baseAddress!
                let dz = ParallelWritePointer(dz.baseAddress!)
                let dh = ParallelWritePointer(dh.baseAddress!), dc = ParallelWritePointer(dc.baseAddress!)
                dh.pointer.update(repeating: 0, count: batch * hidden)
                for b in 0..<batch {   // ∂L/∂c_T from the packed output
                    (dc.pointer + b * hidden).update(from: g + b * rowH + steps * hidden, count: hidden)
                }
                // W_hh (4H × H) packed once for the steps' dz_t · W_hh.
                let packedW = plan.fused ? PackedOperand(k: width, n: hidden, source: w, rowStride: hidden, columnStride: 1) : nil
                // dh ← dz_t · W_hh  (B, 4H)·(4H, H), all columns or the hidden units `units`.
                func carryHidden(from t: Int, _ units: Range<Int>) {
                    if let packedW {
                        RecurrentProduct.multiply(m: batch, a: dz.pointer + t * width, lda: steps * width, packed: packedW,
                                                  strips: plan.strips(units, offset: 0), c: dh.pointer, ldc: hidden,
                                                  accumulate: false)
                    } else {   // one block of every unit
                        GEMM.multiply(m: batch, n: hidden, k: width, a: dz.pointer + t * width, lda: steps * width,
                                      transposeA: false, b: w, ldb: hidden, transposeB: false, c: dh.pointer, ldc: hidden,
                                      accumulate: false)
                    }
                }
                func cell(_ t: Int, _ units: Range<Int>) {
                    for b in 0..<batch {
                        let u = units.lowerBound
                        LSTMKernels.backwardCell(gates: z + (t * batch + b) * width + u, gateStride: hidden,
                                                 cPrev: c + (t * batch + b) * hidden + u,
                                                 c: c + ((t + 1) * batch + b) * hidden + u,
                                                 outputGradient: g + b * rowH + t * hidden + u,
                                                 dh: dh.pointer + b * hidden + u, dc: dc.pointer + b * hidden + u,
                                                 dz: dz.pointer + (b * steps + t) * width + u, units.count)
                    }
                }
                // Step t's cell needs dh from step t + 1's dz; each core carries and then
                // back-propagates through the cell for the same hidden units.
                for t in stride(from: steps - 1, through: 0, by: -1) {
                    plan.forEachUnitBlock { units in
                        if t < steps - 1 { carryHidden(from: t + 1, units) }
                        cell(t, units)
                    }
                }
                plan.forEachUnitBlock { carryHidden(from: 0, $0) }   // ∂L/∂h_0
                // h_(t−1) for every (b, t), then ∂L/∂W_hh = dzᵀ · h_prev over all B·T rows at once.
                for b in 0..<batch {
                    (hp + b * steps * hidden).update(from: h0p.baseAddress! + b * hidden, count: hidden)
                    if steps > 1 {
                        (hp + (b * steps + 1) * hidden).update(from: out + b * rowH, count: (steps - 1) * hidden)
                    }
                }
                GEMM.multiply(m: width, n: hidden, k: batch * steps, a: dz.pointer, lda: width, transposeA: true,
                              b: hp, ldb: hidden, transposeB: false, c: dW.baseAddress!, ldc: hidden, backend: .simd)
            } } } } } } } } } } }
            let dBias = dz.reshaped([batch * steps, width]).sum(axis: 0)
            return [dz, dh0, dc0, dW, dBias]
        }
    }
}

/// How one step's work is split across cores: by blocks of hidden units. A block of
/// `RecurrentProduct.stripWidth` units owns one packed strip in each of the four gates
/// (columns u, H + u, 2H + u, 3H + u of z), so a core can take the product's columns
/// for its units and then run their cells without waiting for the other cores.
struct LSTMStepPlan {
    let hidden: Int
    /// Whether the hidden size splits into whole strips (otherwise the steps run on GEMM, on one block).
    let fused: Bool
    let blockUnits: Int
    let threads: Int

    init(batch: Int, hidden: Int) {
        self.hidden = hidden
        fused = hidden % RecurrentProduct.stripWidth == 0
        blockUnits = fused ? RecurrentProduct.stripWidth : hidden
        // Split a step across cores when its product is big enough to repay the hand-off
        // (a million multiply-adds, as RecurrentProduct's own split).
        threads = fused && batch * 4 * hidden * hidden >= 1 << 20 ? ComputeThreads.count : 1
    }

    /// Calls `body` with disjoint ranges of hidden units covering 0..<H, concurrently when it pays.
    func forEachUnitBlock(_ body: (Range<Int>) -> Void) {
        Parallel.forRanges(hidden / blockUnits, minimumPerThread: 1, threads: threads) { blocks in
            body(blocks.lowerBound * blockUnits ..< blocks.upperBound * blockUnits)
        }
    }

    /// The packed strips that hold columns offset + units.
    func strips(_ units: Range<Int>, offset: Int) -> Range<Int> {
        (offset + units.lowerBound) / RecurrentProduct.stripWidth ..< (offset + units.upperBound) / RecurrentProduct.stripWidth
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

    /// n units of one row: the pre-activations z (gates `gateStride` apart) become the activated
    /// gates in place; writes c and h.
    @inline(__always)
    static func forwardCell(_ z: UnsafeMutablePointer<Float>, gateStride: Int, cPrev: UnsafePointer<Float>,
                            c: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, _ n: Int) {
        let zi = z, zf = z + gateStride, zg = z + 2 * gateStride, zo = z + 3 * gateStride
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

    /// n units of one row of one step backward: adds the output gradient to dh, writes dz
    /// (gates `gateStride` apart, like `gates`), and leaves dc ⊙ f (∂L/∂c_(t−1)) in dc;
    /// dh is overwritten later by dz · W_hh.
    @inline(__always)
    static func backwardCell(gates: UnsafePointer<Float>, gateStride: Int, cPrev: UnsafePointer<Float>,
                             c: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>, dh: UnsafeMutablePointer<Float>,
                             dc: UnsafeMutablePointer<Float>, dz: UnsafeMutablePointer<Float>, _ n: Int) {
        let s = gateStride
        let gi = gates, gf = gates + s, gg = gates + 2 * s, go = gates + 3 * s
        var j = 0
        while j + 16 <= n {
            let i = load(gi + j), f = load(gf + j), g = load(gg + j), o = load(go + j)
            let k = FastMath.tanh(load(c + j))
            let dhj = load(dh + j) + load(outputGradient + j)
            let dcj = load(dc + j) + dhj * o * (1 - k * k)
            store(dcj * g * i * (1 - i), dz + j)
            store(dcj * load(cPrev + j) * f * (1 - f), dz + s + j)
            store(dcj * i * (1 - g * g), dz + 2 * s + j)
            store(dhj * k * o * (1 - o), dz + 3 * s + j)
            store(dcj * f, dc + j)
            j += 16
        }
        while j < n {
            let i = gi[j], f = gf[j], g = gg[j], o = go[j]
            let k = Foundation.tanh(c[j])
            let dhj = dh[j] + outputGradient[j]
            let dcj = dc[j] + dhj * o * (1 - k * k)
            dz[j] = dcj * g * i * (1 - i)
            dz[s + j] = dcj * cPrev[j] * f * (1 - f)
            dz[2 * s + j] = dcj * i * (1 - g * g)
            dz[3 * s + j] = dhj * k * o * (1 - o)
            dc[j] = dcj * f
            j += 1
        }
    }
}
