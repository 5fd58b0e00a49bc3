// L-BFGS: a quasi-Newton minimiser of a smooth f: ℝᵐ → ℝ that needs only f and ∇f.
//
// Newton's step p = −H⁻¹∇f needs the Hessian H (m × m). BFGS builds an
// approximation of H⁻¹ from what the gradients did along the last steps:
//     s_k = x_{k+1} − x_k,   y_k = ∇f(x_{k+1}) − ∇f(x_k),   ρ_k = 1 / (y_kᵀ s_k),
//     H_{k+1}⁻¹ = (I − ρ_k s_k y_kᵀ) H_k⁻¹ (I − ρ_k y_k s_kᵀ) + ρ_k s_k s_kᵀ.
// L-BFGS (Nocedal 1980; Nocedal & Wright, Numerical Optimization, §7.2) keeps
// only the last `memory` pairs (s, y) and applies that product to ∇f with the
// two-loop recursion (Algorithm 7.4), O(memory · m) work, no matrix:
//     q = ∇f;  for i = newest…oldest: aᵢ = ρᵢ sᵢᵀq,  q −= aᵢ yᵢ
//     r = γ q  with γ = sᵀy / yᵀy of the newest pair (the initial H⁻¹ = γI)
//     for i = oldest…newest: b = ρᵢ yᵢᵀr,  r += sᵢ (aᵢ − b)
//     p = −r.
//
// Line search: x_{k+1} = x_k + α p with α satisfying the strong Wolfe conditions
// (N&W Algorithms 3.5 and 3.6, c₁ = 1e-4, c₂ = 0.9), φ(α) = f(x + αp):
//     sufficient decrease  φ(α) ≤ φ(0) + c₁ α φ'(0)
//     curvature            |φ'(α)| ≤ c₂ |φ'(0)|
// The curvature condition makes yᵀs > 0, so H⁻¹ stays positive definite.
// α = 1 is tried first (the quasi-Newton step is already scaled); on the very
// first iteration, with no curvature known yet, α = 1/‖∇f‖∞ caps the first move
// at one unit per coordinate.
//
// Near the minimum f changes by about ‖∇f‖²/h per step, 1e-12 when ‖∇f‖ = 1e-6,
// far below the rounding noise of an f summed over many float32 samples, so
// the sufficient-decrease test becomes a coin toss. Following Hager and Zhang
// (CG_DESCENT, SIAM J. Optim. 16, 2005, §4, "approximate Wolfe conditions")
// it is also passed when f has not risen by more than ε|f(x)| (ε = 1e-6) and
//     φ'(α) ≤ (2c₁ − 1) φ'(0),
// which for a quadratic φ is the same test written with derivatives (accurate
// even when f is noisy). Between a bracket's ends the trial α is the secant
// step of φ' (exact for a quadratic), kept inside the middle 80%.
//
// Stopping: ‖∇f‖∞ ≤ tolerance (scikit-learn's lbfgs `pgtol`), or the
// iteration budget, or a line search that finds no acceptable step even from
// steepest descent (then `converged` is false).

/// A limited-memory BFGS minimiser for smooth functions of a vector, given f and ∇f.
///
/// ```swift
/// let solver = LBFGS(tolerance: 1e-8)
/// let result = solver.minimize(from: [-1.2, 1]) { x in (rosenbrock(x), rosenbrockGradient(x)) }
/// ```
public struct LBFGS: Sendable {
    /// How many recent (s, y) pairs approximate the inverse Hessian.
    public var memory: Int
    /// Stop when ‖∇f‖∞ falls to this or below.
    public var tolerance: Double
    /// The iteration budget (each iteration is one line search, usually one evaluation).
    public var maxIterations: Int

    /// The point reached, its value and gradient, and how the run ended.
    public struct Result: Sendable {
        /// The last accepted point.
        public var x: [Double]
        /// f(x).
        public var value: Double
        /// ∇f(x).
        public var gradient: [Double]
        /// Iterations, convergence, ‖∇f‖∞ at the end, f after every iteration.
        public var report: SolverReport
        /// Calls of the objective, line-search trials included.
        public var evaluations: Int
    }

    /// A minimiser keeping `memory` pairs, stopping at ‖∇f‖∞ ≤ `tolerance` or after `maxIterations`.
    public init(memory: Int = 10, tolerance: Double = 1e-6, maxIterations: Int = 1000) {
        precondition(memory >= 1, "LBFGS: memory must be at least 1, got \(memory)")
        precondition(tolerance >= 0, "LBFGS: tolerance must be non-negative, got \(tolerance)")
        self.memory = memory
        self.tolerance = tolerance
        self.maxIterations = maxIterations
    }

    /// Minimises f from `start`; `objective(x)` returns f(x) and ∇f(x) (same length as x).
    public func minimize(from start: [Double],
                         _ objective: ([Double]) -> (value: Double, gradient: [Double])) -> Result {
        let m = start.count
        var x = start
        var (f, g) = objective(x)
        precondition(g.count == m, "LBFGS.minimize: gradient has \(g.count) entries for a point of \(m)")
        var evaluations = 1
        var history: [Double] = []
        var pairs: [(s: [Double], y: [Double], rho: Double)] = []
        var iterations = 0
        var gradientNorm = Self.maxAbs(g)
        var failed = false

        while gradientNorm > tolerance && iterations < maxIterations {
            var direction = twoLoop(g, pairs)
            var slope = Self.dot(g, direction)
            if !(slope < 0) {                       // not a descent direction: restart from −∇f
                pairs.removeAll()
                direction = g.map { -$0 }
                slope = Self.dot(g, direction)
            }
            let firstStep = pairs.isEmpty ? Swift.min(1, 1 / gradientNorm) : 1
            var search = lineSearch(x, f, direction, slope, firstStep, objective)
            evaluations += search.evaluations
            if search.step == nil && !pairs.isEmpty {
                // The quasi-Newton direction failed: forget the curvature and try steepest descent.
                pairs.removeAll()
                direction = g.map { -$0 }
                slope = Self.dot(g, direction)
                search = lineSearch(x, f, direction, slope, Swift.min(1, 1 / gradientNorm), objective)
                evaluations += search.evaluations
            }
            guard let step = search.step else { failed = true; break }

            let s = (0..<m).map { step.x[$0] - x[$0] }
            let y = (0..<m).map { step.gradient[$0] - g[$0] }
            let sy = Self.dot(s, y)
            if sy > 1e-12 * Self.dot(y, y) {        // keep H⁻¹ positive definite
                if pairs.count == memory { pairs.removeFirst() }
                pairs.append((s, y, 1 / sy))
            }
            (x, f, g) = (step.x, step.value, step.gradient)
            gradientNorm = Self.maxAbs(g)
            iterations += 1
            history.append(f)
        }
        let report = SolverReport(solver: "lbfgs", iterations: iterations,
                                  converged: !failed && gradientNorm <= tolerance, tolerance: tolerance,
                                  criterion: "‖∇f‖∞", finalValue: gradientNorm, lossHistory: history)
        return Result(x: x, value: f, gradient: g, report: report, evaluations: evaluations)
    }

    /// −H⁻¹g by the two-loop recursion over the stored pairs (oldest first).
    func twoLoop(_ g: [Double], _ pairs: [(s: [Double], y: [Double], rho: Double)]) -> [Double] {
        var q = g
        var a = [Double](repeating: 0, count: pairs.count)
        for i in pairs.indices.reversed() {
            a[i] = pairs[i].rho * Self.dot(pairs[i].s, q)
            Self.addScaled(&q, -a[i], pairs[i].y)
        }
        if let newest = pairs.last {
            let gamma = 1 / (newest.rho * Self.dot(newest.y, newest.y))     // sᵀy / yᵀy
            for i in q.indices { q[i] *= gamma }
        }
        for i in pairs.indices {
            let b = pairs[i].rho * Self.dot(pairs[i].y, q)
            Self.addScaled(&q, a[i] - b, pairs[i].s)
        }
        return q.map { -$0 }
    }

    /// A step along `direction` meeting the (approximate) strong Wolfe conditions, or nil after 30 trials.
    func lineSearch(_ x: [Double], _ f0: Double, _ direction: [Double], _ slope0: Double, _ firstStep: Double,
                    _ objective: ([Double]) -> (value: Double, gradient: [Double]))
        -> (step: (x: [Double], value: Double, gradient: [Double])?, evaluations: Int) {
        let c1 = 1e-4, c2 = 0.9, epsilon = 1e-6
        var evaluations = 0
        struct Trial { var alpha: Double; var value: Double; var slope: Double; var x: [Double]; var gradient: [Double] }

        func evaluate(_ alpha: Double) -> Trial {
            let point = (0..<x.count).map { x[$0] + alpha * direction[$0] }
            let (value, gradient) = objective(point)
            evaluations += 1
            return Trial(alpha: alpha, value: value, slope: Self.dot(gradient, direction), x: point, gradient: gradient)
        }
        func decreasesEnough(_ t: Trial) -> Bool {
            guard t.value.isFinite && t.slope.isFinite else { return false }
            if t.value <= f0 + c1 * t.alpha * slope0 { return true }
            return t.value <= f0 + epsilon * abs(f0) && t.slope <= (2 * c1 - 1) * slope0    // approximate Wolfe
        }
        func curvatureHolds(_ t: Trial) -> Bool { abs(t.slope) <= -c2 * slope0 }

        // Phase 1 (N&W Algorithm 3.5): grow α until the minimum along the line is bracketed.
        var previous = Trial(alpha: 0, value: f0, slope: slope0, x: x, gradient: [])
        var alpha = firstStep
        var low: Trial, high: Trial
        while true {
            let trial = evaluate(alpha)
            if !decreasesEnough(trial) || (evaluations > 1 && trial.value >= previous.value && trial.value > f0 + epsilon * abs(f0)) {
                (low, high) = (previous, trial)
                break
            }
            if curvatureHolds(trial) { return ((trial.x, trial.value, trial.gradient), evaluations) }
            if trial.slope >= 0 { (low, high) = (trial, previous); break }
            if evaluations >= 30 { return (nil, evaluations) }
            previous = trial
            alpha *= 4
        }
        // Phase 2 (N&W Algorithm 3.6, "zoom"): shrink [low, high]; `low` always decreases enough.
        while evaluations < 30 {
            let width = high.alpha - low.alpha
            var next = low.alpha + 0.5 * width
            if high.slope.isFinite && high.value.isFinite && high.slope != low.slope {
                let secant = low.alpha - low.slope * width / (high.slope - low.slope)
                let (a, b) = (Swift.min(low.alpha, high.alpha), Swift.max(low.alpha, high.alpha))
                let margin = 0.1 * abs(width)
                if secant > a + margin && secant < b - margin { next = secant }
            }
            let trial = evaluate(next)
            if !decreasesEnough(trial) {
                high = trial
            } else {
                if curvatureHolds(trial) { return ((trial.x, trial.value, trial.gradient), evaluations) }
                if trial.slope * (high.alpha - low.alpha) >= 0 { high = low }
                low = trial
            }
            if abs(high.alpha - low.alpha) <= 1e-14 * Swift.max(1, abs(low.alpha)) { break }
        }
        // No Wolfe point: accept the best decreasing trial if there is one (it still lowers f).
        if low.alpha > 0 && low.value < f0 { return ((low.x, low.value, low.gradient), evaluations) }
        return (nil, evaluations)
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var sum = 0.0
                for i in 0..<a.count { sum += a[i] * b[i] }
                return sum
            }
        }
    }

    static func addScaled(_ a: inout [Double], _ scale: Double, _ b: [Double]) {
        a.withUnsafeMutableBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for i in 0..<a.count { a[i] += scale * b[i] }
            }
        }
    }

    static func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { Swift.max($0, abs($1)) } }
}
