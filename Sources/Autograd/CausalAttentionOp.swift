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
// The node keeps P, one T×T triangle per (b, h), written once; nothing else.
// Backward, given dy:
//   dP_tj = dy_t · v_j
//   dS_tj = P_tj (dP_tj − D_t)               D_t = Σ_j P_tj dP_tj = dy_t · y_t (softmax's Jacobian)
//   dq_t  = s Σ_j dS_tj k_j,   dk_j = s Σ_t dS_tj q_t,   dv_j = Σ_t P_tj dy_t
// Every (b, h) reads and writes its own columns only, so they run in parallel.
// The dot products q_t · k_j and dy_t · v_j of a row t run along j, over k and
// v transposed once per (b, h) to hs rows of T: the row is a weighted sum of
// hs rows of length t + 1 (rounded up to whole vectors), built in registers
// (`weightedRows`), instead of t + 1 dot products each ending in a horizontal sum.
// The weighted sums (y_t, dq_t, dk_j, dv_j) are each built in registers over
// their whole range and stored once (`combine`), not added into memory term by term.
// The composite version (NN's MultiheadAttention, built from matmul, permute
// and softmax nodes) is the readable definition; tests check this node
// against it and against finite differences.

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
        packedQKV.value.withUnsafeBufferPointer { qkv in
        output.withUnsafeMutableBufferPointer { y in
        probabilities.withUnsafeMutableBufferPointer { p in
            let qkv = qkv.baseAddress!, y = ParallelWritePointer(y.baseAddress!), p = ParallelWritePointer(p.baseAddress!)
            geometry.forEachHead { b, h in
                AttentionKernels.forward(geometry, qkv: qkv, b: b, h: h, y: y.pointer, p: p.pointer)
            }
        } } }

        let probabilitiesKept = probabilities, outputKept = output
        return Variable(output, op: "causalAttention", parents: [packedQKV]) { dy in
            var dqkv = Tensor(uninitializedShape: [batch, steps, 3 * channels])   // every element is written
            packedQKV.value.withUnsafeBufferPointer { qkv in
            outputKept.withUnsafeBufferPointer { y in
            probabilitiesKept.withUnsafeBufferPointer { p in
            dy.withUnsafeBufferPointer { dy in
            dqkv.withUnsafeMutableBufferPointer { dqkv in
                let qkv = qkv.baseAddress!, y = y.baseAddress!, p = p.baseAddress!, dy = dy.baseAddress!
                let dqkv = ParallelWritePointer(dqkv.baseAddress!)
                geometry.forEachHead { b, h in
                    AttentionKernels.backward(geometry, qkv: qkv, y: y, p: p, dy: dy, b: b, h: h, dqkv: dqkv.pointer)
                }
            } } } } }
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

/// The per-(b, h) loops of the fused attention, on SIMD16 vectors of the head's channels.
enum AttentionKernels {
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
        var sum = SIMD16<Float>()
        var d = 0
        while d + 16 <= n {
            sum.addProduct(UnsafeRawPointer(x + d).loadUnaligned(as: SIMD16<Float>.self),
                           UnsafeRawPointer(y + d).loadUnaligned(as: SIMD16<Float>.self))
            d += 16
        }
        var total = sum.sum()
        while d < n { total += x[d] * y[d]; d += 1 }
        return total
    }

    /// out[0..<span] = Σ_d weights[d] · rows[d·rowStride ..< d·rowStride + span] for d < depth: the
    /// products of one vector with the columns of a transposed block, 64 columns at a time kept in
    /// four SIMD16 registers, so each term is one load and one multiply-add and `out` is written once.
    @inline(__always)
    static func weightedRows(_ weights: UnsafePointer<Float>, scale: Float, _ rows: UnsafePointer<Float>, rowStride: Int,
                             depth: Int, span: Int, into out: UnsafeMutablePointer<Float>) {
        func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
        func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self) }
        var j = 0
        while j + 64 <= span {
            var a0 = SIMD16<Float>(), a1 = a0, a2 = a0, a3 = a0
            for d in 0..<depth {
                let w = SIMD16<Float>(repeating: scale * weights[d]), row = rows + d * rowStride + j
                a0.addProduct(w, load(row)); a1.addProduct(w, load(row + 16))
                a2.addProduct(w, load(row + 32)); a3.addProduct(w, load(row + 48))
            }
            store(a0, out + j); store(a1, out + j + 16); store(a2, out + j + 32); store(a3, out + j + 48)
            j += 64
        }
        while j + 16 <= span {
            var a0 = SIMD16<Float>()
            for d in 0..<depth { a0.addProduct(SIMD16(repeating: scale * weights[d]), load(rows + d * rowStride + j)) }
            store(a0, out + j)
            j += 16
        }
        while j < span {   // the last columns when T is not a multiple of 16
            var sum: Float = 0
            for d in 0..<depth { sum += weights[d] * rows[d * rowStride + j] }
            out[j] = scale * sum
            j += 1
        }
    }

    /// The channels of k (or v) of one (b, h), transposed to hs rows of T: row d holds channel d
    /// of every position, so a row of scores q_t · k_j, j ≤ t, is hs vector updates along j.
    static func transposed(_ g: AttentionGeometry, qkv: UnsafePointer<Float>, b: Int, h: Int, part: Int,
                           into rows: UnsafeMutablePointer<Float>) {
        let hs = g.headSize, steps = g.steps
        for j in 0..<steps {
            let source = qkv + g.query(b, j, h) + part * g.channels
            for d in 0..<hs { rows[d * steps + j] = source[d] }
        }
    }

    /// out[0..<n] = scale · Σ_(r in rows) w[r·ws] · x[r·xs ..< r·xs + n]: a weighted sum of rows,
    /// kept in registers (two SIMD16 at a time) until it is stored once.
    @inline(__always)
    static func combine(_ rows: ClosedRange<Int>, weights w: UnsafePointer<Float>, weightStride ws: Int,
                        vectors x: UnsafePointer<Float>, vectorStride xs: Int, scale: Float, _ n: Int,
                        into out: UnsafeMutablePointer<Float>) {
        func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
        func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self) }
        var d = 0
        while d + 32 <= n {
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>()
            for r in rows {
                let weight = SIMD16<Float>(repeating: w[r * ws]), row = x + r * xs + d
                a0.addProduct(weight, load(row)); a1.addProduct(weight, load(row + 16))
            }
            store(scale * a0, out + d); store(scale * a1, out + d + 16)
            d += 32
        }
        while d + 16 <= n {
            var a0 = SIMD16<Float>()
            for r in rows { a0.addProduct(SIMD16(repeating: w[r * ws]), load(x + r * xs + d)) }
            store(scale * a0, out + d)
            d += 16
        }
        while d < n {
            var sum: Float = 0
            for r in rows { sum += w[r * ws] * x[r * xs + d] }
            out[d] = scale * sum
            d += 1
        }
    }

    /// row[0...t] ← softmax(row[0...t]) (16 lanes at a time with FastMath.exp), row[t+1..<T] ← 0.
    @inline(__always)
    static func softmaxPrefix(_ row: UnsafeMutablePointer<Float>, through t: Int, length: Int) {
        let n = t + 1
        var maximum = -Float.infinity
        for j in 0..<n { maximum = max(maximum, row[j]) }
        var total: Float = 0
        var j = 0
        while j + 16 <= n {
            let e = FastMath.exp(UnsafeRawPointer(row + j).loadUnaligned(as: SIMD16<Float>.self) - SIMD16(repeating: maximum))
            UnsafeMutableRawPointer(row + j).storeBytes(of: e, as: SIMD16<Float>.self)
            total += e.sum()
            j += 16
        }
        while j < n { row[j] = Foundation.exp(row[j] - maximum); total += row[j]; j += 1 }
        let inverse = 1 / total
        for j in 0..<n { row[j] *= inverse }
        if n < length { (row + n).update(repeating: 0, count: length - n) }   // the masked part
    }

    /// y and P of one (b, h): for each t, scores against k_0 … k_t, softmax, the weighted sum of v.
    static func forward(_ g: AttentionGeometry, qkv: UnsafePointer<Float>, b: Int, h: Int,
                        y: UnsafeMutablePointer<Float>, p: UnsafeMutablePointer<Float>) {
        let hs = g.headSize, c = g.channels, scale = g.scale, steps = g.steps
        let keys = UnsafeMutablePointer<Float>.allocate(capacity: hs * steps)   // kᵀ, hs × T
        defer { keys.deallocate() }
        transposed(g, qkv: qkv, b: b, h: h, part: 1, into: keys)
        let values = qkv + g.query(b, 0, h) + 2 * c, rowStride = 3 * c
        for t in 0..<steps {
            let q = qkv + g.query(b, t, h)
            let row = p + g.probabilityRow(b, h, t)
            // S_tj = s · Σ_d q_t[d] k_j[d] for j ≤ t, along j, in whole vectors: the few j > t
            // computed on the way are overwritten by the mask in softmaxPrefix.
            weightedRows(q, scale: scale, keys, rowStride: steps, depth: hs, span: g.vectorSpan(t), into: row)
            softmaxPrefix(row, through: t, length: steps)
            // y_t = Σ_(j ≤ t) P_tj v_j
            combine(0...t, weights: row, weightStride: 1, vectors: values, vectorStride: rowStride, scale: 1, hs,
                    into: y + g.output(b, t, h))
        }
    }

    /// dq, dk, dv of one (b, h) from dy, P and y, into the packed gradient (B, T, 3C).
    static func backward(_ g: AttentionGeometry, qkv: UnsafePointer<Float>, y: UnsafePointer<Float>, p: UnsafePointer<Float>,
                         dy: UnsafePointer<Float>, b: Int, h: Int, dqkv: UnsafeMutablePointer<Float>) {
        let hs = g.headSize, c = g.channels, scale = g.scale, steps = g.steps
        // vᵀ (hs × T), then dS (T × T, the lower triangle used).
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: hs * steps + steps * steps)
        defer { scratch.deallocate() }
        let valuesT = scratch, dS = scratch + hs * steps
        transposed(g, qkv: qkv, b: b, h: h, part: 2, into: valuesT)
        let P = p + g.probabilityRow(b, h, 0)
        for t in 0..<steps {
            let row = P + t * steps, dSRow = dS + t * steps
            let dyt = dy + g.output(b, t, h)
            // dP_tj = dy_t · v_j along j, then dS_tj = P_tj (dP_tj − D_t).
            // (In whole vectors as in the forward; dS_tj for j > t is never read.)
            weightedRows(dyt, scale: 1, valuesT, rowStride: steps, depth: hs, span: g.vectorSpan(t), into: dSRow)
            let D = dot(dyt, y + g.output(b, t, h), hs)
            for j in 0...t { dSRow[j] = row[j] * (dSRow[j] - D) }
        }
        let rowStride = 3 * c
        let queries = qkv + g.query(b, 0, h), keys = queries + c, dyRows = dy + g.output(b, 0, h)
        for t in 0..<steps {   // dq_t = s Σ_(j ≤ t) dS_tj k_j
            combine(0...t, weights: dS + t * steps, weightStride: 1, vectors: keys, vectorStride: rowStride,
                    scale: scale, hs, into: dqkv + g.query(b, t, h))
        }
        for j in 0..<steps {   // dk_j = s Σ_(t ≥ j) dS_tj q_t,   dv_j = Σ_(t ≥ j) P_tj dy_t
            combine(j...(steps - 1), weights: dS + j, weightStride: steps, vectors: queries, vectorStride: rowStride,
                    scale: scale, hs, into: dqkv + g.query(b, j, h) + c)
            combine(j...(steps - 1), weights: P + j, weightStride: steps, vectors: dyRows, vectorStride: c,
                    scale: 1, hs, into: dqkv + g.query(b, j, h) + 2 * c)
        }
    }
}
