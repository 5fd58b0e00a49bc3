// The logistic-regression objective, its gradient and its Hessian, derived by hand.
//
// Data: rows xᵢ ∈ ℝᴰ of X [n, D] (when an intercept is fitted, X carries a last
// column of ones and the intercept is that column's weight); weights W [K, D].
// The first `penalised` columns are penalised, the intercept column never.
//
// Binary (K = 1, labels yᵢ ∈ {0, 1}), zᵢ = w·xᵢ, p = σ(z) = 1/(1 + e^{−z}):
//     ℓᵢ = −yᵢ log pᵢ − (1 − yᵢ) log(1 − pᵢ) = log(1 + e^{zᵢ}) − yᵢ zᵢ
//     f(w) = (1/n) Σ ℓᵢ + (α/2) ‖w_pen‖²
//   Since d/dz log(1 + e^z) = σ(z) and σ' = σ(1 − σ):
//     ∂ℓᵢ/∂zᵢ = pᵢ − yᵢ,     ∂²ℓᵢ/∂zᵢ² = pᵢ(1 − pᵢ),
//     ∇f = (1/n) Xᵀ(p − y) + α w_pen
//     H  = (1/n) Xᵀ S X + α I_pen,   S = diag(pᵢ(1 − pᵢ))   (IRLS weights)
//   log(1 + e^z) is computed as max(z, 0) + log(1 + e^{−|z|}) so e^{…} never overflows,
//   and σ(z) as 1/(1 + e^{−|z|}) or e^{−|z|}/(1 + e^{−|z|}) by the sign of z.
//
// Multinomial (K ≥ 3 classes, yᵢ the class index, Y the one-hot matrix),
// zᵢ = W xᵢ ∈ ℝᴷ, p_i = softmax(zᵢ), p_ia = e^{z_ia} / Σ_b e^{z_ib}:
//     ℓᵢ = −log p_{i,yᵢ} = log Σ_b e^{z_ib} − z_{i,yᵢ}
//     ∂ℓᵢ/∂z_ia = p_ia − Y_ia,   ∂²ℓᵢ/∂z_ia∂z_ib = p_ia(δ_ab − p_ib)
//     ∇_W f = (1/n) (P − Y)ᵀ X + α W_pen                      [K, D]
//     H_(a,b) = (1/n) Xᵀ diag(p_a ∘ (δ_ab − p_b)) X + α δ_ab I_pen   [D, D] block (a, b)
//   with the maximum of zᵢ taken off before exponentiating (softmax does not change).
//   Adding the same vector to every row of W changes no probability, so with no
//   penalty on a direction (α = 0, or the intercept column) H is singular along
//   it; the gradient has no component there (Σ_a (p_ia − Y_ia) = 0), so Newton
//   adds a tiny ridge on those entries without changing its step elsewhere.
//
// Two versions of the binary f and ∇f, as llm.c keeps its kernels: `binaryLogLoss`
// is the definition written to be read, one row at a time in Double (the course's
// exercise `logistic-loss`); `evaluate` computes the same with BLAS and a SIMD pass
// (`binaryResidual`), is what every solver calls, and is tested against the
// definition (Tests/LinearModelsTests/LogisticLossFastPathTests.swift).
//
// Cost of one evaluation: Z = X Wᵀ (one sgemv/sgemm, 2nDK flops), one SIMD pass
// for probabilities and log-loss (FastMath exp/log, 1-ulp and 2-ulp accurate,
// the loss summed in Double per block of rows), and G = (P − Y)ᵀ X (again 2nDK).
// The BLAS calls use OpenBLAS's threads; the SIMD pass splits its blocks across
// cores with Parallel.forRanges. The Hessian costs nD² (binary) or ½K²nD².
import CBLAS
import Foundation
import Tensor

/// The penalised mean log-loss of a logistic model on fixed data, with its gradient and Hessian:
/// what every solver of `LogisticRegression` minimises (public so that a lab or test can evaluate it).
public struct LogisticObjective: @unchecked Sendable {
    /// The design matrix [n, D] (with a last column of ones when an intercept is fitted).
    public let x: Tensor
    /// Binary: yᵢ ∈ {0, 1}. Multinomial: the class index of row i, as a Float.
    public let targets: Tensor
    /// 1 for the binary (sigmoid) model, k ≥ 3 for the softmax model.
    public let outputs: Int
    /// How many leading columns of W are penalised (the intercept column, if any, is not).
    public let penalised: Int
    /// The L2 coefficient α of (α/2)‖W_pen‖² (0 for no penalty, and for L1 whose part the solver adds).
    public let l2: Double

    /// The objective on X [n, D] with binary targets in {0, 1} (`outputs` 1) or class indices 0..<k
    /// (`outputs` k ≥ 3), penalising the first `penalised` columns with (l2/2)‖·‖².
    public init(x: Tensor, targets: Tensor, outputs: Int, penalised: Int, l2: Double) {
        precondition(x.rank == 2 && targets.count == x.shape[0],
                     "LogisticObjective: X \(x.shape) and targets \(targets.shape) must be [n, D] and [n]")
        precondition(outputs == 1 || outputs >= 3, "LogisticObjective: outputs must be 1 (binary) or ≥ 3, got \(outputs)")
        precondition(penalised >= 0 && penalised <= x.shape[1] && l2 >= 0,
                     "LogisticObjective: penalised \(penalised) must be in 0...\(x.shape[1]) and l2 \(l2) ≥ 0")
        self.x = x
        self.targets = targets
        self.outputs = outputs
        self.penalised = penalised
        self.l2 = l2
    }

    var rows: Int { x.shape[0] }
    var columns: Int { x.shape[1] }
    /// Parameters: outputs × columns, row-major (class a's weights at a·D ..< (a+1)·D).
    public var parameterCount: Int { outputs * columns }

    /// The binary model's mean log-loss and its gradient, one row at a time in Double, without the
    /// penalty: the definition, written to be read (the course's exercise `logistic-loss`).
    ///
    ///     f(w) = (1/n) Σᵢ ℓᵢ,   ℓᵢ = log(1 + e^{zᵢ}) − yᵢ zᵢ,   zᵢ = w·xᵢ
    ///     ∇f(w) = (1/n) Σᵢ (σ(zᵢ) − yᵢ) xᵢ
    ///
    /// `evaluate` computes the same (plus the penalty) with BLAS and SIMD; it is the one the solvers
    /// call, and it is tested against this function.
    ///
    /// - Parameters:
    ///   - x: the design matrix [n, D] (a last column of ones for an intercept).
    ///   - labels: yᵢ ∈ {0, 1} [n].
    ///   - w: the weights [D].
    public static func binaryLogLoss(x: Tensor, labels: Tensor, weights w: [Double]) -> (value: Double, gradient: [Double]) {
        precondition(x.rank == 2 && labels.count == x.shape[0] && w.count == x.shape[1],
                     "LogisticObjective.binaryLogLoss: X \(x.shape), labels \(labels.shape) and \(w.count) weights must be [n, D], [n] and D")
        // BEGIN EXERCISE logistic-loss
        let (n, d) = (x.shape[0], x.shape[1])
        let rows = x.scalars, y = labels.scalars
        var value = 0.0
        var gradient = [Double](repeating: 0, count: d)
        for i in 0..<n {
            // The score zᵢ = w·xᵢ.
            var z = 0.0
            for j in 0..<d { z += w[j] * Double(rows[i * d + j]) }
            // With the margin m = (2yᵢ − 1)·zᵢ (positive when the row is on its class's side),
            // ℓᵢ = log(1 + e^{−m}), written max(−m, 0) + log(1 + e^{−|m|}) so that e^{…} ≤ 1 never overflows.
            let margin = (2 * Double(y[i]) - 1) * z
            value += max(-margin, 0) + log1p(exp(-abs(margin)))
            // ∂ℓᵢ/∂zᵢ = σ(zᵢ) − yᵢ, and ∂zᵢ/∂w = xᵢ. (For z ≪ 0, e^{−z} = ∞ and σ = 1/∞ = 0: no NaN.)
            let residual = 1 / (1 + exp(-z)) - Double(y[i])
            for j in 0..<d { gradient[j] += residual * Double(rows[i * d + j]) }
        }
        return (value / Double(n), gradient.map { $0 / Double(n) })
        // END EXERCISE
    }

    /// Rows per block of the probability pass (one Double partial sum of the loss each).
    static let blockRows = 4096

    /// f(W) and ∇f(W) for the flattened weights W [outputs · columns]: the fast path every solver calls
    /// (for the binary model, `binaryLogLoss` plus the penalty, computed with BLAS and SIMD).
    public func evaluate(_ w: [Double]) -> (value: Double, gradient: [Double]) {
        let (n, d, k) = (rows, columns, outputs)
        precondition(w.count == k * d, "LogisticObjective.evaluate: \(w.count) weights for \(k) × \(d)")
        let weights = w.map { Float($0) }
        // Z = X Wᵀ  [n, k]; then in place Z → P − Y, with the loss per block.
        var residual = Tensor(uninitializedShape: [n, k])
        let blocks = (n + Self.blockRows - 1) / Self.blockRows
        var partial = [Double](repeating: 0, count: blocks)
        var gradient = [Float](repeating: 0, count: k * d)
        x.withUnsafeBufferPointer { xp in
            residual.withUnsafeMutableBufferPointer { r in
                weights.withUnsafeBufferPointer { wp in
                    if k == 1 {
                        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(d), 1, xp.baseAddress, Int32(d),
                                    wp.baseAddress, 1, 0, r.baseAddress, 1)
                    } else {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(k), Int32(d), 1,
                                    xp.baseAddress, Int32(d), wp.baseAddress, Int32(d), 0, r.baseAddress, Int32(k))
                    }
                }
                targets.withUnsafeBufferPointer { y in
                    let rp = UnsafeSendablePointer(r.baseAddress!), yp = UnsafeSendablePointer(UnsafeMutablePointer(mutating: y.baseAddress!))
                    partial.withUnsafeMutableBufferPointer { sums in
                        let sp = UnsafeSendablePointer(sums.baseAddress!)
                        Parallel.forRanges(blocks, minimumPerThread: 4) { range in
                            for b in range {
                                let start = b * Self.blockRows, count = Swift.min(Self.blockRows, n - start)
                                sp.pointer[b] = k == 1
                                    ? Self.binaryResidual(rp.pointer + start, yp.pointer + start, count)
                                    : Self.softmaxResidual(rp.pointer + start * k, yp.pointer + start, count, k)
                            }
                        }
                    }
                }
                // G = (P − Y)ᵀ X / n  [k, d]
                gradient.withUnsafeMutableBufferPointer { g in
                    if k == 1 {
                        cblas_sgemv(CblasRowMajor, CblasTrans, Int32(n), Int32(d), 1 / Float(n), xp.baseAddress, Int32(d),
                                    r.baseAddress, 1, 0, g.baseAddress, 1)
                    } else {
                        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(d), Int32(n), 1 / Float(n),
                                    r.baseAddress, Int32(k), xp.baseAddress, Int32(d), 0, g.baseAddress, Int32(d))
                    }
                }
            }
        }
        var value = partial.reduce(0, +) / Double(n)
        var result = gradient.map { Double($0) }
        if l2 > 0 {
            for a in 0..<k {
                for j in 0..<penalised {
                    let wj = w[a * d + j]
                    value += 0.5 * l2 * wj * wj
                    result[a * d + j] += l2 * wj
                }
            }
        }
        return (value, result)
    }

    /// Binary pass over `count` rows: z → p − y in place; returns Σ ℓᵢ in Double. The fast form of the
    /// loop body of `binaryLogLoss`: sixteen rows at a time, the last partial block masked.
    static func binaryResidual(_ z: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) -> Double {
        var total = 0.0
        var i = 0
        while i < count {
            let lanes = Swift.min(16, count - i)
            var zv = SIMD16<Float>(), yv = SIMD16<Float>()
            if lanes == 16 {
                zv = UnsafeRawPointer(z + i).loadUnaligned(as: SIMD16<Float>.self)
                yv = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self)
            } else {
                for l in 0..<lanes { zv[l] = z[i + l]; yv[l] = y[i + l] }
            }
            // e = e^{−|z|}; log(1 + e^z) = max(z, 0) + log(1 + e); σ(z) = 1/(1+e) for z ≥ 0, e/(1+e) below.
            let e = FastMath.exp(-FastMath.magnitude(zv))
            let onePlus = 1 + e
            let softplus = zv.replacing(with: 0, where: zv .< 0) + FastMath.log(onePlus)
            let p = (SIMD16<Float>(repeating: 1).replacing(with: e, where: zv .< 0)) / onePlus
            var loss = softplus - yv * zv
            let r = p - yv
            if lanes == 16 {
                UnsafeMutableRawPointer(z + i).storeBytes(of: r, as: SIMD16<Float>.self)
            } else {
                for l in 0..<lanes { z[i + l] = r[l] }
                for l in lanes..<16 { loss[l] = 0 }
            }
            total += Double(loss.sum())
            i += 16
        }
        return total
    }

    /// Softmax pass over `count` rows of k scores: z → p − Y in place; returns Σ ℓᵢ in Double.
    static func softmaxResidual(_ z: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int, _ k: Int) -> Double {
        // Shift each row by its maximum (the softmax is unchanged, e^{…} ≤ 1), remembering z_{i,yᵢ} − max.
        var total = 0.0
        for i in 0..<count {
            let row = z + i * k
            var top = row[0]
            for a in 1..<k { top = Swift.max(top, row[a]) }
            for a in 0..<k { row[a] -= top }
            total -= Double(row[Int(y[i])])
        }
        // Exponentiate the whole block at once, sixteen scores at a time.
        let m = count * k
        var j = 0
        while j + 16 <= m {
            let v = UnsafeRawPointer(z + j).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(z + j).storeBytes(of: FastMath.exp(v), as: SIMD16<Float>.self)
            j += 16
        }
        while j < m { z[j] = FastMath.scalar(z[j], FastMath.exp); j += 1 }
        // Normalise: p = e / Σe, ℓ = log Σe − (z_y − max); then subtract the one-hot target.
        for i in 0..<count {
            let row = z + i * k
            var sum: Float = 0
            for a in 0..<k { sum += row[a] }
            total += Double(FastMath.scalar(sum, FastMath.log))
            let inverse = 1 / sum
            for a in 0..<k { row[a] *= inverse }
            row[Int(y[i])] -= 1
        }
        return total
    }

    /// The Hessian of f at W, as a dense symmetric [P, P] matrix in Double (P = parameterCount).
    public func hessian(_ w: [Double]) -> [Double] {
        let (n, d, k) = (rows, columns, outputs)
        var p: Tensor
        if k == 1 {
            // Binary: only the IRLS weights are needed, √(p(1 − p)) = √e / (1 + e) with e = e^{−|z|}
            // (p(1 − p) = e/(1 + e)² for either sign of z), computed sixteen rows at a time.
            p = Tensor(uninitializedShape: [n, 1])
            let weights = w.map { Float($0) }
            x.withUnsafeBufferPointer { xp in
                p.withUnsafeMutableBufferPointer { z in
                    weights.withUnsafeBufferPointer { wp in
                        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(d), 1, xp.baseAddress, Int32(d),
                                    wp.baseAddress, 1, 0, z.baseAddress, 1)
                    }
                    var i = 0
                    while i + 16 <= n {
                        let zv = UnsafeRawPointer(z.baseAddress! + i).loadUnaligned(as: SIMD16<Float>.self)
                        let half = FastMath.exp(-0.5 * FastMath.magnitude(zv))          // √e
                        UnsafeMutableRawPointer(z.baseAddress! + i).storeBytes(of: half / (1 + half * half),
                                                                               as: SIMD16<Float>.self)
                        i += 16
                    }
                    while i < n {
                        let half = FastMath.scalar(-0.5 * abs(z[i]), FastMath.exp)
                        z[i] = half / (1 + half * half)
                        i += 1
                    }
                }
            }
        } else {
            // Multinomial: probabilities P [n, k] from the scores X Wᵀ.
            let weights = Tensor(shape: [k, d], scalars: w.map { Float($0) })
            p = Tensor.matmul(x, weights, transposeB: true)
            p.withUnsafeMutableBufferPointer { s in
                let sp = UnsafeSendablePointer(s.baseAddress!)
                Parallel.forRanges(n, minimumPerThread: 16_384) { range in
                    for i in range {
                        let row = sp.pointer + i * k
                        var top = row[0]
                        for a in 1..<k { top = Swift.max(top, row[a]) }
                        var sum: Float = 0
                        for a in 0..<k { row[a] = FastMath.scalar(row[a] - top, FastMath.exp); sum += row[a] }
                        for a in 0..<k { row[a] /= sum }
                    }
                }
            }
        }
        let size = k * d
        var h = [Double](repeating: 0, count: size * size)
        var scaled = Tensor(uninitializedShape: [n, d])
        var block = [Float](repeating: 0, count: d * d)
        for a in 0..<k {
            for b in a..<k {
                // Binary: row i of X times √(pᵢ(1 − pᵢ)), so that H = (√S X)ᵀ(√S X)/n, one symmetric
                // rank-n update (ssyrk, half the flops of a product). Multinomial: row i times
                // s_i = p_ia(δ_ab − p_ib), which can be negative, and block = Xᵀ(S X)/n by sgemm.
                Self.scaleRows(x, p, into: &scaled) { pi in
                    k == 1 ? pi[0] : pi[a] * ((a == b ? 1 : 0) - pi[b])
                }
                x.withUnsafeBufferPointer { xp in
                    scaled.withUnsafeBufferPointer { sx in
                        block.withUnsafeMutableBufferPointer { out in
                            if k == 1 {
                                cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(d), Int32(n), 1 / Float(n),
                                            sx.baseAddress, Int32(d), 0, out.baseAddress, Int32(d))
                            } else {
                                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(d), Int32(d), Int32(n),
                                            1 / Float(n), xp.baseAddress, Int32(d), sx.baseAddress, Int32(d),
                                            0, out.baseAddress, Int32(d))
                            }
                        }
                    }
                }
                for r in 0..<d {
                    for c in 0..<d {
                        // ssyrk fills the upper triangle only: read (min, max).
                        let value = Double(k == 1 ? block[Swift.min(r, c) * d + Swift.max(r, c)] : block[r * d + c])
                        h[(a * d + r) * size + b * d + c] = value
                        h[(b * d + c) * size + a * d + r] = value
                    }
                }
            }
        }
        if l2 > 0 {
            for a in 0..<k { for j in 0..<penalised { h[(a * d + j) * size + a * d + j] += l2 } }
        }
        return h
    }

    /// scaled[i, :] = weight(P[i, :]) · X[i, :], rows split across cores.
    static func scaleRows(_ x: Tensor, _ p: Tensor, into scaled: inout Tensor,
                          _ weight: @Sendable (UnsafePointer<Float>) -> Float) {
        let (n, d, k) = (x.shape[0], x.shape[1], p.shape[1])
        x.withUnsafeBufferPointer { xp in
            p.withUnsafeBufferPointer { pp in
                scaled.withUnsafeMutableBufferPointer { out in
                    let src = UnsafeSendablePointer(UnsafeMutablePointer(mutating: xp.baseAddress!))
                    let probabilities = UnsafeSendablePointer(UnsafeMutablePointer(mutating: pp.baseAddress!))
                    let dst = UnsafeSendablePointer(out.baseAddress!)
                    Parallel.forRanges(n, minimumPerThread: 8_192) { range in
                        for i in range {
                            let s = weight(probabilities.pointer + i * k)
                            let from = src.pointer + i * d, to = dst.pointer + i * d
                            for j in 0..<d { to[j] = s * from[j] }
                        }
                    }
                }
            }
        }
    }
}

/// A raw pointer that may be captured by a parallel loop whose chunks write disjoint parts.
struct UnsafeSendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
