// Fitting the intercept by centring.
//
// For  min_{w,b} Σᵢ (yᵢ − xᵢᵀw − b)² + penalty(w)  (the intercept b is never
// penalised), setting ∂/∂b = 0 gives  b = ȳ − x̄ᵀw, with x̄ the column means of X
// and ȳ the mean of y. Putting that b back in:
//     Σᵢ ((yᵢ − ȳ) − (xᵢ − x̄)ᵀw)² + penalty(w),
// the same problem without an intercept on centred data X̃ = X − 1·x̄ᵀ, ỹ = y − ȳ.
// So every closed-form and coordinate-descent solver fits w on (X̃, ỹ) and then
// sets b = ȳ − x̄ᵀw. With fitIntercept false the means are taken as 0 and b = 0.
//
// Centring also helps float32 precision: the Gram matrix of uncentred data
// with |mean| ≫ std has entries ≈ n·mean², and the information is in digits
// float32 does not keep; centring first removes that cancellation.
// Means are summed in float32 blocks of rows (vectorised across columns) and
// the block totals in Double.

/// Column means of X and the mean of y (or zeros when the model has no intercept).
struct InterceptByCentring: Sendable {
    /// x̄, one value per feature (all 0 without intercept).
    let featureMeans: [Float]
    /// ȳ (0 without intercept).
    let targetMean: Float
    /// Whether the model fits an intercept at all.
    let isEnabled: Bool

    /// Means of X [n, d] and y [n] when `enabled`; zeros otherwise.
    init(_ x: Tensor, _ y: Tensor, enabled: Bool) {
        let (n, d) = (x.shape[0], x.shape[1])
        isEnabled = enabled
        guard enabled, n > 0 else {
            featureMeans = [Float](repeating: 0, count: d)
            targetMean = 0
            return
        }
        var totals = [Double](repeating: 0, count: d)
        var block = [Float](repeating: 0, count: d)
        let blockRows = 256
        x.withUnsafeBufferPointer { xp in
            block.withUnsafeMutableBufferPointer { bp in
                var start = 0
                while start < n {
                    let end = Swift.min(n, start + blockRows)
                    bp.update(repeating: 0)
                    for i in start..<end {
                        let row = xp.baseAddress! + i * d
                        for j in 0..<d { bp[j] += row[j] }     // vectorised across the columns
                    }
                    for j in 0..<d { totals[j] += Double(bp[j]) }
                    start = end
                }
            }
        }
        featureMeans = totals.map { Float($0 / Double(n)) }
        targetMean = y.withUnsafeBufferPointer { yp in Float(yp.reduce(0.0) { $0 + Double($1) } / Double(n)) }
    }

    /// b = ȳ − x̄ᵀw (0 without intercept).
    func intercept(for coefficients: [Float]) -> Float {
        guard isEnabled else { return 0 }
        var dot = 0.0
        for (m, w) in zip(featureMeans, coefficients) { dot += Double(m) * Double(w) }
        return Float(Double(targetMean) - dot)
    }

    /// X̃ = X − 1·x̄ᵀ as a new [n, d] tensor (X itself when there is no intercept).
    func centred(_ x: Tensor) -> Tensor {
        guard isEnabled else { return x }
        let (n, d) = (x.shape[0], x.shape[1])
        var out = Tensor(uninitializedShape: [n, d])
        x.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                featureMeans.withUnsafeBufferPointer { mp in
                    Parallel.forRanges(n, minimumPerThread: Swift.max(1, 65_536 / Swift.max(d, 1))) { rows in
                        for i in rows {
                            let source = xp.baseAddress! + i * d, target = op.baseAddress! + i * d
                            for j in 0..<d { target[j] = source[j] - mp[j] }
                        }
                    }
                }
            }
        }
        return out
    }

    /// X̃ = X − 1·x̄ᵀ stored column by column (X̃ᵀ row-major, LAPACK's column-major X̃): column j
    /// of X̃ is the contiguous range [j·n, (j+1)·n). Row blocks keep the scattered writes in cache.
    func centredColumnMajor(_ x: Tensor) -> [Float] {
        let (n, d) = (x.shape[0], x.shape[1])
        var transposed = [Float](repeating: 0, count: n * d)
        x.withUnsafeBufferPointer { xp in
            featureMeans.withUnsafeBufferPointer { mean in
                transposed.withUnsafeMutableBufferPointer { t in
                    let blockRows = 64
                    for start in stride(from: 0, to: n, by: blockRows) {
                        let end = Swift.min(n, start + blockRows)
                        for j in 0..<d {
                            for i in start..<end { t[j * n + i] = xp[i * d + j] - mean[j] }
                        }
                    }
                }
            }
        }
        return transposed
    }

    /// ỹ = y − ȳ as a vector [n] (y itself, as a vector, when there is no intercept).
    func centred(target y: Tensor) -> Tensor {
        let flat = y.reshaped([y.count])
        guard isEnabled else { return flat }
        return flat - targetMean
    }
}
