// Full-batch (proximal) gradient descent for the logistic objective.
//
// Write the objective as f(W) = g(W) + h(W): g smooth (mean log-loss, plus
// (α/2)‖W_pen‖² for L2), h = α‖W_pen‖₁ for L1 and 0 otherwise. One step of
// length t is
//     W⁺ = prox_{t h}(W − t ∇g(W)),
// where prox_{th}(v) = argmin_u h(u) + ‖u − v‖²/(2t). For h = 0 that is plain
// gradient descent W⁺ = W − t∇g; for h = α‖·‖₁ it separates per weight into
// soft-thresholding (ISTA; Beck and Teboulle, SIAM J. Imaging Sci. 2, 2009):
//     prox(v)_j = sign(v_j) · max(|v_j| − tα, 0),
// which sets small weights exactly to zero. (The intercept column is never
// thresholded.)
//
// Step size: t starts at `learningRate` and is halved until the step passes the
// sufficient-decrease test of the quadratic upper bound (descent lemma),
//     g(W⁺) ≤ g(W) + ∇g(W)ᵀ(W⁺ − W) + ‖W⁺ − W‖² / (2t),
// which holds for every t ≤ 1/L (L the Lipschitz constant of ∇g; for the
// binary loss L ≤ λmax(XᵀX)/(4n) + α). Where g is flat to rounding (within
// 10⁻⁶|g|, see LBFGS.swift) the same test is made with gradients,
// (∇g(W⁺) − ∇g(W))ᵀ(W⁺ − W) ≤ ‖W⁺ − W‖²/t, exact for a quadratic. t never grows
// again, so each step is at most as long as the last accepted one.
//
// Stopping: the stationarity measure ‖·‖∞ ≤ tolerance. Without L1 it is ‖∇g‖∞.
// With L1 it is the smallest subgradient of f: for a penalised weight
// |∂_j g + α sign(w_j)| if w_j ≠ 0, max(|∂_j g| − α, 0) if w_j = 0.

enum LogisticGradientDescent {
    static func minimize(_ objective: LogisticObjective, l1: Double, from start: [Double], learningRate: Double,
                         tolerance: Double, maxIterations: Int) -> (weights: [Double], report: SolverReport) {
        let size = start.count, columns = objective.columns, penalised = objective.penalised
        func isPenalised(_ i: Int) -> Bool { i % columns < penalised }
        func l1Norm(_ w: [Double]) -> Double {
            l1 == 0 ? 0 : (0..<size).reduce(0.0) { isPenalised($1) ? $0 + abs(w[$1]) : $0 }
        }
        func stationarity(_ w: [Double], _ g: [Double]) -> Double {
            var worst = 0.0
            for i in 0..<size {
                var value = abs(g[i])
                if l1 > 0 && isPenalised(i) {
                    value = w[i] != 0 ? abs(g[i] + (w[i] > 0 ? l1 : -l1)) : Swift.max(abs(g[i]) - l1, 0)
                }
                worst = Swift.max(worst, value)
            }
            return worst
        }

        var w = start
        var (f, g) = objective.evaluate(w)
        var t = learningRate
        var history: [Double] = []
        var iterations = 0
        var measure = stationarity(w, g)
        var stalled = false
        while measure > tolerance && iterations < maxIterations {
            var accepted = false
            for _ in 0..<60 {
                var next = [Double](repeating: 0, count: size)
                for i in 0..<size {
                    let v = w[i] - t * g[i]
                    next[i] = l1 > 0 && isPenalised(i) ? (v > 0 ? 1 : -1) * Swift.max(abs(v) - t * l1, 0) : v
                }
                let (fNext, gNext) = objective.evaluate(next)
                var linear = 0.0, squared = 0.0, curvature = 0.0
                for i in 0..<size {
                    let delta = next[i] - w[i]
                    linear += g[i] * delta
                    squared += delta * delta
                    curvature += (gNext[i] - g[i]) * delta
                }
                let bound = fNext <= f + linear + squared / (2 * t)
                let flat = fNext <= f + 1e-6 * abs(f) && curvature <= squared / t
                if fNext.isFinite && (bound || flat) {
                    (w, f, g) = (next, fNext, gNext)
                    accepted = true
                    break
                }
                t *= 0.5
            }
            if !accepted { stalled = true; break }
            iterations += 1
            history.append(f + l1 * l1Norm(w))
            measure = stationarity(w, g)
        }
        let criterion = l1 > 0 ? "‖minimum-norm subgradient‖∞" : "‖∇f‖∞"
        let report = SolverReport(solver: l1 > 0 ? "proximal-gradient (ISTA)" : "gradient-descent",
                                  iterations: iterations, converged: !stalled && measure <= tolerance,
                                  tolerance: tolerance, criterion: criterion, finalValue: measure, lossHistory: history)
        return (w, report)
    }
}
