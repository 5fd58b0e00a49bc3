// Logistic regression: a linear model of class probabilities, fitted by
// minimising the penalised mean log-loss (the maths, gradient and Hessian are
// in LogisticObjective.swift; the solvers in LBFGS.swift, LogisticNewton.swift
// and LogisticGradientDescent.swift).
//
//   binary (2 classes):   P(y = classes[1] | x) = σ(w·x + b),  σ(z) = 1/(1 + e^{−z})
//   multinomial (k ≥ 3):  P(y = classes[a] | x) = softmax(W x + b)_a
//   one-vs-rest (k ≥ 3):  k binary models "class a or not"; P_a = σ(z_a) / Σ_b σ(z_b)
//
//   objective  f(W, b) = (1/n) Σᵢ −log P(yᵢ | xᵢ) + (α/2)‖W‖²   (L2)
//                                                 + α‖W‖₁      (L1)
// The intercept b is never penalised.
//
// Relation to scikit-learn: its LogisticRegression minimises
// C Σᵢ −log P(yᵢ | xᵢ) + ½‖W‖², which is (C n) times ours when α = 1/(C n), so
// both have the same minimiser for C = 1/(α n). The default `alpha: nil` means
// α = 1/n, i.e. scikit-learn's default C = 1. (For L1 scikit-learn's ‖W‖₁ term
// has weight 1 as well, so the same mapping holds.)
//
// Solvers and penalties: Newton needs a twice-differentiable objective, so it
// takes penalties .none and .l2. L1 is fitted by proximal gradient descent
// (soft-thresholding, `solver: .gradientDescent`) or by OWL-QN, the orthant-wise
// L-BFGS (`solver: .lbfgs`, OWLQN.swift).
import CBLAS
import Tensor

/// A logistic-regression classifier (binary, multinomial or one-vs-rest) fitted by L-BFGS, Newton or gradient descent.
///
/// ```swift
/// var model = LogisticRegression(penalty: .l2, solver: .newton)
/// try model.fit(x, y)
/// let p = model.predictProba(xTest)         // [m, classes.count]
/// print(model.report.iterations, model.report.converged)
/// ```
public struct LogisticRegression: Classifier {
    /// The penalty on the weights (the intercept is never penalised).
    public enum Penalty: Sendable { case none, l2, l1 }
    /// The method that minimises the objective.
    public enum Solver: Sendable { case gradientDescent, newton, lbfgs }
    /// How three or more classes are modelled.
    public enum MultiClass: Sendable { case multinomial, oneVsRest }

    /// The largest number of weights (classes × columns, intercept included) Newton's dense Hessian accepts.
    public static let newtonParameterLimit = 4096

    /// The penalty kind.
    public var penalty: Penalty
    /// The penalty strength α; nil means α = 1/n (scikit-learn's C = 1).
    public var alpha: Float?
    /// The minimiser.
    public var solver: Solver
    /// Softmax over all classes, or one binary model per class (ignored for two classes).
    public var multiClass: MultiClass
    /// Whether to fit an (unpenalised) intercept per class.
    public var fitIntercept: Bool
    /// Stop when the gradient's largest entry (L1: the smallest subgradient's) is at most this.
    public var tolerance: Double
    /// The iteration budget of each solver run.
    public var maxIterations: Int
    /// Gradient descent's initial step length (halved by backtracking when too long).
    public var learningRate: Float

    /// The weights: [1, d] for two classes (the weights of `classes[1]`), [k, d] for k ≥ 3.
    public private(set) var coefficients = Tensor(shape: [0, 0], scalars: [])
    /// The intercept of each row of `coefficients` (zeros when `fitIntercept` is false).
    public private(set) var intercepts: [Float] = []
    /// The distinct labels seen in `fit`, increasing.
    public private(set) var classes: [Float] = []
    /// How the solver ended. For one-vs-rest: iterations and final value are the largest over the
    /// classes, converged is true when every class converged, and lossHistory sums the per-class objectives.
    public private(set) var report = SolverReport(solver: "", iterations: 0, converged: false, tolerance: 0,
                                                  criterion: "", finalValue: .nan, lossHistory: [])
    /// One report per solver run: a single one, or one per class for one-vs-rest.
    public private(set) var reports: [SolverReport] = []
    /// The α used in the last fit (0 for penalty `.none`).
    public private(set) var effectiveAlpha: Float = 0

    /// A model with the given penalty, solver and stopping rule (see the type's documentation for the objective).
    public init(penalty: Penalty = .l2, alpha: Float? = nil, solver: Solver = .lbfgs,
                multiClass: MultiClass = .multinomial, fitIntercept: Bool = true,
                tolerance: Double = 1e-6, maxIterations: Int = 1000, learningRate: Float = 0.5) {
        self.penalty = penalty
        self.alpha = alpha
        self.solver = solver
        self.multiClass = multiClass
        self.fitIntercept = fitIntercept
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.learningRate = learningRate
    }

    /// Fits the model to X [n, d] and labels y [n]; throws `EstimatorError` for bad data or settings.
    public mutating func fit(_ x: Tensor, _ y: Tensor) throws {
        try validateSettings()
        let (n, d) = try FitInput.check(x, y)
        let (labels, indices) = try FitInput.encodeLabels(y)
        let k = labels.count
        let strength = Double(alpha ?? 1 / Float(n))
        let design = fitIntercept ? Self.appendingOnes(x) : x
        let columns = design.shape[1]

        var weights: [[Double]] = []            // one row of `columns` per output
        var runs: [SolverReport] = []
        if k == 2 || multiClass == .oneVsRest {
            // Binary models: two classes (positive = classes[1]) or one per class against the rest.
            let positives = k == 2 ? [1] : Array(0..<k)
            for positive in positives {
                let targets = Tensor(shape: [n], scalars: indices.map { $0 == positive ? 1 : 0 })
                let objective = LogisticObjective(x: design, targets: targets, outputs: 1, penalised: d,
                                                  l2: penalty == .l2 ? strength : 0)
                let (w, run) = try minimize(objective, l1: penalty == .l1 ? strength : 0)
                weights.append(w)
                runs.append(run)
            }
        } else {
            if solver == .newton && k * columns > Self.newtonParameterLimit {
                throw EstimatorError.invalidParameter(
                    name: "solver", value: "newton with \(k) classes × \(columns) columns = \(k * columns) weights",
                    expected: "at most \(Self.newtonParameterLimit) weights for the dense Hessian; use solver .lbfgs")
            }
            let targets = Tensor(shape: [n], scalars: indices.map { Float($0) })
            let objective = LogisticObjective(x: design, targets: targets, outputs: k, penalised: d,
                                              l2: penalty == .l2 ? strength : 0)
            let (w, run) = try minimize(objective, l1: penalty == .l1 ? strength : 0)
            weights = (0..<k).map { Array(w[$0 * columns ..< ($0 + 1) * columns]) }
            runs.append(run)
        }

        classes = labels
        effectiveAlpha = penalty == .none ? 0 : Float(strength)
        coefficients = Tensor(shape: [weights.count, d], scalars: weights.flatMap { $0.prefix(d).map { Float($0) } })
        intercepts = weights.map { fitIntercept ? Float($0[d]) : 0 }
        reports = runs
        report = runs.count == 1 ? runs[0] : Self.combined(runs)
    }

    /// The linear scores X Wᵀ + b: [m, 1] for two classes, [m, k] otherwise.
    public func decisionFunction(_ x: Tensor) -> Tensor {
        precondition(!classes.isEmpty, "LogisticRegression.decisionFunction: the model is not fitted")
        precondition(x.rank == 2 && x.shape[1] == coefficients.shape[1],
                     "LogisticRegression.decisionFunction: X \(x.shape) must have \(coefficients.shape[1]) columns")
        var scores = Tensor.matmul(x, coefficients, transposeB: true)           // [m, rows of W]
        let rows = intercepts.count
        scores.withUnsafeMutableBufferPointer { s in
            intercepts.withUnsafeBufferPointer { b in
                for i in 0..<x.shape[0] { for a in 0..<rows { s[i * rows + a] += b[a] } }
            }
        }
        return scores
    }

    /// The probability of each class for each row of X [m, d], as [m, classes.count].
    public func predictProba(_ x: Tensor) -> Tensor {
        let scores = decisionFunction(x)
        let (m, k) = (x.shape[0], classes.count)
        var result = Tensor(shape: [m, k], repeating: 0)
        scores.withUnsafeBufferPointer { s in
            result.withUnsafeMutableBufferPointer { out in
                for i in 0..<m {
                    let row = out.baseAddress! + i * k
                    if k == 2 {
                        let p = Self.sigmoid(s[i])
                        row[0] = 1 - p
                        row[1] = p
                    } else if multiClass == .oneVsRest {
                        var sum: Float = 0
                        for a in 0..<k { row[a] = Self.sigmoid(s[i * k + a]); sum += row[a] }
                        for a in 0..<k { row[a] /= sum }
                    } else {
                        var top = s[i * k]
                        for a in 1..<k { top = Swift.max(top, s[i * k + a]) }
                        var sum: Float = 0
                        for a in 0..<k { row[a] = FastMath.scalar(s[i * k + a] - top, FastMath.exp); sum += row[a] }
                        for a in 0..<k { row[a] /= sum }
                    }
                }
            }
        }
        return result
    }

    /// The most probable class of each row of X [m, d], as [m].
    public func predict(_ x: Tensor) -> Tensor {
        let scores = decisionFunction(x)
        let (m, columns) = (x.shape[0], scores.shape[1])
        // Every model's probabilities rise with its scores, so the largest score wins.
        let labels = scores.withUnsafeBufferPointer { s in
            (0..<m).map { i -> Float in
                if columns == 1 { return classes[s[i] > 0 ? 1 : 0] }
                var best = 0
                for a in 1..<columns where s[i * columns + a] > s[i * columns + best] { best = a }
                return classes[best]
            }
        }
        return Tensor(shape: [m], scalars: labels)
    }

    // MARK: Fitting helpers

    /// Runs the chosen solver from zero weights.
    func minimize(_ objective: LogisticObjective, l1: Double) throws -> ([Double], SolverReport) {
        let start = [Double](repeating: 0, count: objective.parameterCount)
        switch solver {
        case .lbfgs:
            let solver = LBFGS(memory: 10, tolerance: tolerance, maxIterations: maxIterations)
            if l1 > 0 {
                let (columns, penalised) = (objective.columns, objective.penalised)
                let result = solver.minimize(from: start, l1: l1, penalised: { $0 % columns < penalised },
                                             objective.evaluate)
                return (result.x, result.report)
            }
            let result = solver.minimize(from: start, objective.evaluate)
            return (result.x, result.report)
        case .newton:
            let result = try LogisticNewton.minimize(objective, from: start, tolerance: tolerance,
                                                     maxIterations: maxIterations)
            return (result.weights, result.report)
        case .gradientDescent:
            let result = LogisticGradientDescent.minimize(objective, l1: l1, from: start,
                                                          learningRate: Double(learningRate),
                                                          tolerance: tolerance, maxIterations: maxIterations)
            return (result.weights, result.report)
        }
    }

    /// Throws for settings no solver can use.
    func validateSettings() throws {
        if let alpha, !(alpha.isFinite && alpha >= 0) {
            throw EstimatorError.invalidParameter(name: "alpha", value: "\(alpha)", expected: "a finite value ≥ 0, or nil for 1/n")
        }
        if !(tolerance.isFinite && tolerance > 0) {
            throw EstimatorError.invalidParameter(name: "tolerance", value: "\(tolerance)", expected: "a finite value > 0")
        }
        if maxIterations < 1 {
            throw EstimatorError.invalidParameter(name: "maxIterations", value: "\(maxIterations)", expected: "at least 1")
        }
        if !(learningRate.isFinite && learningRate > 0) {
            throw EstimatorError.invalidParameter(name: "learningRate", value: "\(learningRate)", expected: "a finite value > 0")
        }
        if penalty == .l1 && solver == .newton {
            throw EstimatorError.invalidParameter(
                name: "solver", value: "newton with penalty .l1",
                expected: "solver .lbfgs (OWL-QN) or .gradientDescent (proximal gradient) for the non-smooth L1 penalty")
        }
    }

    /// X with a last column of ones: [n, d] → [n, d + 1].
    static func appendingOnes(_ x: Tensor) -> Tensor {
        let (n, d) = (x.shape[0], x.shape[1])
        var result = Tensor(uninitializedShape: [n, d + 1])
        x.withUnsafeBufferPointer { src in
            result.withUnsafeMutableBufferPointer { dst in
                for i in 0..<n {
                    (dst.baseAddress! + i * (d + 1)).update(from: src.baseAddress! + i * d, count: d)
                    dst[i * (d + 1) + d] = 1
                }
            }
        }
        return result
    }

    /// One report for the k one-vs-rest runs.
    static func combined(_ runs: [SolverReport]) -> SolverReport {
        let longest = runs.map(\.iterations).max() ?? 0
        let history = (0..<longest).map { t in
            runs.reduce(0.0) { total, run in
                total + (run.lossHistory.isEmpty ? 0 : run.lossHistory[Swift.min(t, run.lossHistory.count - 1)])
            }
        }
        return SolverReport(solver: runs[0].solver + " (one-vs-rest)", iterations: longest,
                            converged: runs.allSatisfy(\.converged), tolerance: runs[0].tolerance,
                            criterion: runs[0].criterion, finalValue: runs.map(\.finalValue).max() ?? 0,
                            lossHistory: history)
    }

    static func sigmoid(_ z: Float) -> Float {
        let e = FastMath.scalar(-abs(z), FastMath.exp)
        return z >= 0 ? 1 / (1 + e) : e / (1 + e)
    }
}
