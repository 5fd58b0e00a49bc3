// TSNE: exact t-distributed stochastic neighbour embedding (van der Maaten
// and Hinton, "Visualizing Data using t-SNE", JMLR 2008), with the
// optimiser settings of scikit-learn's method="exact".
//
// Input affinities P [n, n] come from Gaussians at a fixed perplexity
// (TSNEAffinities.swift). Points yᵢ of the map (c = `components` coordinates)
// get Student-t affinities with one degree of freedom:
//     q_ij = (1 + ‖yᵢ − yⱼ‖²)⁻¹ / Z,   Z = Σ_{k≠l} (1 + ‖y_k − y_l‖²)⁻¹,
// whose heavy tail lets moderately distant points sit far apart on the map
// (the "crowding problem", section 3.2). The map minimises
//     KL(P ‖ Q) = Σ_{i≠j} p_ij · log(p_ij / q_ij)
//               = Σ p_ij log p_ij + Σ p_ij log(1 + ‖yᵢ − yⱼ‖²) + log Z   (as Σ p_ij = 1),
// with gradient (equation 5)
//     ∂KL/∂yᵢ = 4 Σⱼ (p_ij − q_ij)(1 + ‖yᵢ − yⱼ‖²)⁻¹ (yᵢ − yⱼ).
// Writing wᵢⱼ = (1 + ‖yᵢ − yⱼ‖²)⁻¹, that is 4·(Aᵢ − Bᵢ/Z) with
//     Aᵢ = Σⱼ p_ij wᵢⱼ (yᵢ − yⱼ)   (attraction)    Bᵢ = Σⱼ wᵢⱼ² (yᵢ − yⱼ)   (repulsion),
// so one pass over the pairs gives Aᵢ, Bᵢ and the row sums of Z together.
//
// Optimisation (section 3.4, and scikit-learn's _gradient_descent):
//   • start: yᵢ ~ N(0, (10⁻⁴)² I), drawn with the seed (scikit-learn's
//     init="random"; its default init="pca" instead scales the first PCA
//     coordinates to standard deviation 10⁻⁴);
//   • early exaggeration: for the first `exaggerationIterations` steps the
//     attraction uses α·P (α = 12), which pulls each cluster together while
//     the map is still small, so clusters form before they settle;
//   • momentum: Δ ← m·Δ − η·(gains ⊙ ∇), y ← y + Δ, m = 0.5 during
//     exaggeration and 0.8 after;
//   • gains (Jacobs's delta-bar-delta, 1988): per coordinate, +0.2 when the
//     gradient's sign differs from the last step's, ×0.8 when it agrees,
//     never below 0.01;
//   • the second phase restarts Δ = 0 and gains = 1, as scikit-learn does;
//   • η: the given learning rate, or "auto" = max(n / α / 4, 50);
//   • after every step the map is moved so its mean is 0. KL only sees the
//     differences yᵢ − yⱼ, so this changes nothing in exact arithmetic; in
//     Float it matters: rounding makes Σᵢ ∇ᵢ slightly non-zero, the mean
//     drifts, and while exaggeration shrinks the map (its spread fell to
//     10⁻⁶ around a mean of 3·10⁻⁵ on 500 synthetic digits) the points would
//     otherwise merge into one Float value and never separate again;
//   • the run stops early when ‖∇KL‖₂ ≤ 10⁻⁷ at a multiple of 50 steps after
//     exaggeration (not before: see `optimise`).
// KL(P ‖ Q) is recorded every 50 steps and at the end, always with the true
// P (scikit-learn prints the exaggerated one during the first phase).
//
// Cost: O(n²) time per step and O(n²) memory for P, hence at most 10 000
// points (400 MB of P). The pair loop runs over sixteen j at once, with the
// map stored coordinate-major (yᵀ [c, n]) so that sixteen yⱼ are one load, and
// rows i split across cores. A 2-D map, the usual case, keeps all its sums in
// registers (`planeRow`); other dimensions use a general loop with its sums in
// a small buffer (`anyDimensionRow`, several times slower), tested equal.
import Foundation
import Tensor

/// Exact t-SNE: a 2-D (or c-D) map whose Student-t neighbourhoods match the data's Gaussian ones.
public struct TSNE: Sendable {
    /// Exact t-SNE keeps an n × n matrix; larger inputs are refused.
    public static let maximumSamples = 10_000
    /// The run stops when the gradient norm falls to this.
    public static let gradientTolerance = 1e-7
    /// KL(P ‖ Q) is recorded every this many iterations.
    public static let recordEvery = 50

    /// Coordinates per map point (2 for a picture).
    public var components: Int
    /// Effective number of neighbours each point's Gaussian covers (typical 5 to 50; below n − 1).
    public var perplexity: Float
    /// Step size η; nil picks scikit-learn's "auto": max(n / earlyExaggeration / 4, 50).
    public var learningRate: Float?
    /// Gradient steps in all, the exaggeration phase included.
    public var iterations: Int
    /// Factor α on P during the first phase.
    public var earlyExaggeration: Float
    /// Length of the first phase.
    public var exaggerationIterations: Int
    /// Seed of the random start.
    public var seed: UInt64

    /// The map of the data last fitted, [n, components].
    public private(set) var embedding = Tensor(shape: [0], scalars: [])
    /// KL(P ‖ Q) (true P) after every 50th iteration and after the last one.
    public private(set) var klHistory: [(iteration: Int, divergence: Double)] = []
    /// How the optimisation ended; `lossHistory` holds the values of `klHistory`.
    public private(set) var report = SolverReport(solver: "exact t-SNE", iterations: 0, converged: false,
                                                  tolerance: TSNE.gradientTolerance, criterion: "‖∇KL‖₂",
                                                  finalValue: .nan, lossHistory: [])

    /// - Parameters:
    ///   - components: map dimension (≥ 1).
    ///   - perplexity: effective neighbour count (> 0, at most n − 1).
    ///   - learningRate: step size (> 0), or nil for max(n / earlyExaggeration / 4, 50).
    ///   - iterations: gradient steps in all (≥ 1).
    ///   - earlyExaggeration: factor on P in the first phase (> 0).
    ///   - exaggerationIterations: steps of the first phase (≥ 0).
    ///   - seed: seed of the N(0, 10⁻⁸) start.
    public init(components: Int = 2, perplexity: Float = 30, learningRate: Float? = nil, iterations: Int = 1000,
                earlyExaggeration: Float = 12, exaggerationIterations: Int = 250, seed: UInt64 = 0) {
        self.components = components
        self.perplexity = perplexity
        self.learningRate = learningRate
        self.iterations = iterations
        self.earlyExaggeration = earlyExaggeration
        self.exaggerationIterations = exaggerationIterations
        self.seed = seed
    }

    /// Maps the rows of X [n, d] to `embedding` [n, components] and returns it.
    ///
    /// - Throws: `EstimatorError.invalidParameter` for a hyperparameter out of range, for
    ///   perplexity ≥ n, or for n > 10 000; `.nonFiniteValue` for NaN or infinite cells;
    ///   `.tooFewSamples` for fewer than 3 rows.
    public mutating func fitTransform(_ x: Tensor) throws -> Tensor {
        try checkParameters()
        let (n, _) = try FitInput.check(x, minimumSamples: 3)
        guard n <= TSNE.maximumSamples else {
            throw EstimatorError.invalidParameter(
                name: "sample count", value: "\(n)",
                expected: "at most \(TSNE.maximumSamples) rows: exact t-SNE holds an n × n affinity matrix; subsample first")
        }
        guard perplexity <= Float(n - 1) else {
            throw EstimatorError.invalidParameter(name: "perplexity", value: "\(perplexity)",
                                                  expected: "at most n − 1 = \(n - 1), the number of neighbours a point has")
        }
        let p = TSNEAffinities.joint(x, perplexity: perplexity).probabilities
        optimise(p)
        return embedding
    }

    private func checkParameters() throws {
        guard components >= 1 else {
            throw EstimatorError.invalidParameter(name: "components", value: "\(components)", expected: "an integer ≥ 1")
        }
        guard perplexity > 0 && perplexity.isFinite else {
            throw EstimatorError.invalidParameter(name: "perplexity", value: "\(perplexity)", expected: "a finite value > 0")
        }
        if let rate = learningRate, !(rate > 0 && rate.isFinite) {
            throw EstimatorError.invalidParameter(name: "learningRate", value: "\(rate)", expected: "a finite value > 0, or nil for auto")
        }
        guard iterations >= 1 else {
            throw EstimatorError.invalidParameter(name: "iterations", value: "\(iterations)", expected: "an integer ≥ 1")
        }
        guard earlyExaggeration > 0 && earlyExaggeration.isFinite else {
            throw EstimatorError.invalidParameter(name: "earlyExaggeration", value: "\(earlyExaggeration)", expected: "a finite value > 0")
        }
        guard exaggerationIterations >= 0 else {
            throw EstimatorError.invalidParameter(name: "exaggerationIterations", value: "\(exaggerationIterations)", expected: "an integer ≥ 0")
        }
    }

    /// Gradient descent with momentum and gains on KL(P ‖ Q), from a seeded N(0, 10⁻⁸) start.
    private mutating func optimise(_ p: Tensor) {
        let n = p.shape[0]
        let c = components
        let rate = learningRate ?? max(Float(n) / earlyExaggeration / 4, 50)
        // The map yᵀ [c, n]: coordinate t of point i at t·n + i. Drawn point by point, like a row-major [n, c].
        var generator = RandomGenerator(seed: seed)
        var y = [Float](repeating: 0, count: c * n)
        for i in 0..<n { for t in 0..<c { y[t * n + i] = generator.normal(mean: 0, std: 1e-4) } }
        var update = [Float](repeating: 0, count: c * n)
        var gains = [Float](repeating: 1, count: c * n)
        var gradient = [Float](repeating: 0, count: c * n)
        var history: [(iteration: Int, divergence: Double)] = []
        let entropyOfP = TSNE.sumOfPLogP(p)
        var gradientNorm = Double.nan
        var converged = false
        var ran = 0

        p.withUnsafeBufferPointer { p in
            for step in 0..<iterations {
                let exaggerating = step < exaggerationIterations
                if step == exaggerationIterations && step > 0 {
                    // Second phase: momentum and gains start afresh.
                    update = [Float](repeating: 0, count: c * n)
                    gains = [Float](repeating: 1, count: c * n)
                }
                let momentum: Float = exaggerating ? 0.5 : 0.8
                y.withUnsafeBufferPointer { y in
                    gradient.withUnsafeMutableBufferPointer { gradient in
                        TSNE.gradient(p: p.baseAddress!, yTransposed: y.baseAddress!, n: n, components: c,
                                      exaggeration: exaggerating ? earlyExaggeration : 1, into: gradient.baseAddress!)
                    }
                }
                let squaredNorm = TSNE.descend(gradient: gradient, update: &update, gains: &gains, map: &y,
                                               momentum: momentum, learningRate: rate)
                gradientNorm = squaredNorm.squareRoot()
                TSNE.centre(&y, points: n, components: c)
                ran = step + 1
                // A vanishing gradient while P is exaggerated is not convergence: the map is still
                // tightening towards a different objective. Right after it the map can be tiny (10⁻¹⁸
                // on 500 synthetic digits) with a gradient to match, and takes tens of steps to unfold;
                // so, as scikit-learn, the test runs only every 50 steps of the second phase.
                converged = !exaggerating && ran % TSNE.recordEvery == 0 && ran > exaggerationIterations
                    && gradientNorm <= TSNE.gradientTolerance
                if ran % TSNE.recordEvery == 0 || ran == iterations || converged {
                    let divergence = y.withUnsafeBufferPointer {
                        TSNE.klDivergence(p: p.baseAddress!, yTransposed: $0.baseAddress!, n: n, components: c,
                                          sumOfPLogP: entropyOfP)
                    }
                    history.append((iteration: ran, divergence: divergence))
                }
                if converged { break }
            }
        }

        var map = Tensor(uninitializedShape: [n, c])
        map.withUnsafeMutableBufferPointer { map in
            for i in 0..<n { for t in 0..<c { map[i * c + t] = y[t * n + i] } }
        }
        embedding = map
        klHistory = history
        report = SolverReport(solver: "exact t-SNE (gradient descent, momentum, gains)", iterations: ran,
                              converged: converged, tolerance: TSNE.gradientTolerance, criterion: "‖∇KL‖₂",
                              finalValue: gradientNorm, lossHistory: history.map(\.divergence))
    }

    /// One step of momentum descent with per-coordinate gains; returns ‖∇‖² (summed in Double).
    ///     gain ← gain + 0.2 if Δ·g < 0 (the last step went against the gradient's sign) else gain·0.8, at least 0.01
    ///     Δ ← m·Δ − η·gain·g,   y ← y + Δ
    static func descend(gradient: [Float], update: inout [Float], gains: inout [Float], map: inout [Float],
                        momentum: Float, learningRate rate: Float) -> Double {
        var squaredNorm = 0.0
        gradient.withUnsafeBufferPointer { gradient in
        update.withUnsafeMutableBufferPointer { update in
        gains.withUnsafeMutableBufferPointer { gains in
        map.withUnsafeMutableBufferPointer { y in
            for k in 0..<gradient.count {
                let g = gradient[k]
                squaredNorm += Double(g) * Double(g)
                gains[k] = max(update[k] * g < 0 ? gains[k] + 0.2 : gains[k] * 0.8, 0.01)
                update[k] = momentum * update[k] - rate * gains[k] * g
                y[k] += update[k]
            }
        }}}}
        return squaredNorm
    }

    /// Subtracts each coordinate's mean (summed in Double) from the map yᵀ [c, n].
    static func centre(_ y: inout [Float], points n: Int, components c: Int) {
        y.withUnsafeMutableBufferPointer { y in
            for t in 0..<c {
                let row = y.baseAddress! + t * n
                var total = 0.0
                for i in 0..<n { total += Double(row[i]) }
                let mean = Float(total / Double(n))
                for i in 0..<n { row[i] -= mean }
            }
        }
    }

    // MARK: The pair loop

    /// ∂KL/∂y for the map yᵀ [c, n], with P scaled by `exaggeration`, written coordinate-major into `gradient` [c, n].
    static func gradient(p: UnsafePointer<Float>, yTransposed y: UnsafePointer<Float>, n: Int, components c: Int,
                         exaggeration: Float, into gradient: UnsafeMutablePointer<Float>) {
        // Per row i: Aᵢ (c values), Bᵢ (c values) and Zᵢ = Σ_{j≠i} wᵢⱼ.
        let attraction = UnsafeMutablePointer<Float>.allocate(capacity: c * n)
        let repulsion = UnsafeMutablePointer<Float>.allocate(capacity: c * n)
        let rowZ = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { attraction.deallocate(); repulsion.deallocate(); rowZ.deallocate() }
        let (a, b, z) = (ParallelWritePointer(attraction), ParallelWritePointer(repulsion), ParallelWritePointer(rowZ))
        Parallel.forRanges(n, minimumPerThread: max(1, 262_144 / n)) { rows in
            // Sixteen lanes of Aᵢ and Bᵢ per coordinate (general c): accumulators[t] and accumulators[c + t].
            let accumulators = UnsafeMutablePointer<SIMD16<Float>>.allocate(capacity: 2 * c)
            defer { accumulators.deallocate() }
            for i in rows {
                z.pointer[i] = c == 2
                    ? planeRow(i, p: p, y: y, n: n, attraction: a.pointer, repulsion: b.pointer)
                    : anyDimensionRow(i, p: p, y: y, n: n, components: c, accumulators: accumulators,
                                      attraction: a.pointer, repulsion: b.pointer)
            }
        }
        var total = 0.0
        for i in 0..<n { total += rowZ[i] }
        let inverseZ = Float(1 / total)
        for k in 0..<(c * n) { gradient[k] = 4 * (exaggeration * attraction[k] - repulsion[k] * inverseZ) }
    }

    /// Row i of the pair loop for any c: writes Aᵢ and Bᵢ (at t·n + i) and returns Zᵢ = Σ_{j≠i} wᵢⱼ.
    static func anyDimensionRow(_ i: Int, p: UnsafePointer<Float>, y: UnsafePointer<Float>, n: Int, components c: Int,
                                accumulators: UnsafeMutablePointer<SIMD16<Float>>,
                                attraction: UnsafeMutablePointer<Float>, repulsion: UnsafeMutablePointer<Float>) -> Double {
        accumulators.initialize(repeating: SIMD16<Float>(), count: 2 * c)
        let pRow = p + i * n
        var zLanes = SIMD16<Float>()
        var j = 0
        while j + 16 <= n {                                              // yⱼ for sixteen j at once
            var distance = SIMD16<Float>()
            for t in 0..<c {
                let difference = y[t * n + i] - UnsafeRawPointer(y + t * n + j).loadUnaligned(as: SIMD16<Float>.self)
                distance = distance.addingProduct(difference, difference)
            }
            let w = 1 / (1 + distance)                                   // wᵢⱼ
            zLanes += w
            let pw = UnsafeRawPointer(pRow + j).loadUnaligned(as: SIMD16<Float>.self) * w
            let ww = w * w
            for t in 0..<c {
                let difference = y[t * n + i] - UnsafeRawPointer(y + t * n + j).loadUnaligned(as: SIMD16<Float>.self)
                accumulators[t] = accumulators[t].addingProduct(pw, difference)
                accumulators[c + t] = accumulators[c + t].addingProduct(ww, difference)
            }
            j += 16
        }
        for t in 0..<c {
            attraction[t * n + i] = accumulators[t].sum()
            repulsion[t * n + i] = accumulators[c + t].sum()
        }
        let zTail = tail(i, from: j, p: p, y: y, n: n, components: c, attraction: attraction, repulsion: repulsion)
        // wᵢᵢ = 1 was counted in the loop; Z runs over j ≠ i.
        return Double(zLanes.sum()) + zTail - 1
    }

    /// Row i of the pair loop for a 2-D map, with every accumulator in a register (the common case).
    static func planeRow(_ i: Int, p: UnsafePointer<Float>, y: UnsafePointer<Float>, n: Int,
                         attraction: UnsafeMutablePointer<Float>, repulsion: UnsafeMutablePointer<Float>) -> Double {
        let (first, second) = (y, y + n)                                 // coordinate rows of yᵀ [2, n]
        let (yi0, yi1) = (SIMD16<Float>(repeating: first[i]), SIMD16<Float>(repeating: second[i]))
        let pRow = p + i * n
        var (a0, a1, b0, b1, zLanes) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
        var j = 0
        while j + 16 <= n {
            let d0 = yi0 - UnsafeRawPointer(first + j).loadUnaligned(as: SIMD16<Float>.self)
            let d1 = yi1 - UnsafeRawPointer(second + j).loadUnaligned(as: SIMD16<Float>.self)
            let w = 1 / (1 + (d0 * d0).addingProduct(d1, d1))             // 1 / (1 + ‖yᵢ − yⱼ‖²)
            zLanes += w
            let pw = UnsafeRawPointer(pRow + j).loadUnaligned(as: SIMD16<Float>.self) * w
            let ww = w * w
            a0 = a0.addingProduct(pw, d0)
            a1 = a1.addingProduct(pw, d1)
            b0 = b0.addingProduct(ww, d0)
            b1 = b1.addingProduct(ww, d1)
            j += 16
        }
        attraction[i] = a0.sum()
        attraction[n + i] = a1.sum()
        repulsion[i] = b0.sum()
        repulsion[n + i] = b1.sum()
        let zTail = tail(i, from: j, p: p, y: y, n: n, components: 2, attraction: attraction, repulsion: repulsion)
        return Double(zLanes.sum()) + zTail - 1
    }

    /// The last n mod 16 columns of row i, one at a time: adds to Aᵢ and Bᵢ and returns their Σ wᵢⱼ.
    static func tail(_ i: Int, from start: Int, p: UnsafePointer<Float>, y: UnsafePointer<Float>, n: Int, components c: Int,
                     attraction: UnsafeMutablePointer<Float>, repulsion: UnsafeMutablePointer<Float>) -> Double {
        var zTail = 0.0
        for j in start..<n {
            var distance: Float = 0
            for t in 0..<c { let difference = y[t * n + i] - y[t * n + j]; distance += difference * difference }
            let w = 1 / (1 + distance)
            zTail += Double(w)
            for t in 0..<c {
                let difference = y[t * n + i] - y[t * n + j]
                attraction[t * n + i] += p[i * n + j] * w * difference
                repulsion[t * n + i] += w * w * difference
            }
        }
        return zTail
    }

    /// KL(P ‖ Q) = Σ p log p + Σ p_ij log(1 + ‖yᵢ − yⱼ‖²) + (Σ p)·log Z, for the map yᵀ [c, n].
    static func klDivergence(p: UnsafePointer<Float>, yTransposed y: UnsafePointer<Float>, n: Int, components c: Int,
                             sumOfPLogP: Double) -> Double {
        let rowTerms = UnsafeMutablePointer<(logTerm: Double, z: Double, mass: Double)>.allocate(capacity: n)
        defer { rowTerms.deallocate() }
        let out = ParallelWritePointer(rowTerms)
        Parallel.forRanges(n, minimumPerThread: max(1, 131_072 / n)) { rows in
            for i in rows {
                let pRow = p + i * n
                var logLanes = SIMD16<Float>()
                var zLanes = SIMD16<Float>()
                var massLanes = SIMD16<Float>()
                var j = 0
                while j + 16 <= n {
                    var distance = SIMD16<Float>()
                    for t in 0..<c {
                        let difference = y[t * n + i] - UnsafeRawPointer(y + t * n + j).loadUnaligned(as: SIMD16<Float>.self)
                        distance = distance.addingProduct(difference, difference)
                    }
                    let pij = UnsafeRawPointer(pRow + j).loadUnaligned(as: SIMD16<Float>.self)
                    logLanes = logLanes.addingProduct(pij, FastMath.log(1 + distance))
                    zLanes += 1 / (1 + distance)
                    massLanes += pij
                    j += 16
                }
                var (logTerm, z, mass) = (Double(logLanes.sum()), Double(zLanes.sum()) - 1, Double(massLanes.sum()))
                while j < n {
                    var distance: Float = 0
                    for t in 0..<c { let difference = y[t * n + i] - y[t * n + j]; distance += difference * difference }
                    logTerm += Double(pRow[j]) * Foundation.log(1 + Double(distance))
                    z += 1 / (1 + Double(distance))
                    mass += Double(pRow[j])
                    j += 1
                }
                out.pointer[i] = (logTerm, z, mass)
            }
        }
        var (logTerm, z, mass) = (0.0, 0.0, 0.0)
        for i in 0..<n {
            logTerm += rowTerms[i].logTerm
            z += rowTerms[i].z
            mass += rowTerms[i].mass
        }
        return sumOfPLogP + logTerm + mass * Foundation.log(z)
    }

    /// Σ p_ij log p_ij over the entries with p_ij > 0 (0·log 0 = 0).
    static func sumOfPLogP(_ p: Tensor) -> Double {
        p.withUnsafeBufferPointer { values in
            var total = 0.0
            var k = 0
            let count = values.count
            let base = values.baseAddress!
            while k + 16 <= count {
                let chunk = UnsafeRawPointer(base + k).loadUnaligned(as: SIMD16<Float>.self)
                let safe = chunk.replacing(with: 1, where: chunk .<= 0)             // log 1 = 0 where p = 0
                total += Double((chunk * FastMath.log(safe)).sum())
                k += 16
            }
            while k < count {
                if base[k] > 0 { total += Double(base[k]) * Foundation.log(Double(base[k])) }
                k += 1
            }
            return total
        }
    }

    // MARK: Row-major wrappers (for tests and readers)

    /// ∂KL/∂Y [n, c] for joint affinities P [n, n] and a map Y [n, c], with P scaled by `exaggeration`.
    static func gradient(p: Tensor, embedding: Tensor, exaggeration: Float = 1) -> Tensor {
        let (n, c) = (embedding.shape[0], embedding.shape[1])
        precondition(p.shape == [n, n], "TSNE.gradient: P \(p.shape) must be [n, n] for Y \(embedding.shape)")
        let y = embedding.scalars
        let yTransposed = (0..<(c * n)).map { y[($0 % n) * c + $0 / n] }
        var gradientT = [Float](repeating: 0, count: c * n)
        p.withUnsafeBufferPointer { p in
            yTransposed.withUnsafeBufferPointer { yT in
                gradientT.withUnsafeMutableBufferPointer { g in
                    gradient(p: p.baseAddress!, yTransposed: yT.baseAddress!, n: n, components: c,
                             exaggeration: exaggeration, into: g.baseAddress!)
                }
            }
        }
        return Tensor(shape: [n, c], scalars: (0..<(n * c)).map { gradientT[($0 % c) * n + $0 / c] })
    }

    /// KL(P ‖ Q) for joint affinities P [n, n] and a map Y [n, c].
    static func klDivergence(p: Tensor, embedding: Tensor) -> Double {
        let (n, c) = (embedding.shape[0], embedding.shape[1])
        precondition(p.shape == [n, n], "TSNE.klDivergence: P \(p.shape) must be [n, n] for Y \(embedding.shape)")
        let y = embedding.scalars
        let yTransposed = (0..<(c * n)).map { y[($0 % n) * c + $0 / n] }
        return p.withUnsafeBufferPointer { pBuffer in
            yTransposed.withUnsafeBufferPointer { yT in
                klDivergence(p: pBuffer.baseAddress!, yTransposed: yT.baseAddress!, n: n, components: c,
                             sumOfPLogP: sumOfPLogP(p))
            }
        }
    }
}
