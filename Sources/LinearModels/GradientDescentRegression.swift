// Gradient descent for least squares, with the gradient derived by hand.
//
// Loss: the mean squared error of the affine model ŷ = Xw + b·1,
//     L(w, b) = (1/n) Σᵢ (xᵢᵀw + b − yᵢ)² = (1/n) ‖r‖²,   r = Xw + b·1 − y.
// Differentiate one term: ∂/∂w_j (xᵢᵀw + b − yᵢ)² = 2(xᵢᵀw + b − yᵢ)·x_ij = 2rᵢ·x_ij.
// Summing over i and collecting the j's into a vector:
//     ∇_w L = (2/n) Σᵢ rᵢ·xᵢ = (2/n) Xᵀr = (2/n) Xᵀ(Xw + b·1 − y)
//     ∂L/∂b = (2/n) Σᵢ rᵢ
// and a step moves against it:  w ← w − η∇_w L,  b ← b − η ∂L/∂b.
//
// Three ways to spend one pass (epoch) over the data:
//   batch        one step per epoch with the exact gradient above (2 passes
//                over X: r = Xw + b − y, then Xᵀr). With features of unit scale
//                the Hessian (2/n)XᵀX has eigenvalues near 2, so η = 0.1
//                shrinks the error by about 0.8 per step; η above 2/λ_max
//                (λ_max the Hessian's largest eigenvalue) diverges.
//   stochastic   n steps per epoch, each with the gradient of one sample,
//                2rᵢxᵢ, in a fresh random order every epoch. A single sample's
//                gradient is noisy: with a constant η the weights keep
//                jittering around the optimum (by about √η·σ). So the step
//                decays, η_e = η / (1 + decay·e) in epoch e = 0, 1, …, which
//                keeps Σ η_e infinite (the weights still get anywhere) while η_e
//                → 0 (the jitter dies out): the Robbins–Monro conditions. One
//                step changes rᵢ by a factor (1 − 2η‖xᵢ‖²), so η must stay below
//                1/‖xᵢ‖² ≈ 1/d for features of unit scale.
//   mini-batch   the same with the mean gradient of B samples,
//                (2/B) X_Bᵀ(X_B w + b − y_B): B times less noise per step.
//
// Stopping (the tolerance means different things, the report says which):
//   batch                    max |Δw| (weights and intercept) of the epoch's step ≤ tol
//   stochastic, mini-batch   relative change of the epoch loss |L_{e−1} − L_e| / L_{e−1} ≤ tol
// (the weights of a stochastic method never stop moving, the epoch loss does).
// The loss after every epoch is recorded in report.lossHistory.
import CBLAS

/// Settings of gradient descent for least squares (`LinearRegression(solver: .gradientDescent(...))`).
public struct GradientDescent: Sendable {
    /// How many samples each step's gradient averages over.
    public enum Batching: Sendable, Equatable {
        /// All n samples: one exact-gradient step per epoch.
        case batch
        /// One sample per step, n steps per epoch, in a random order.
        case stochastic
        /// `size` samples per step, ⌈n / size⌉ steps per epoch, in a random order.
        case miniBatch(Int)
    }

    /// Samples per gradient.
    public var batching: Batching
    /// The initial step size η.
    public var learningRate: Float
    /// The budget of passes over the data.
    public var maxEpochs: Int
    /// The stopping threshold: on max |Δw| per epoch for `.batch`, on the relative change of the
    /// epoch loss for `.stochastic` and `.miniBatch`.
    public var tolerance: Double
    /// Seed of the sample order (stochastic and mini-batch).
    public var seed: UInt64
    /// Step decay of the stochastic methods: η_e = η / (1 + decay·e) in epoch e (ignored by `.batch`).
    /// The default 1 is the classic 1/t schedule, counted in epochs.
    public var learningRateDecay: Float

    /// Gradient descent with the given batching, step size η, epoch budget and stopping tolerance.
    public init(batching: Batching = .batch, learningRate: Float = 0.1, maxEpochs: Int = 1000,
                tolerance: Double = 1e-6, seed: UInt64 = 0, learningRateDecay: Float = 1) {
        self.batching = batching
        self.learningRate = learningRate
        self.maxEpochs = maxEpochs
        self.tolerance = tolerance
        self.seed = seed
        self.learningRateDecay = learningRateDecay
    }

    /// The name recorded in `SolverReport.solver`.
    var solverName: String {
        switch batching {
        case .batch: return "gradient-descent (batch)"
        case .stochastic: return "gradient-descent (stochastic)"
        case .miniBatch(let size): return "gradient-descent (mini-batch \(size))"
        }
    }

    /// Throws `invalidParameter` for settings that cannot run.
    func validate() throws {
        guard learningRate > 0, learningRate.isFinite else {
            throw EstimatorError.invalidParameter(name: "learningRate", value: "\(learningRate)", expected: "a finite value > 0")
        }
        guard maxEpochs >= 1 else {
            throw EstimatorError.invalidParameter(name: "maxEpochs", value: "\(maxEpochs)", expected: "at least 1")
        }
        guard tolerance >= 0 else {
            throw EstimatorError.invalidParameter(name: "tolerance", value: "\(tolerance)", expected: "a value ≥ 0")
        }
        guard learningRateDecay >= 0, learningRateDecay.isFinite else {
            throw EstimatorError.invalidParameter(name: "learningRateDecay", value: "\(learningRateDecay)", expected: "a finite value ≥ 0")
        }
        if case .miniBatch(let size) = batching, size < 1 {
            throw EstimatorError.invalidParameter(name: "miniBatch size", value: "\(size)", expected: "at least 1")
        }
    }

    /// Runs gradient descent from w = 0, b = 0 on X [n, d], y [n]; returns the weights, intercept and report.
    func minimise(_ x: Tensor, _ y: Tensor, fitIntercept: Bool) throws -> (coefficients: [Float], intercept: Float, report: SolverReport) {
        try validate()
        let (n, d) = (x.shape[0], x.shape[1])
        var w = [Float](repeating: 0, count: d)
        var b: Float = 0
        var residual = [Float](repeating: 0, count: n)
        var history: [Double] = []
        var generator = RandomGenerator(seed: seed)
        let batchSize: Int
        switch batching {
        case .batch: batchSize = n
        case .stochastic: batchSize = 1
        case .miniBatch(let size): batchSize = Swift.min(size, n)
        }
        var batchRows = [Float](repeating: 0, count: batchSize * d)   // X_B, gathered
        var batchResidual = [Float](repeating: 0, count: batchSize)   // r_B
        var gradient = [Float](repeating: 0, count: d)
        var epochs = 0
        var stoppingValue = Double.infinity

        let converged = try x.withUnsafeBufferPointer { xp -> Bool in
            try y.withUnsafeBufferPointer { yp -> Bool in
                let X = xp.baseAddress!, Y = yp.baseAddress!

                /// r = Xw + b·1 − y over all rows; returns the loss (1/n)‖r‖² (summed in Double).
                func fullResidual() -> Double {
                    residual.withUnsafeMutableBufferPointer { r in
                        for i in 0..<n { r[i] = b - Y[i] }
                        if d > 0 {
                            cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(d), 1, X, Int32(d),
                                        w, 1, 1, r.baseAddress, 1)
                        }
                        var sum = 0.0
                        for i in 0..<n { sum += Double(r[i]) * Double(r[i]) }
                        return sum / Double(n)
                    }
                }

                /// One step w ← w − η·(2/m)·Aᵀr, b ← b − η·(2/m)·Σr for the m rows A (row stride d) and residual r.
                /// Returns the largest change of any parameter.
                func step(rows a: UnsafePointer<Float>, residual r: UnsafePointer<Float>, count m: Int, eta: Float) -> Float {
                    let scale = 2 / Float(m)
                    var largest: Float = 0
                    gradient.withUnsafeMutableBufferPointer { g in
                        if d > 0 {
                            // g = (2/m)·Aᵀr
                            cblas_sgemv(CblasRowMajor, CblasTrans, Int32(m), Int32(d), scale, a, Int32(d),
                                        r, 1, 0, g.baseAddress, 1)
                        }
                        w.withUnsafeMutableBufferPointer { wp in
                            for j in 0..<d {
                                let change = eta * g[j]
                                wp[j] -= change
                                largest = Swift.max(largest, Swift.abs(change))
                            }
                        }
                    }
                    if fitIntercept {
                        var sum: Float = 0
                        for i in 0..<m { sum += r[i] }
                        let change = eta * scale * sum
                        b -= change
                        largest = Swift.max(largest, Swift.abs(change))
                    }
                    return largest
                }

                var loss = fullResidual()
                for epoch in 0..<maxEpochs {
                    epochs = epoch + 1
                    let previousLoss = loss
                    if batchSize == n && batching == .batch {
                        // The residual of the current weights is already in `residual`.
                        stoppingValue = Double(residual.withUnsafeBufferPointer {
                            step(rows: X, residual: $0.baseAddress!, count: n, eta: learningRate)
                        })
                        loss = fullResidual()
                    } else {
                        let eta = learningRate / (1 + learningRateDecay * Float(epoch))
                        let order = generator.permutation(n)
                        batchRows.withUnsafeMutableBufferPointer { rowsBuffer in
                            batchResidual.withUnsafeMutableBufferPointer { rb in
                                var start = 0
                                while start < n {
                                    let m = Swift.min(batchSize, n - start)
                                    // Gather X_B and r_B = X_B·w + b − y_B.
                                    for k in 0..<m {
                                        let i = order[start + k]
                                        (rowsBuffer.baseAddress! + k * d).update(from: X + i * d, count: d)
                                        rb[k] = b - Y[i]
                                    }
                                    if d > 0 {
                                        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(d), 1,
                                                    rowsBuffer.baseAddress, Int32(d), w, 1, 1, rb.baseAddress, 1)
                                    }
                                    _ = step(rows: rowsBuffer.baseAddress!, residual: rb.baseAddress!, count: m, eta: eta)
                                    start += m
                                }
                            }
                        }
                        loss = fullResidual()
                        stoppingValue = Swift.abs(previousLoss - loss) / Swift.max(previousLoss, Double.leastNormalMagnitude)
                    }
                    guard loss.isFinite else {
                        throw EstimatorError.invalidParameter(
                            name: "learningRate", value: "\(learningRate)",
                            expected: "a smaller step: the loss diverged in epoch \(epoch + 1)")
                    }
                    history.append(loss)
                    if stoppingValue <= tolerance { return true }
                }
                return false
            }
        }
        let criterion = batching == .batch ? "max |Δw| per epoch" : "|ΔL| / L per epoch"
        let report = SolverReport(solver: solverName, iterations: epochs, converged: converged, tolerance: tolerance,
                                  criterion: criterion, finalValue: stoppingValue, lossHistory: history)
        return (w, b, report)
    }
}
