// Causal multi-head self-attention as ONE graph node, with a hand-written
// backward (what FlashAttention and PyTorch's scaled_dot_product_attention do
// on the CPU, minus the tiling a block of 64 does not need).
//
// The input is the output of the stacked q, k, v projection, (B, T, 3C): row
// (b, t) holds q, then k, then v, each C = nh · hs channels, head h at channels
// h·hs ..< (h+1)·hs. The output is (B, T, C) with the heads side by side, ready
// for the output projection: no split, permute or merge copies. For each batch
// row b and head h, with s = 1/√hs:
//   S_tj = s · q_t · k_j                     for j ≤ t (the causal mask: j > t never computed)
//   P_tj = exp(S_tj − max_j S_tj) / Σ_j exp(S_tj − max_j S_tj)
//   y_t  = Σ_(j ≤ t) P_tj v_j
// The node keeps P, one T×T triangle per (b, h), written once, and vᵀ (below).
// Backward, given dy:
//   dP_tj = dy_t · v_j
//   dS_tj = P_tj (dP_tj − D_t)               D_t = Σ_j P_tj dP_tj = dy_t · y_t (softmax's Jacobian)
//   dq_t  = s Σ_j dS_tj k_j,   dk_j = s Σ_t dS_tj q_t,   dv_j = Σ_t P_tj dy_t
// Every (b, h) reads and writes its own columns only, so they run in parallel.
// All five products (S, y, dP, dq with dk, dv) are weighted sums of rows, built
// four output rows at a time in registers and stored once (`combineRows`).
// The dot products q_t · k_j and dy_t · v_j of a row t run along j, over k and
// v transposed once per (b, h) to hs rows of T: the row is a weighted sum of
// hs rows of length t + 1 (rounded up to whole vectors), instead of t + 1 dot
// products each ending in a horizontal sum. P and dS are zero above the
// diagonal, so a block of four rows can sum over the range of its last row.
// The composite version (NN's MultiheadAttention, built from matmul, permute
// and softmax nodes) is the readable definition; tests check this node
// against it and against finite differences.

import Autograd
import Foundation
import Tensor

extension Variable {
    /// Causal self-attention of packed projections (B, T, 3C) with `headCount` heads; returns (B, T, C).
    public static func causalAttention(packedQKV: Variable, headCount: Int) -> Variable {
        let shape = packedQKV.shape
        precondition(shape.count == 3 && shape[2] % 3 == 0 && headCount > 0 && (shape[2] / 3) % headCount == 0,
                     "causalAttention: packedQKV has shape \(shape), expected [B, T, 3C] with C a multiple of headCount \(headCount)")
        let geometry = AttentionGeometry(batch: shape[0], steps: shape[1], channels: shape[2] / 3, headCount: headCount)
        let (batch, steps, channels) = (geometry.batch, geometry.steps, geometry.channels)
        var output = Tensor(uninitializedShape: [batch, steps, channels])
        var probabilities = Tensor(uninitializedShape: [batch, headCount, steps, steps])
        // vᵀ per (b, h), hs × T, for the backward's dP: transposed here, where v is still in
        // the cache, and read back in order, instead of gathered from the whole (B, T, 3C) later.
        var valuesTransposed = Tensor(uninitializedShape: [batch, headCount, geometry.headSize, steps])
        packedQKV.value.withUnsafeBufferPointer { qkv in
        output.withUnsafeMutableBufferPointer { y in
        probabilities.withUnsafeMutableBufferPointer { p in
        valuesTransposed.withUnsafeMutableBufferPointer { vT in
            let qkv = qkv.baseAddress!, y = ParallelWritePointer(y.baseAddress!), p = ParallelWritePointer(p.baseAddress!)
            let vT = ParallelWritePointer(vT.baseAddress!)
            geometry.forEachHead { b, h in
                AttentionKernels.forward(geometry, qkv: qkv, b: b, h: h, y: y.pointer, p: p.pointer)
                AttentionKernels.transposed(geometry, qkv: qkv, b: b, h: h, part: 2,
                                            into: vT.pointer + geometry.transposedBlock(b, h))
            }
        } } } }

        let probabilitiesKept = probabilities, outputKept = output, valuesTransposedKept = valuesTransposed
        return Variable(output, op: "causalAttention", parents: [packedQKV]) { dy in
            var dqkv = Tensor(uninitializedShape: [batch, steps, 3 * channels])   // every element is written
            packedQKV.value.withUnsafeBufferPointer { qkv in
            outputKept.withUnsafeBufferPointer { y in
            probabilitiesKept.withUnsafeBufferPointer { p in
            valuesTransposedKept.withUnsafeBufferPointer { vT in
            dy.withUnsafeBufferPointer { dy in
            dqkv.withUnsafeMutableBufferPointer { dqkv in
                let qkv = qkv.baseAddress!, y = y.baseAddress!, p = p.baseAddress!, dy = dy.baseAddress!
                let vT = vT.baseAddress!, dqkv = ParallelWritePointer(dqkv.baseAddress!)
                geometry.forEachHead { b, h in
                    AttentionKernels.backward(geometry, qkv: qkv, y: y, p: p, valuesTransposed: vT + geometry.transposedBlock(b, h),
                                              dy: dy, b: b, h: h, dqkv: dqkv.pointer)
                }
            } } } } } }
            return [dqkv]
        }
    }
}

/// Sizes and strides of packed attention: where q, k, v and y of (b, t, h) live.
struct AttentionGeometry: Sendable {
    let batch: Int, steps: Int, channels: Int, headCount: Int
    var headSize: Int { channels / headCount }
    var scale: Float { 1 / Float(headSize).squareRoot() }

    /// Offset of q_(b, t) of head h in the packed (B, T, 3C) tensor; k is C further, v 2C.
    func query(_ b: Int, _ t: Int, _ h: Int) -> Int { (b * steps + t) * 3 * channels + h * headSize }
    /// Offset of y_(b, t) of head h in the (B, T, C) output.
    func output(_ b: Int, _ t: Int, _ h: Int) -> Int { (b * steps + t) * channels + h * headSize }
    /// t + 1 rounded up to whole SIMD16 vectors, at most T: how far along j row t's vector loops run.
    func vectorSpan(_ t: Int) -> Int { min((t + 16) & ~15, steps) }
    /// Offset of the hs × T block of (b, h) in the (B, nh, hs, T) transposed values.
    func transposedBlock(_ b: Int, _ h: Int) -> Int { (b * headCount + h) * headSize * steps }
    /// Offset of row t of P for (b, h) in the (B, nh, T, T) probabilities.
    func probabilityRow(_ b: Int, _ h: Int, _ t: Int) -> Int { ((b * headCount + h) * steps + t) * steps }

    /// Calls `body(b, h)` for every batch row and head, split across cores when the work repays it.
    func forEachHead(_ body: (Int, Int) -> Void) {
        let workPerHead = steps * steps * headSize   // ~ multiply-adds of one pass over (b, h)
        Parallel.forRanges(batch * headCount, minimumPerThread: max(1, (1 << 18) / workPerHead)) { range in
            for unit in range { body(unit / headCount, unit % headCount) }
        }
    }
}

/// The per-(b, h) loops of the fused attention, on SIMD16 vectors.
enum AttentionKernels {
    /// Rows computed together by `combineRows`: four rows of one SIMD16 each are eight
    /// independent AVX2 accumulators, enough to hide the multiply-add latency.
    static let blockRows = 4

    /// The five products of attention in one shape: for r < rows (at most 4),
    ///   out[r·outStride + c] = scale · Σ_(i < terms) w[i·ws + r·rws] · x[i·xs + c],   c < columns.
    /// Sixteen columns at a time, the rows' sums are kept in four SIMD16 registers and each
    /// term costs one load of x and four multiply-adds; one row at a time, each multiply-add
    /// would wait for the previous one (4 cycles on Zen 3) and the units would idle 3/4 of the time.
    @inline(__always)
    static func combineRows(terms: Int, rows: Int,
                            weights w: UnsafePointer<Float>, weightStride ws: Int, rowWeightStride rws: Int,
                            vectors x: UnsafePointer<Float>, vectorStride xs: Int, columns: Int, scale: Float,
                            into out: UnsafeMutablePointer<Float>, outStride: Int) {
        func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
        func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self) }
        // Missing rows (rows < 4) repeat row 0's weights and are not stored.
        let w0 = w, w1 = rows > 1 ? w + rws : w, w2 = rows > 2 ? w + 2 * rws : w, w3 = rows > 3 ? w + 3 * rws : w
        var c = 0
        while c + 16 <= columns {
            var a0 = SIMD16<Float>(), a1 = a0, a2 = a0, a3 = a0
            for i in 0..<terms {
                let xi = load(x + i * xs + c), k = i * ws
                a0.addProduct(SIMD16(repeating: w0[k]), xi)
                a1.addProduct(SIMD16(repeating: w1[k]), xi)
                a2.addProduct(SIMD16(repeating: w2[k]), xi)
                a3.addProduct(SIMD16(repeating: w3[k]), xi)
            }
            store(scale * a0, out + c)
            if rows > 1 { store(scale * a1, out + outStride + c) }
            if rows > 2 { store(scale * a2, out + 2 * outStride + c) }
            if rows > 3 { store(scale * a3, out + 3 * outStride + c) }
            c += 16
        }
        while c < columns {   // the last columns when there are not 16 left
            for r in 0..<rows {
                var sum: Float = 0
                for i in 0..<terms { sum += w[i * ws + r * rws] * x[i * xs + c] }
                out[r * outStride + c] = scale * sum
            }
            c += 1
        }
    }

    /// The channels of k (or v) of one (b, h), transposed to hs rows of T: row d holds channel d
    /// of every position, so a row of scores q_t · k_j along j is a weighted sum of hs rows.
    static func transposed(_ g: AttentionGeometry, qkv: UnsafePointer<Float>, b: Int, h: Int, part: Int,
                           into rows: UnsafeMutablePointer<Float>) {
        let hs = g.headSize, steps = g.steps
        for j in 0..<steps {
            let source = qkv + g.query(b, j, h) + part * g.channels
            for d in 0..<hs { rows[d * steps + j] = source[d] }
        }
    }

    /// row[0...t] ← softmax(row[0...t]) (16 lanes at a time with FastMath.exp), row[t+1..<T] ← 0.
    @inline(__always)
    static func softmaxPrefix(_ row: UnsafeMutablePointer<Float>, through t: Int, length: Int) {
        let n = t + 1
        var maximum = -Float.infinity
        for j in 0..<n { maximum = max(maximum, row[j]) }
        var sums = SIMD16<Float>()
        var j = 0
        while j + 16 <= n {
            let e = FastMath.exp(UnsafeRawPointer(row + j).loadUnaligned(as: SIMD16<Float>.self) - SIMD16(repeating: maximum))
            UnsafeMutableRawPointer(row + j).storeBytes(of: e, as: SIMD16<Float>.self)
            sums += e
            j += 16
        }
        var total = VectorSums.horizontalSum(sums)
        while j < n { row[j] = Foundation.exp(row[j] - maximum); total += row[j]; j += 1 }
        let inverse = 1 / total
        for j in 0..<n { row[j] *= inverse }
        if n < length { (row + n).update(repeating: 0, count: length - n) }   // the masked part
    }

    /// y and P of one (b, h), four rows t at a time: scores against k_0 … k_t, softmax, the
    /// weighted sum of v.
    static func forward(_ g: AttentionGeometry, qkv: UnsafePointer<Float>, b: Int, h: Int,
                        y: UnsafeMutablePointer<Float>, p: UnsafeMutablePointer<Float>) {
        let hs = g.headSize, c = g.channels, steps = g.steps
        let keys = UnsafeMutablePointer<Float>.allocate(capacity: hs * steps)   // kᵀ, hs × T
        defer { keys.deallocate() }
        transposed(g, qkv: qkv, b: b, h: h, part: 1, into: keys)
        let values = qkv + g.query(b, 0, h) + 2 * c
        for t0 in stride(from: 0, to: steps, by: blockRows) {
            let rows = min(blockRows, steps - t0), last = t0 + rows - 1
            let block = p + g.probabilityRow(b, h, t0)
            // S_tj = s · Σ_d q_t[d] k_j[d], along j up to the last row's whole vectors: the
            // j > t computed on the way are overwritten by the mask in softmaxPrefix.
            combineRows(terms: hs, rows: rows, weights: qkv + g.query(b, t0, h), weightStride: 1, rowWeightStride: 3 * c,
                        vectors: keys, vectorStride: steps, columns: g.vectorSpan(last), scale: g.scale,
                        into: block, outStride: steps)
            for r in 0..<rows { softmaxPrefix(block + r * steps, through: t0 + r, length: steps) }
            // y_t = Σ_(j ≤ last) P_tj v_j (P_tj = 0 for j > t)
            combineRows(terms: last + 1, rows: rows, weights: block, weightStride: 1, rowWeightStride: steps,
                        vectors: values, vectorStride: 3 * c, columns: hs, scale: 1,
                        into: y + g.output(b, t0, h), outStride: c)
        }
    }

    /// dq, dk, dv of one (b, h) from dy, P, y and vᵀ, into the packed gradient (B, T, 3C).
    static func backward(_ g: AttentionGeometry, qkv: UnsafePointer<Float>, y: UnsafePointer<Float>, p: UnsafePointer<Float>,
                         valuesTransposed valuesT: UnsafePointer<Float>,
                         dy: UnsafePointer<Float>, b: Int, h: Int, dqkv: UnsafeMutablePointer<Float>) {
        let hs = g.headSize, c = g.channels, steps = g.steps
        let dS = UnsafeMutablePointer<Float>.allocate(capacity: steps * steps)   // T × T, zero above the diagonal
        defer { dS.deallocate() }
        let P = p + g.probabilityRow(b, h, 0)
        for t0 in stride(from: 0, to: steps, by: blockRows) {
            let rows = min(blockRows, steps - t0)
            // dP_tj = dy_t · v_j along j (in whole vectors as in the forward) ...
            combineRows(terms: hs, rows: rows, weights: dy + g.output(b, t0, h), weightStride: 1, rowWeightStride: c,
                        vectors: valuesT, vectorStride: steps, columns: g.vectorSpan(t0 + rows - 1), scale: 1,
                        into: dS + t0 * steps, outStride: steps)
            // ... then dS_tj = P_tj (dP_tj − D_t) for j ≤ t and 0 beyond.
            for t in t0..<(t0 + rows) {
                let row = P + t * steps, dSRow = dS + t * steps
                let D = VectorSums.dot(dy + g.output(b, t, h), y + g.output(b, t, h), count: hs)
                for j in 0...t { dSRow[j] = row[j] * (dSRow[j] - D) }
                (dSRow + t + 1).update(repeating: 0, count: steps - t - 1)
            }
        }
        let queries = qkv + g.query(b, 0, h), keys = queries + c, dyRows = dy + g.output(b, 0, h)
        for t0 in stride(from: 0, to: steps, by: blockRows) {   // dq_t = s Σ_(j ≤ t) dS_tj k_j
            let rows = min(blockRows, steps - t0)
            combineRows(terms: t0 + rows, rows: rows, weights: dS + t0 * steps, weightStride: 1, rowWeightStride: steps,
                        vectors: keys, vectorStride: 3 * c, columns: hs, scale: g.scale,
                        into: dqkv + g.query(b, t0, h), outStride: 3 * c)
        }
        for j0 in stride(from: 0, to: steps, by: blockRows) {   // dk_j = s Σ_(t ≥ j) dS_tj q_t,  dv_j = Σ_(t ≥ j) P_tj dy_t
            let rows = min(blockRows, steps - j0), terms = steps - j0   // terms t = j0 … T−1
            combineRows(terms: terms, rows: rows, weights: dS + j0 * steps + j0, weightStride: steps, rowWeightStride: 1,
                        vectors: queries + j0 * 3 * c, vectorStride: 3 * c, columns: hs, scale: g.scale,
                        into: dqkv + g.query(b, j0, h) + c, outStride: 3 * c)
            combineRows(terms: terms, rows: rows, weights: P + j0 * steps + j0, weightStride: steps, rowWeightStride: 1,
                        vectors: dyRows + j0 * c, vectorStride: c, columns: hs, scale: 1,
                        into: dqkv + g.query(b, j0, h) + 2 * c, outStride: 3 * c)
        }
    }
}
