// Layer normalization over the last axis as ONE graph node, with its backward
// written out (the composite of mean, subtract, square, sqrt and divide nodes
// keeps five (…, n) tensors and walks memory ten times; this keeps x̂ and one
// number per row).
//
// Forward, per row x of length n:
//   μ = (1/n) Σ x_i,   σ² = (1/n) Σ (x_i − μ)²,   r = 1/√(σ² + ε)
//   x̂_i = (x_i − μ) r,   y_i = γ_i x̂_i + β_i
// Backward, with g = ∂L/∂y and u_i = g_i γ_i:
//   ∂L/∂x_i = r (u_i − mean(u) − x̂_i · mean(u ⊙ x̂))
//   ∂L/∂γ_i = Σ_rows g_i x̂_i,   ∂L/∂β_i = Σ_rows g_i
// (The mean(u) term is the gradient through μ, the x̂ · mean(u ⊙ x̂) term the
// gradient through σ².) NN's LayerNorm calls this; tests compare it with the
// composite ops and with finite differences.

import Tensor

extension Variable {
    /// (x − μ)/√(σ² + ε) · γ (+ β) over the last axis; γ and β have the last axis's length.
    public func layerNorm(weight: Variable, bias: Variable?, epsilon: Float) -> Variable {
        let n = shape.last ?? 0
        precondition(rank >= 1 && n > 0 && weight.shape == [n] && (bias == nil || bias!.shape == [n]),
                     "layerNorm: input \(shape), weight \(weight.shape), bias \(bias?.shape ?? []): expected [.., n], [n], [n]")
        let rows = value.count / n
        var normalized = Tensor(uninitializedShape: shape)
        var output = Tensor(uninitializedShape: shape)
        var inverseDeviation = Tensor(uninitializedShape: [rows])
        let shift = bias?.value ?? Tensor.zeros([n])
        value.withUnsafeBufferPointer { x in
        weight.value.withUnsafeBufferPointer { gamma in
        shift.withUnsafeBufferPointer { beta in
        normalized.withUnsafeMutableBufferPointer { xHat in
        output.withUnsafeMutableBufferPointer { y in
        inverseDeviation.withUnsafeMutableBufferPointer { r in
            let x = x.baseAddress!, gamma = gamma.baseAddress!, beta = beta.baseAddress!
            let xHat = ParallelWritePointer(xHat.baseAddress!), y = ParallelWritePointer(y.baseAddress!)
            let r = ParallelWritePointer(r.baseAddress!)
            Parallel.forRanges(rows, minimumPerThread: Swift.max(1, 32_768 / n)) { range in
                for row in range {
                    let xr = x + row * n, hr = xHat.pointer + row * n, yr = y.pointer + row * n
                    let mean = VectorSums.sum(xr, count: n) / Float(n)
                    let variance = VectorSums.squaredDeviation(xr, from: mean, count: n) / Float(n)
                    let inverse = 1 / (variance + epsilon).squareRoot()
                    r.pointer[row] = inverse
                    for i in 0..<n {
                        hr[i] = (xr[i] - mean) * inverse
                        yr[i] = hr[i] * gamma[i] + beta[i]
                    }
                }
            }
        } } } } } }

        let normalizedKept = normalized, inverseKept = inverseDeviation, gammaKept = weight.value
        let parents = bias.map { [self, weight, $0] } ?? [self, weight]
        return Variable(output, op: "layerNorm", parents: parents) { g in
            var dx = Tensor(uninitializedShape: normalizedKept.shape)
            var dGamma = Tensor.zeros([n]), dBeta = Tensor.zeros([n])
            g.withUnsafeBufferPointer { g in
            normalizedKept.withUnsafeBufferPointer { xHat in
            inverseKept.withUnsafeBufferPointer { r in
            gammaKept.withUnsafeBufferPointer { gamma in
            dx.withUnsafeMutableBufferPointer { dx in
            dGamma.withUnsafeMutableBufferPointer { dGamma in
            dBeta.withUnsafeMutableBufferPointer { dBeta in
                let g = g.baseAddress!, xHat = xHat.baseAddress!, gamma = gamma.baseAddress!
                let dx = ParallelWritePointer(dx.baseAddress!)
                Parallel.forRanges(rows, minimumPerThread: Swift.max(1, 32_768 / n)) { range in
                    for row in range {
                        let gr = g + row * n, hr = xHat + row * n, out = dx.pointer + row * n
                        let meanU = VectorSums.dot(gr, gamma, count: n) / Float(n)
                        let meanUX = VectorSums.dot(gr, gamma, hr, count: n) / Float(n)
                        let inverse = r[row]
                        for i in 0..<n { out[i] = inverse * (gr[i] * gamma[i] - meanU - hr[i] * meanUX) }
                    }
                }
                // Parameter gradients: sums over rows, one pass (each column's sum in its own slot).
                let hasBias = bias != nil
                for row in 0..<rows {
                    let gr = g + row * n, hr = xHat + row * n
                    for i in 0..<n { dGamma[i] += gr[i] * hr[i] }
                    if hasBias { for i in 0..<n { dBeta[i] += gr[i] } }
                }
            } } } } } } }
            return bias == nil ? [dx, dGamma] : [dx, dGamma, dBeta]
        }
    }
}
