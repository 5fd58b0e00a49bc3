// OWL-QN: L-BFGS for f(x) = g(x) + λ Σ_{j ∈ J} |x_j| (g smooth, J the penalised
// coordinates), after Andrew and Gao, "Scalable training of L1-regularized
// log-linear models", ICML 2007.
//
// |x_j| has no derivative at 0, but inside one orthant (every sign fixed) f is
// smooth, and L-BFGS's curvature pairs come from g alone. Three changes to L-BFGS:
//   1. The pseudo-gradient ◇f replaces ∇f: the gradient of f where it exists,
//      otherwise the one-sided derivative that points downhill, or 0:
//          ◇_j = ∂_j g + λ sign(x_j)                         if x_j ≠ 0
//          ◇_j = ∂_j g + λ   if ∂_j g + λ < 0,
//                ∂_j g − λ   if ∂_j g − λ > 0,   0 otherwise   (x_j = 0)
//      −◇f is the steepest-descent direction of f, and ◇f = 0 exactly at a minimum.
//   2. The quasi-Newton direction p = −H⁻¹◇f is zeroed where it disagrees in sign
//      with −◇f, and the search stays in the orthant ξ_j = sign(x_j), or
//      sign(−◇_j) for x_j = 0: each trial point is projected, every coordinate
//      that would cross zero is set to zero. That is how weights become exactly 0.
//   3. The line search backtracks (α = 1, ½, ¼, …) until
//          f(x⁺) ≤ f(x) + γ ◇fᵀ(x⁺ − x),   γ = 10⁻⁴,
//      or, where f is flat to rounding, the same test in derivative form (see
//      LBFGS.swift): (∇g(x⁺) + λξ)ᵀ(x⁺ − x) ≤ (2γ − 1) ◇fᵀ(x⁺ − x).
// Stopping: ‖◇f‖∞ ≤ tolerance (the smallest subgradient of f, as for ISTA).

extension LBFGS {
    /// Minimises g(x) + λ Σ_{j: penalised(j)} |x_j| from `start` by OWL-QN; `objective(x)` returns g(x) and ∇g(x).
    ///
    /// The result's `value` is the whole f (penalty included) and its `gradient` the pseudo-gradient ◇f.
    public func minimize(from start: [Double], l1 lambda: Double, penalised: (Int) -> Bool,
                         _ objective: ([Double]) -> (value: Double, gradient: [Double])) -> Result {
        let m = start.count
        let mask = (0..<m).map(penalised)
        func l1(_ x: [Double]) -> Double { (0..<m).reduce(0.0) { mask[$1] ? $0 + abs(x[$1]) : $0 } }
        func pseudoGradient(_ x: [Double], _ g: [Double]) -> [Double] {
            (0..<m).map { j in
                guard mask[j] else { return g[j] }
                if x[j] > 0 { return g[j] + lambda }
                if x[j] < 0 { return g[j] - lambda }
                if g[j] + lambda < 0 { return g[j] + lambda }
                if g[j] - lambda > 0 { return g[j] - lambda }
                return 0
            }
        }

        var x = start
        var (smooth, g) = objective(x)
        var f = smooth + lambda * l1(x)
        var pseudo = pseudoGradient(x, g)
        var evaluations = 1
        var history: [Double] = []
        var pairs: [(s: [Double], y: [Double], rho: Double)] = []
        var iterations = 0
        var measure = Self.maxAbs(pseudo)
        var failed = false

        while measure > tolerance && iterations < maxIterations {
            var accepted: (x: [Double], smooth: Double, g: [Double])?
            for attempt in 0..<2 {                  // quasi-Newton first; steepest descent if that fails
                if attempt == 1 { if pairs.isEmpty { break } else { pairs.removeAll() } }
                var direction = twoLoop(pseudo, pairs)
                for j in 0..<m where direction[j] * pseudo[j] >= 0 { direction[j] = 0 }   // agree with −◇f
                let orthant = (0..<m).map { j -> Double in
                    x[j] != 0 ? (x[j] > 0 ? 1 : -1) : (pseudo[j] < 0 ? 1 : (pseudo[j] > 0 ? -1 : 0))
                }
                var alpha = pairs.isEmpty ? Swift.min(1, 1 / measure) : 1
                for _ in 0..<40 {
                    var trial = (0..<m).map { x[$0] + alpha * direction[$0] }
                    for j in 0..<m where mask[j] && trial[j] * orthant[j] <= 0 { trial[j] = 0 }   // stay in the orthant
                    let (smoothTrial, gTrial) = objective(trial)
                    evaluations += 1
                    let fTrial = smoothTrial + lambda * l1(trial)
                    var predicted = 0.0, slope = 0.0
                    for j in 0..<m {
                        let step = trial[j] - x[j]
                        predicted += pseudo[j] * step
                        slope += (gTrial[j] + (mask[j] ? lambda * orthant[j] : 0)) * step
                    }
                    let armijo = fTrial <= f + 1e-4 * predicted
                    let flat = fTrial <= f + 1e-6 * abs(f) && slope <= (2e-4 - 1) * predicted
                    if fTrial.isFinite && predicted < 0 && (armijo || flat) {
                        accepted = (trial, smoothTrial, gTrial)
                        break
                    }
                    alpha *= 0.5
                }
                if accepted != nil { break }
            }
            guard let next = accepted else { failed = true; break }
            let s = (0..<m).map { next.x[$0] - x[$0] }
            let y = (0..<m).map { next.g[$0] - g[$0] }
            let sy = Self.dot(s, y)
            if sy > 1e-12 * Self.dot(y, y) {
                if pairs.count == memory { pairs.removeFirst() }
                pairs.append((s, y, 1 / sy))
            }
            (x, smooth, g) = next
            f = smooth + lambda * l1(x)
            pseudo = pseudoGradient(x, g)
            measure = Self.maxAbs(pseudo)
            iterations += 1
            history.append(f)
        }
        let report = SolverReport(solver: "lbfgs (OWL-QN)", iterations: iterations,
                                  converged: !failed && measure <= tolerance, tolerance: tolerance,
                                  criterion: "‖minimum-norm subgradient‖∞ (OWL-QN pseudo-gradient)",
                                  finalValue: measure, lossHistory: history)
        return Result(x: x, value: f, gradient: pseudo, report: report, evaluations: evaluations)
    }
}
