// Newton's method (IRLS) for the logistic objective.
//
// At W the quadratic model f(W + p) ≈ f + ∇fᵀp + ½ pᵀHp is minimised by the
// Newton step, the solution of
//     H p = −∇f,
// with H and ∇f from LogisticObjective (binary: H = XᵀSX/n + αI, S = diag(p(1 − p));
// multinomial: the K × K grid of D × D blocks Xᵀ diag(p_a(δ_ab − p_b)) X/n + αδ_ab I).
// For the binary model this is iteratively reweighted least squares: each step
// is a weighted least-squares fit with weights S and working response z + S⁻¹(y − p).
// H is symmetric positive (semi)definite, so the system is solved by Cholesky
// (LAPACK dposv) in Double. Directions H leaves flat (an unpenalised intercept in
// the softmax model, or α = 0) get a ridge of 1e-8·(1 + max diag H), which does
// not change the step along the others (see LogisticObjective); if rounding in
// the float32 Hessian still leaves it indefinite, the ridge grows (Levenberg–
// Marquardt damping) until Cholesky succeeds.
//
// The full step can overshoot far from the minimum, so it is damped by
// backtracking: t = 1, ½, ¼, … until f(W + tp) ≤ f(W) + 10⁻⁴ t ∇fᵀp (Armijo), or,
// where f is flat to rounding, the same test in derivative form (see LBFGS.swift).
// Near the minimum t = 1 is accepted and convergence is quadratic: a handful
// of iterations, each costing one Hessian (nD² or ½K²nD² flops) and one solve
// ((KD)³/3 flops). Size limit: the dense Hessian has (K·D)² entries, so the
// solver refuses K·D > `LogisticRegression.newtonParameterLimit` (4096: a
// 128 MB matrix and ~2·10¹⁰ flops per solve); use L-BFGS beyond that.
//
// Stopping: ‖∇f‖∞ ≤ tolerance.
import CBLAS

enum LogisticNewton {
    static func minimize(_ objective: LogisticObjective, from start: [Double], tolerance: Double,
                         maxIterations: Int) throws -> (weights: [Double], report: SolverReport) {
        var w = start
        var (f, g) = objective.evaluate(w)
        var history: [Double] = []
        var iterations = 0
        var gradientNorm = LBFGS.maxAbs(g)
        var stalled = false
        let size = w.count
        // Entries that need the ridge: every one when α = 0 (multinomial), the intercept column otherwise.
        let flat: [Int] = objective.outputs == 1 && objective.l2 > 0 ? []
            : (0..<size).filter { objective.l2 == 0 || $0 % objective.columns >= objective.penalised }

        while gradientNorm > tolerance && iterations < maxIterations {
            let hessian = objective.hessian(w)
            let largest = (0..<size).reduce(0.0) { Swift.max($0, hessian[$1 * size + $1]) }
            var step: [Double] = []
            var info: Int32 = 1
            // The flat directions' exact eigenvalue is 0, but the float32 Hessian blocks carry rounding of
            // about 1e-7·√n of their size, which can push it below 0. When Cholesky fails, retry with a
            // larger ridge (Levenberg–Marquardt damping), on the flat entries first, then on every diagonal one.
            for (attempt, ridge) in [1e-8, 1e-6, 1e-4, 1e-3, 1e-2].enumerated() where info != 0 {
                var h = hessian
                for i in (attempt < 2 ? flat : Array(0..<size)) { h[i * size + i] += ridge * (1 + largest) }
                step = g.map { -$0 }
                info = h.withUnsafeMutableBufferPointer { hp in
                    step.withUnsafeMutableBufferPointer { sp in
                        LAPACKE_dposv(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(size), 1,
                                      hp.baseAddress, Int32(size), sp.baseAddress, 1)
                    }
                }
            }
            if info != 0 {
                throw EstimatorError.singularSystem(method: "LogisticRegression (newton)",
                                                    detail: "the Hessian is not positive definite (LAPACK dposv info \(info))")
            }
            let slope = LBFGS.dot(g, step)
            var t = 1.0
            var accepted: (w: [Double], f: Double, g: [Double])?
            for _ in 0..<40 {
                let trial = (0..<size).map { w[$0] + t * step[$0] }
                let (ft, gt) = objective.evaluate(trial)
                if ft.isFinite {
                    let armijo = ft <= f + 1e-4 * t * slope
                    let flatEnough = ft <= f + 1e-6 * abs(f) && LBFGS.dot(gt, step) <= (2e-4 - 1) * slope
                    if armijo || flatEnough { accepted = (trial, ft, gt); break }
                }
                t *= 0.5
            }
            guard let next = accepted else { stalled = true; break }
            (w, f, g) = next
            gradientNorm = LBFGS.maxAbs(g)
            iterations += 1
            history.append(f)
        }
        let report = SolverReport(solver: "newton", iterations: iterations,
                                  converged: !stalled && gradientNorm <= tolerance, tolerance: tolerance,
                                  criterion: "‖∇f‖∞", finalValue: gradientNorm, lossHistory: history)
        return (w, report)
    }
}
