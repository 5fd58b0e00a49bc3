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
            var dqkv = Tensor.zeros([batch, steps, 3 * channels])
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

    /// to += alpha · x, n numbers.
    @inline(__always)
    static func addScaled(_ alpha: Float, _ x: UnsafePointer<Float>, to: UnsafeMutablePointer<Float>, _ n: Int) {
        var d = 0
        while d + 16 <= n {
            let current = UnsafeRawPointer(to + d).loadUnaligned(as: SIMD16<Float>.self)
            let xv = UnsafeRawPointer(x + d).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(to + d).storeBytes(of: current.addingProduct(SIMD16(repeating: alpha), xv), as: SIMD16<Float>.self)
            d += 16
        }
        while d < n { to[d] += alpha * x[d]; d += 1 }
    }

    /// y and P of one (b, h): for each t, scores against k_0 … k_t, softmax, the weighted sum of v.
    static func forward(_ g: AttentionGeometry, qkv: UnsafePointer<Float>, b: Int, h: Int,
                        y: UnsafeMutablePointer<Float>, p: UnsafeMutablePointer<Float>) {
        let hs = g.headSize, c = g.channels, scale = g.scale
        for t in 0..<g.steps {
            let q = qkv + g.query(b, t, h)
            let row = p + g.probabilityRow(b, h, t)
            var maximum = -Float.infinity
            for j in 0...t {
                let score = scale * dot(q, qkv + g.query(b, j, h) + c, hs)
                row[j] = score
                maximum = max(maximum, score)
            }
            var total: Float = 0
            for j in 0...t {
                let e = Foundation.exp(row[j] - maximum)
                row[j] = e
                total += e
            }
            let inverse = 1 / total
            let out = y + g.output(b, t, h)
            out.update(repeating: 0, count: hs)
            for j in 0...t {
                row[j] *= inverse
                addScaled(row[j], qkv + g.query(b, j, h) + 2 * c, to: out, hs)
            }
            if t + 1 < g.steps { (row + t + 1).update(repeating: 0, count: g.steps - t - 1) }   // the masked part
        }
    }

    /// dq, dk, dv of one (b, h) from dy, P and y, into the packed gradient (B, T, 3C).
    static func backward(_ g: AttentionGeometry, qkv: UnsafePointer<Float>, y: UnsafePointer<Float>, p: UnsafePointer<Float>,
                         dy: UnsafePointer<Float>, b: Int, h: Int, dqkv: UnsafeMutablePointer<Float>) {
        let hs = g.headSize, c = g.channels, scale = g.scale
        for t in 0..<g.steps {
            let row = p + g.probabilityRow(b, h, t)
            let dyt = dy + g.output(b, t, h)
            let D = dot(dyt, y + g.output(b, t, h), hs)
            let q = qkv + g.query(b, t, h), dq = dqkv + g.query(b, t, h)
            for j in 0...t {
                let kj = qkv + g.query(b, j, h) + c, vj = kj + c
                let dk = dqkv + g.query(b, j, h) + c, dv = dk + c
                addScaled(row[j], dyt, to: dv, hs)                 // dv_j += P_tj dy_t
                let dS = row[j] * (dot(dyt, vj, hs) - D)           // dS_tj = P_tj (dP_tj − D_t)
                addScaled(scale * dS, kj, to: dq, hs)             // dq_t += s dS_tj k_j
                addScaled(scale * dS, q, to: dk, hs)              // dk_j += s dS_tj q_t
            }
        }
    }
}
