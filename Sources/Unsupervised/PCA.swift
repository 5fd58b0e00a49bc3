// PCA: principal component analysis, a linear map onto the directions of
// largest variance (scikit-learn's PCA).
//
// For data X [n, d] with column means x̄ and centred rows x̃ᵢ = xᵢ − x̄, the
// sample covariance is C = X̃ᵀX̃ / (n − 1). Its eigenvectors v₁, v₂, … (in order
// of decreasing eigenvalue λ₁ ≥ λ₂ ≥ …) are the principal directions and λⱼ is
// the variance of the data along vⱼ. Keeping the first k:
//     components        V_k = [v₁ … v_k]ᵀ                 [k, d], orthonormal rows
//     transform         z = V_k·(x − x̄)                   (whiten: zⱼ / √λⱼ)
//     inverse transform x ≈ V_kᵀ·z + x̄                    the best rank-k reconstruction
//     explained variance ratio  λⱼ / Σ_all λ = λⱼ / trace(C)
//     noise variance    the mean of the discarded λ_{k+1} … λ_{min(n,d)}
// The same directions come from the SVD of the centred data, X̃ = U·Σ·Vᵀ:
// X̃ᵀX̃ = V·Σ²·Vᵀ, so λⱼ = σⱼ² / (n − 1). Three solvers, one result:
//   covarianceEigh  S = X̃ᵀX̃ in one blocked pass (ScatterMatrix.swift, n·d²
//                   flops), then the k largest eigenpairs of the d × d matrix
//                   (LAPACK dsyevr). Fast when n ≫ d; squaring the data
//                   squares its condition number, which costs digits only in
//                   the tiny eigenvalues, not in the leading ones PCA keeps.
//   fullSVD         LAPACK sgesdd on the centred n × d copy: O(n·d·min(n, d)),
//                   the most accurate, the slowest.
//   randomized      RandomizedSVD.swift on the centred copy: O(n·d·k) per
//                   pass, for a few components of a large matrix.
//   automatic       covarianceEigh when d ≤ 1000 and n ≥ 10·d; otherwise
//                   randomized when max(n, d) > 500 and k < 0.8·min(n, d);
//                   otherwise fullSVD (scikit-learn 1.5+ chooses the same way).
// Each eigenvector is defined only up to sign; every component is flipped so
// that its entry of largest magnitude is positive, so all solvers (and runs)
// agree.
import CBLAS
import Tensor

/// Principal component analysis: projects rows onto the k directions of largest variance.
public struct PCA: Transformer {
    /// How the principal directions are computed (all give the same components up to rounding).
    public enum Solver: Sendable, Equatable {
        /// Eigendecomposition of the d × d covariance matrix: fastest when n ≫ d.
        case covarianceEigh
        /// Exact SVD (LAPACK sgesdd) of the centred n × d data.
        case fullSVD
        /// Randomized SVD (Halko, Martinsson & Tropp) of the centred data, for k ≪ min(n, d).
        case randomized(oversamples: Int = 10, powerIterations: Int = 4)
        /// covarianceEigh when d ≤ 1000 and n ≥ 10·d; randomized when max(n, d) > 500 and
        /// k < 0.8·min(n, d); fullSVD otherwise.
        case automatic
    }

    /// How many components to keep (nil: min(n, d)).
    public var requestedComponents: Int?
    /// The solver asked for.
    public var solver: Solver
    /// Divide each projected coordinate by its standard deviation √λⱼ (unit-variance output).
    public var whiten: Bool
    /// Seed of the randomized solver's Gaussian sketch.
    public var seed: UInt64

    /// The column means x̄ learned by `fit` (empty before).
    public private(set) var mean: [Float] = []
    /// The principal directions, [k, d], orthonormal rows in order of decreasing variance.
    public private(set) var components = Tensor(uninitializedShape: [0, 0])
    /// λⱼ: the variance along each component (eigenvalues of the covariance, divisor n − 1).
    public private(set) var explainedVariance: [Float] = []
    /// λⱼ / trace(C): the share of the total variance along each component.
    public private(set) var explainedVarianceRatio: [Float] = []
    /// σⱼ = √(λⱼ·(n − 1)): the singular values of the centred data.
    public private(set) var singularValues: [Float] = []
    /// The mean of the discarded eigenvalues λ_{k+1} … λ_{min(n, d)} (0 when none is discarded).
    public private(set) var noiseVariance: Float = 0
    /// The solver `fit` actually ran (`automatic` resolved), nil before fit.
    public private(set) var solverUsed: Solver?

    /// A PCA keeping `components` directions (nil: all min(n, d)), computed by `solver`.
    public init(components: Int? = nil, solver: Solver = .automatic, whiten: Bool = false, seed: UInt64 = 0) {
        self.requestedComponents = components
        self.solver = solver
        self.whiten = whiten
        self.seed = seed
    }

    /// Learns the mean, the components and their variances from X [n, d].
    ///
    /// - Throws: `EstimatorError.tooFewSamples` for fewer than 2 rows, `.nonFiniteValue` for a NaN
    ///   or an infinity in X, `.invalidParameter` for a component count outside 1…min(n, d) or
    ///   negative randomized settings; `LinearAlgebraError` if LAPACK does not converge.
    public mutating func fit(_ x: Tensor) throws {
        precondition(x.rank == 2, "PCA.fit: X must be a matrix [samples, features], got shape \(x.shape)")
        let (n, d) = (x.shape[0], x.shape[1])
        guard n >= 2 else { throw EstimatorError.tooFewSamples(found: n, needed: 2) }
        let rank = Swift.min(n, d)
        let k = requestedComponents ?? rank
        guard k >= 1 && k <= rank else {
            throw EstimatorError.invalidParameter(name: "components", value: "\(k)",
                                                  expected: "1 ≤ components ≤ min(samples, features) = \(rank)")
        }
        if case .randomized(let oversamples, let powerIterations) = solver, oversamples < 0 || powerIterations < 0 {
            throw EstimatorError.invalidParameter(name: "solver", value: "\(solver)",
                                                  expected: "oversamples ≥ 0 and powerIterations ≥ 0")
        }
        // Pass 1: the means, which also screen X for NaN and infinity.
        guard let means = ScatterMatrix.columnMeans(x) else {
            try FitInput.check(x)                 // throws .nonFiniteValue with the row and column
            throw EstimatorError.invalidParameter(name: "X", value: "overflowing values",
                                                  expected: "column sums within Float range")
        }
        let centre = means.map { Float($0) }
        let chosen = PCA.resolve(solver, samples: n, features: d, components: k)

        // Every solver yields the top-k directions (unsigned), their variances λ and the total variance.
        let (directions, variances, totalVariance): (Tensor, [Double], Double)
        switch chosen {
        case .covarianceEigh:
            (directions, variances, totalVariance) = try covarianceEigh(x, means: centre, k: k)
        case .fullSVD:
            (directions, variances, totalVariance) = try fullSVD(x, means: centre, k: k)
        case .randomized(let oversamples, let powerIterations):
            (directions, variances, totalVariance) = try randomized(x, means: centre, k: k, oversamples: oversamples,
                                                                    powerIterations: powerIterations)
        case .automatic:
            preconditionFailure("PCA.resolve never returns .automatic")
        }
        // Only now, with every step done, does the model change (a failed fit leaves it as it was).
        mean = centre
        solverUsed = chosen
        components = PCA.signFlipped(directions)
        explainedVariance = variances.map { Float($0) }
        explainedVarianceRatio = variances.map { Float(totalVariance > 0 ? $0 / totalVariance : 0) }
        singularValues = variances.map { Float(($0 * Double(n - 1)).squareRoot()) }
        let discarded = totalVariance - variances.reduce(0, +)
        noiseVariance = k < rank ? Float(Swift.max(discarded, 0) / Double(rank - k)) : 0
    }

    /// z = V_k·(x − x̄) for every row of X [m, d] (divided by √λⱼ when whitening), as [m, k].
    public func transform(_ x: Tensor) -> Tensor {
        let (_, d) = fittedShape(op: "transform")
        precondition(x.rank == 2 && x.shape[1] == d,
                     "PCA.transform: X must be [samples, \(d)] as in fit, got shape \(x.shape)")
        // Whitening folds 1/√λⱼ into the directions: W = diag(1/√λ)·V_k (or W = V_k), z = W·x − W·x̄.
        let w = whiten ? scaledComponents(explainedVariance.map { 1 / Swift.max($0, .leastNormalMagnitude).squareRoot() })
                       : components
        let offset = Tensor.matmul(w, Tensor(mean)).scalars.map { -$0 }            // −W·x̄: [k]
        return Self.offsetPlusProduct(offset, x, w, transposeW: true)                // −W·x̄ + X·Wᵀ, no centred copy
    }

    /// x = V_kᵀ·z + x̄ (z multiplied by √λⱼ first when whitening) for Z [m, k], as [m, d].
    public func inverseTransform(_ z: Tensor) -> Tensor {
        let (k, _) = fittedShape(op: "inverseTransform")
        precondition(z.rank == 2 && z.shape[1] == k,
                     "PCA.inverseTransform: Z must be [samples, \(k)], got shape \(z.shape)")
        let w = whiten ? scaledComponents(explainedVariance.map { $0.squareRoot() }) : components
        return Self.offsetPlusProduct(mean, z, w, transposeW: false)                 // x̄ + Z·W
    }

    /// Every row set to `offset` + (row of A)·op(W), for A [m, p] and op(W) [p, q]: the rows start as
    /// copies of the offset [q] and one GEMM accumulates A·op(W) onto them.
    private static func offsetPlusProduct(_ offset: [Float], _ a: Tensor, _ w: Tensor, transposeW: Bool) -> Tensor {
        let (m, p, q) = (a.shape[0], a.shape[1], offset.count)
        var result = Tensor(uninitializedShape: [m, q])
        if m == 0 { return result }
        result.withUnsafeMutableBufferPointer { out in
            offset.withUnsafeBufferPointer { offset in
                for i in 0..<m { (out.baseAddress! + i * q).update(from: offset.baseAddress!, count: q) }
            }
            a.withUnsafeBufferPointer { values in
                w.withUnsafeBufferPointer { weights in
                    GEMM.multiply(m: m, n: q, k: p, a: values.baseAddress!, lda: p, transposeA: false,
                                  b: weights.baseAddress!, ldb: transposeW ? p : q, transposeB: transposeW,
                                  c: out.baseAddress!, ldc: q, accumulate: true)
                }
            }
        }
        return result
    }

    /// diag(scale)·V_k: component j multiplied by scale[j].
    private func scaledComponents(_ scale: [Float]) -> Tensor {
        components * Tensor(shape: [scale.count, 1], scalars: scale)
    }

    /// (k, d) of the fitted model; stops when `fit` has not run.
    private func fittedShape(op: String) -> (Int, Int) {
        precondition(!mean.isEmpty, "PCA.\(op): call fit first")
        return (components.shape[0], components.shape[1])
    }

    // MARK: Solvers

    /// The rule of `Solver.automatic`, applied to n samples, d features and k components.
    static func resolve(_ solver: Solver, samples n: Int, features d: Int, components k: Int) -> Solver {
        guard solver == .automatic else { return solver }
        if d <= 1000 && n >= 10 * d { return .covarianceEigh }
        if Swift.max(n, d) > 500 && Double(k) < 0.8 * Double(Swift.min(n, d)) { return .randomized() }
        return .fullSVD
    }

    /// The k largest eigenpairs of S = X̃ᵀX̃ (dsyevr on the Double scatter matrix); λ = eigenvalue / (n − 1).
    private func covarianceEigh(_ x: Tensor, means: [Float], k: Int) throws -> (Tensor, [Double], Double) {
        let (n, d) = (x.shape[0], x.shape[1])
        var scatter = ScatterMatrix.centred(x, means: means)
        var trace = 0.0
        for j in 0..<d { trace += scatter[j * d + j] }
        var values = [Double](repeating: 0, count: d)
        var vectors = [Double](repeating: 0, count: d * k)                 // column t: eigenvector t
        var support = [Int32](repeating: 0, count: 2 * d)
        var found: Int32 = 0
        // Range "I": only the eigenpairs il…iu (1-based, ascending), here the k largest. One
        // OpenBLAS thread: a d × d problem is too small to share, and OpenBLAS workers woken for
        // it spin for a while afterwards, taking the core our next parallel loop needs.
        let blasThreads = openblas_get_num_threads()
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(blasThreads) }
        let info = LAPACKE_dsyevr(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "I")),
                                  CChar(UInt8(ascii: "U")), Int32(d), &scatter, Int32(d), 0, 0,
                                  Int32(d - k + 1), Int32(d), 0, &found, &values, &vectors, Int32(k), &support)
        if info != 0 || found != Int32(k) {
            throw LinearAlgebraError.didNotConverge(operation: "PCA covariance eigh (dsyevr)", unconverged: Int(info))
        }
        // Ascending → descending: component t is column k − 1 − t.
        var directions = Tensor(uninitializedShape: [k, d])
        directions.withUnsafeMutableBufferPointer { v in
            for t in 0..<k {
                for j in 0..<d { v[t * d + j] = Float(vectors[j * k + (k - 1 - t)]) }
            }
        }
        let variances = (0..<k).map { Swift.max(values[k - 1 - $0], 0) / Double(n - 1) }
        return (directions, variances, trace / Double(n - 1))
    }

    /// The exact SVD of the centred data: λ = σ² / (n − 1), the total is Σ over every σ.
    private func fullSVD(_ x: Tensor, means: [Float], k: Int) throws -> (Tensor, [Double], Double) {
        let n = x.shape[0]
        let (_, s, vt) = try LinearAlgebra.svd(PCA.centredCopy(x, means: means))
        let all = s.scalars.map { Double($0) * Double($0) / Double(n - 1) }
        return (RandomizedSVD.leadingRows(vt, k), Array(all.prefix(k)), all.reduce(0, +))
    }

    /// The randomized SVD of the centred data; the total variance is Σ x̃ᵢⱼ² / (n − 1).
    private func randomized(_ x: Tensor, means: [Float], k: Int, oversamples: Int, powerIterations: Int) throws
        -> (Tensor, [Double], Double) {
        let n = x.shape[0]
        let centred = PCA.centredCopy(x, means: means)
        let (_, s, vt) = try RandomizedSVD.decompose(centred, rank: k, oversamples: oversamples,
                                                     powerIterations: powerIterations, seed: seed)
        let total = centred.withUnsafeBufferPointer { values in
            values.reduce(0.0) { $0 + Double($1) * Double($1) }
        }
        return (vt, s.scalars.map { Double($0) * Double($0) / Double(n - 1) }, total / Double(n - 1))
    }

    /// X − 1·x̄ᵀ as a new tensor.
    private static func centredCopy(_ x: Tensor, means: [Float]) -> Tensor {
        let (n, d) = (x.shape[0], x.shape[1])
        var centred = Tensor(uninitializedShape: [n, d])
        x.withUnsafeBufferPointer { xs in
            means.withUnsafeBufferPointer { means in
                centred.withUnsafeMutableBufferPointer { out in
                    for i in 0..<n {
                        ScatterMatrix.subtract(means.baseAddress!, from: xs.baseAddress! + i * d,
                                               into: out.baseAddress! + i * d, count: d)
                    }
                }
            }
        }
        return centred
    }

    /// Each row of V [k, d] negated when needed so that its entry of largest magnitude is positive.
    static func signFlipped(_ directions: Tensor) -> Tensor {
        var flipped = directions
        let d = directions.shape[1]
        flipped.withUnsafeMutableBufferPointer { v in
            for t in 0..<directions.shape[0] {
                let row = v.baseAddress! + t * d
                var largest = 0
                for j in 1..<Swift.max(d, 1) where abs(row[j]) > abs(row[largest]) { largest = j }
                if d > 0 && row[largest] < 0 {
                    for j in 0..<d { row[j] = -row[j] }
                }
            }
        }
        return flipped
    }
}
