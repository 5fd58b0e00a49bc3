// Cyclic coordinate descent for the elastic net, shared by Lasso and ElasticNet.
//
// Objective (scikit-learn's), on centred X̃ [n, d], ỹ [n]:
//     P(w) = (1/(2n))‖ỹ − X̃w‖² + λ₁‖w‖₁ + (λ₂/2)‖w‖²,   λ₁ = α·ρ, λ₂ = α·(1 − ρ)
// (ρ = l1Ratio; ρ = 1 is the lasso). ‖w‖₁ has no gradient at 0, but P is convex
// and, in one coordinate w_j with the others fixed, a one-dimensional problem
// with a closed-form minimiser. Write r = ỹ − X̃w (the residual), x_j for column
// j, z_j = ‖x_j‖²/n, and  ρ_j = x_jᵀr/n + z_j·w_j  (the correlation of x_j with
// the residual that leaves w_j out). Then
//     w_j ← S(ρ_j, λ₁) / (z_j + λ₂),    S(a, λ) = sign(a)·max(|a| − λ, 0)
// (soft-thresholding: a correlation weaker than λ₁ sets w_j to exactly 0, which
// is how the lasso selects features). After each update the residual is kept
// current, r ← r − x_j·(w_j,new − w_j,old), so one update costs 2n flops and a
// sweep over all d coordinates costs one pass over X̃. X̃ is stored column by
// column (transposed once), so every x_j is contiguous.
//
// Stopping, as in scikit-learn: after a sweep whose largest change
// max_j |Δw_j| is at most tol·max_j |w_j|, compute the duality gap, an upper
// bound on P(w) − P(w*). In the scaled form n·P (squared loss ½‖r‖², λ's
// times n) with s = min(1, nλ₁ / ‖X̃ᵀr − nλ₂w‖∞) (scaling r into the dual
// feasible set):
//     gap = ½(1 + s²)‖r‖² + nλ₁‖w‖₁ − s·rᵀỹ + ½nλ₂(1 + s²)‖w‖²
// and stop when gap ≤ tol·‖ỹ‖². The report's finalValue is gap / ‖ỹ‖².
// Warm starts: starting from the solution for a nearby α (a regularisation
// path from large α to small) makes each fit a few sweeps.
import CBLAS

/// A centred, column-major copy of the data, ready for many elastic-net fits (one per α on a path).
struct CoordinateDescentProblem {
    let rows: Int
    let columns: Int
    /// X̃ᵀ: column j of X̃ is row j here, contiguous.
    let columnMajor: [Float]
    /// ỹ.
    let target: [Float]
    /// ‖x_j‖² for each column.
    let columnSquaredNorms: [Float]
    /// ‖ỹ‖².
    let targetSquaredNorm: Double
    /// The means removed, for the intercept.
    let centring: InterceptByCentring

    /// Centres X [n, d] and y [n] (when `fitIntercept`) and stores X̃ column by column.
    init(_ x: Tensor, _ y: Tensor, fitIntercept: Bool) {
        let (n, d) = (x.shape[0], x.shape[1])
        rows = n
        columns = d
        let centring = InterceptByCentring(x, y, enabled: fitIntercept)
        self.centring = centring
        let transposed = centring.centredColumnMajor(x)
        columnMajor = transposed
        target = centring.centred(target: y).scalars
        columnSquaredNorms = transposed.withUnsafeBufferPointer { t in
            (0..<d).map { j in cblas_sdot(Int32(n), t.baseAddress! + j * n, 1, t.baseAddress! + j * n, 1) }
        }
        targetSquaredNorm = target.reduce(0.0) { $0 + Double($1) * Double($1) }
    }

    /// Minimises the elastic-net objective with λ₁ = `l1`, λ₂ = `l2`, starting from `start`.
    func solve(l1: Float, l2: Float, from start: [Float], maxIterations: Int, tolerance: Double,
               solverName: String) -> (coefficients: [Float], report: SolverReport) {
        let (n, d) = (rows, columns)
        var w = start
        var residual = target                                   // r = ỹ − X̃w
        let scaledL1 = Float(n) * l1, scaledL2 = Float(n) * l2  // the λ's of n·P
        var history: [Double] = []
        var iterations = 0
        var gapRatio = Double.infinity
        var converged = false
        columnMajor.withUnsafeBufferPointer { xt in
            let X = xt.baseAddress!
            residual.withUnsafeMutableBufferPointer { r in
                w.withUnsafeMutableBufferPointer { wp in
                    for j in 0..<d where wp[j] != 0 {
                        cblas_saxpy(Int32(n), -wp[j], X + j * n, 1, r.baseAddress, 1)
                    }
                    while iterations < maxIterations {
                        iterations += 1
                        var largestChange: Float = 0, largestWeight: Float = 0
                        for j in 0..<d {
                            let norm = columnSquaredNorms[j]
                            if norm == 0 { wp[j] = 0; continue }   // a constant column never helps
                            let column = X + j * n
                            let old = wp[j]
                            // n·ρ_j = x_jᵀr + ‖x_j‖²·w_j
                            let correlation = cblas_sdot(Int32(n), column, 1, r.baseAddress, 1) + norm * old
                            let shrunk = Swift.max(Swift.abs(correlation) - scaledL1, 0)
                            let new = shrunk == 0 ? 0 : (correlation < 0 ? -shrunk : shrunk) / (norm + scaledL2)
                            if new != old {
                                cblas_saxpy(Int32(n), old - new, column, 1, r.baseAddress, 1)   // r -= x_j·Δw_j
                                wp[j] = new
                            }
                            largestChange = Swift.max(largestChange, Swift.abs(new - old))
                            largestWeight = Swift.max(largestWeight, Swift.abs(new))
                        }
                        history.append(objective(residual: UnsafeBufferPointer(r), weights: UnsafeBufferPointer(wp), l1: l1, l2: l2))
                        if largestWeight == 0 || Double(largestChange) <= tolerance * Double(largestWeight) {
                            gapRatio = dualityGap(X: X, residual: UnsafeBufferPointer(r), weights: UnsafeBufferPointer(wp),
                                                  scaledL1: scaledL1, scaledL2: scaledL2) / Swift.max(targetSquaredNorm, Double.leastNormalMagnitude)
                            if gapRatio <= tolerance { converged = true; break }
                        }
                    }
                }
            }
        }
        let report = SolverReport(solver: solverName, iterations: iterations, converged: converged, tolerance: tolerance,
                                  criterion: "duality gap / ‖y‖² (checked once max|Δw| ≤ tol·max|w|)",
                                  finalValue: gapRatio, lossHistory: history)
        return (w, report)
    }

    /// P(w) = (1/(2n))‖r‖² + λ₁‖w‖₁ + (λ₂/2)‖w‖², in Double.
    func objective(residual r: UnsafeBufferPointer<Float>, weights w: UnsafeBufferPointer<Float>, l1: Float, l2: Float) -> Double {
        var squared = 0.0
        for v in r { squared += Double(v) * Double(v) }
        var absolute = 0.0, norm2 = 0.0
        for v in w { absolute += Double(Swift.abs(v)); norm2 += Double(v) * Double(v) }
        return squared / (2 * Double(rows)) + Double(l1) * absolute + Double(l2) / 2 * norm2
    }

    /// The duality gap of n·P at w (see the header), in Double.
    func dualityGap(X: UnsafePointer<Float>, residual r: UnsafeBufferPointer<Float>, weights w: UnsafeBufferPointer<Float>,
                    scaledL1: Float, scaledL2: Float) -> Double {
        let n = rows
        var dualNorm = 0.0                                   // ‖X̃ᵀr − nλ₂w‖∞
        for j in 0..<columns {
            let value = Double(cblas_sdot(Int32(n), X + j * n, 1, r.baseAddress, 1)) - Double(scaledL2) * Double(w[j])
            dualNorm = Swift.max(dualNorm, Swift.abs(value))
        }
        let s = dualNorm > Double(scaledL1) ? Double(scaledL1) / dualNorm : 1
        var residualNorm2 = 0.0, residualDotTarget = 0.0
        target.withUnsafeBufferPointer { t in
            for i in 0..<n {
                residualNorm2 += Double(r[i]) * Double(r[i])
                residualDotTarget += Double(r[i]) * Double(t[i])
            }
        }
        var absolute = 0.0, norm2 = 0.0
        for v in w { absolute += Double(Swift.abs(v)); norm2 += Double(v) * Double(v) }
        return 0.5 * (1 + s * s) * residualNorm2 + Double(scaledL1) * absolute - s * residualDotTarget
            + 0.5 * Double(scaledL2) * (1 + s * s) * norm2
    }
}
