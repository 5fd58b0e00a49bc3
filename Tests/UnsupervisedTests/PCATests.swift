import Foundation
import Testing
import Tensor
@testable import Unsupervised

/// Rows x = z·diag(scales)·W + noise + offset: a few directions of clearly different variance.
private func lowRankData(rows n: Int, features d: Int, scales: [Float], noise: Float = 0.05,
                         offset: Float = 3, seed: UInt64) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    let r = scales.count
    let z = Tensor.normal([n, r], using: &generator) * Tensor(shape: [1, r], scalars: scales)
    let w = Tensor.normal([r, d], using: &generator)
    return Tensor.matmul(z, w) + Tensor.normal([n, d], std: noise, using: &generator) + Tensor(offset)
}

/// The sample covariance (divisor n − 1) of X, computed plainly in Double.
private func naiveCovariance(_ x: Tensor) -> [[Double]] {
    let (n, d) = (x.shape[0], x.shape[1])
    let v = x.scalars.map(Double.init)
    var mean = [Double](repeating: 0, count: d)
    for i in 0..<n { for j in 0..<d { mean[j] += v[i * d + j] / Double(n) } }
    var c = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
    for i in 0..<n {
        for a in 0..<d {
            for b in 0..<d { c[a][b] += (v[i * d + a] - mean[a]) * (v[i * d + b] - mean[b]) }
        }
    }
    return c.map { $0.map { $0 / Double(n - 1) } }
}

/// Eigenvalues of a symmetric matrix by cyclic Jacobi rotations (a slow, plain reference), descending.
private func jacobiEigenvalues(_ matrix: [[Double]]) -> [Double] {
    var a = matrix
    let d = a.count
    for _ in 0..<100 {
        var off = 0.0
        for p in 0..<d { for q in 0..<d where p != q { off += a[p][q] * a[p][q] } }
        if off < 1e-22 { break }
        for p in 0..<d {
            for q in (p + 1)..<d where abs(a[p][q]) > 1e-300 {
                // Rotation angle that zeroes a[p][q]: tan 2θ = 2a_pq / (a_qq − a_pp).
                let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<d {          // columns p and q
                    let (akp, akq) = (a[k][p], a[k][q])
                    a[k][p] = c * akp - s * akq
                    a[k][q] = s * akp + c * akq
                }
                for k in 0..<d {          // rows p and q
                    let (apk, aqk) = (a[p][k], a[q][k])
                    a[p][k] = c * apk - s * aqk
                    a[q][k] = s * apk + c * aqk
                }
            }
        }
    }
    return (0..<d).map { a[$0][$0] }.sorted(by: >)
}

private let allSolvers: [PCA.Solver] = [.covarianceEigh, .fullSVD, .randomized()]

@Suite("PCA")
struct PCATests {
    let x = lowRankData(rows: 600, features: 12, scales: [5, 3, 2, 1.2], seed: 11)

    @Test("Components have orthonormal rows, for every solver", arguments: allSolvers)
    func orthonormalComponents(solver: PCA.Solver) throws {
        var pca = PCA(components: 4, solver: solver)
        try pca.fit(x)
        #expect(pca.components.shape == [4, 12])
        let gram = Tensor.matmul(pca.components, pca.components, transposeB: true).scalars
        for i in 0..<4 {
            for j in 0..<4 { #expect(abs(gram[i * 4 + j] - (i == j ? 1 : 0)) < 1e-4) }
        }
    }

    @Test("Explained variance equals the covariance's eigenvalues (Double Jacobi reference)", arguments: allSolvers)
    func explainedVarianceMatchesEigenvalues(solver: PCA.Solver) throws {
        // Components 0…3 carry the signal, 4 and 5 only noise (λ ≈ 0.003 against λ₀ ≈ 25·12 = 300). Float
        // data and float products pin every eigenvalue only to about float's ε times the largest
        // (ε·λ₀ ≈ 2e-5), so each λ must be within 1e-3 relative plus 1e-7·λ₀ absolute.
        let eigenvalues = jacobiEigenvalues(naiveCovariance(x))
        let total = eigenvalues.reduce(0, +)
        let floor = 1e-7 * eigenvalues[0]
        var pca = PCA(components: 6, solver: solver)
        try pca.fit(x)
        for j in 0..<6 {
            #expect(abs(Double(pca.explainedVariance[j]) - eigenvalues[j]) <= 1e-3 * eigenvalues[j] + floor,
                    "component \(j): \(pca.explainedVariance[j]) vs \(eigenvalues[j])")
        }
        for j in 0..<4 {                         // the signal: 1e-3 relative with no floor
            #expect(abs(Double(pca.explainedVariance[j]) - eigenvalues[j]) <= 1e-3 * eigenvalues[j])
        }
        for j in 0..<6 {
            #expect(abs(Double(pca.explainedVarianceRatio[j]) - eigenvalues[j] / total) < 1e-5)
        }
        // scikit-learn's noise variance: the mean of the discarded eigenvalues, found as
        // (trace − Σ kept λ) / 6, a difference that costs float digits of the trace.
        let noise = eigenvalues[6...].reduce(0, +) / 6
        #expect(abs(Double(pca.noiseVariance) - noise) <= 2e-3 * noise + 1e-7 * total,
                "\(pca.noiseVariance) vs \(noise)")
        // σⱼ² = λⱼ·(n − 1).
        for j in 0..<6 {
            let expected = (Double(pca.explainedVariance[j]) * 599).squareRoot()
            #expect(abs(Double(pca.singularValues[j]) - expected) <= 1e-5 * expected)
        }
    }

    @Test("The three solvers agree on components, variances and projections")
    func solversAgree() throws {
        var fitted: [PCA] = []
        for solver in allSolvers {
            var pca = PCA(components: 4, solver: solver)
            try pca.fit(x)
            fitted.append(pca)
        }
        let reference = fitted[1]               // the exact SVD
        for pca in fitted {
            let (a, b) = (pca.components.scalars, reference.components.scalars)
            #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-3 })
            for j in 0..<4 {
                #expect(abs(pca.explainedVariance[j] - reference.explainedVariance[j])
                        <= 1e-3 * reference.explainedVariance[j])
            }
            #expect(zip(pca.mean, reference.mean).allSatisfy { abs($0 - $1) < 1e-5 })
            let (za, zb) = (pca.transform(x).scalars, reference.transform(x).scalars)
            #expect(zip(za, zb).allSatisfy { abs($0 - $1) < 1e-2 })
        }
    }

    @Test("Signs are fixed: each component's entry of largest magnitude is positive")
    func deterministicSigns() throws {
        for solver in allSolvers {
            var pca = PCA(components: 4, solver: solver)
            try pca.fit(x)
            let c = pca.components.scalars
            for t in 0..<4 {
                let row = c[(t * 12)..<((t + 1) * 12)]
                let largest = row.max { abs($0) < abs($1) }!
                #expect(largest > 0)
            }
        }
    }

    @Test("transform then inverseTransform with every component gives X back", arguments: allSolvers)
    func roundTrip(solver: PCA.Solver) throws {
        var pca = PCA(solver: solver)
        let z = try pca.fitTransform(x)
        #expect(z.shape == [600, 12])
        let back = pca.inverseTransform(z).scalars
        let worst = zip(back, x.scalars).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-3, "worst reconstruction error \(worst)")
        // With every component kept, the ratios add up to 1 and nothing is left for noise.
        #expect(abs(pca.explainedVarianceRatio.reduce(0, +) - 1) < 1e-4)
        #expect(pca.noiseVariance == 0)
    }

    @Test("Whitened coordinates have mean 0 and unit variance, and still invert", arguments: allSolvers)
    func whitening(solver: PCA.Solver) throws {
        var pca = PCA(components: 4, solver: solver, whiten: true)
        let z = try pca.fitTransform(x)
        let values = z.scalars.map(Double.init)
        for j in 0..<4 {
            let column = (0..<600).map { values[$0 * 4 + j] }
            let mean = column.reduce(0, +) / 600
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 599
            #expect(abs(mean) < 1e-4)
            #expect(abs(variance - 1) < 1e-3, "component \(j): variance \(variance)")
        }
        var plain = PCA(components: 4, solver: solver)
        try plain.fit(x)
        let (a, b) = (pca.inverseTransform(z).scalars, plain.inverseTransform(plain.transform(x)).scalars)
        #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-3 })
    }

    @Test("A worked example: points on the line y = x have one component (1, 1)/√2")
    func workedExample() throws {
        let points = Tensor([[-2, -2], [-1, -1], [0, 0], [1, 1], [2, 2]])
        var pca = PCA(components: 1, solver: .fullSVD)
        try pca.fit(points)
        let c = pca.components.scalars
        #expect(abs(c[0] - Float(0.5).squareRoot()) < 1e-6 && abs(c[1] - Float(0.5).squareRoot()) < 1e-6)
        // Variance along the line: Σ (t·√2)² / (n − 1) = 2·(4 + 1 + 0 + 1 + 4) / 4 = 5.
        #expect(abs(pca.explainedVariance[0] - 5) < 1e-5)
        #expect(abs(pca.explainedVarianceRatio[0] - 1) < 1e-6)
        let z = pca.transform(Tensor([[3, 3]])).scalars
        #expect(abs(z[0] - 3 * Float(2).squareRoot()) < 1e-5)
    }

    @Test("The automatic solver follows its documented rule")
    func automaticRule() {
        #expect(PCA.resolve(.automatic, samples: 50_000, features: 256, components: 16) == .covarianceEigh)
        #expect(PCA.resolve(.automatic, samples: 2_000, features: 1_500, components: 10) == .randomized())
        #expect(PCA.resolve(.automatic, samples: 2_000, features: 1_500, components: 1_300) == .fullSVD)
        #expect(PCA.resolve(.automatic, samples: 300, features: 200, components: 5) == .fullSVD)
        #expect(PCA.resolve(.fullSVD, samples: 50_000, features: 256, components: 16) == .fullSVD)
    }

    @Test("Unusable data and settings throw EstimatorError")
    func badInputsThrow() throws {
        var pca = PCA(components: 2)
        #expect(throws: EstimatorError.tooFewSamples(found: 1, needed: 2)) { try pca.fit(Tensor([[1, 2, 3]])) }
        var tooMany = PCA(components: 13)
        #expect(throws: EstimatorError.self) { try tooMany.fit(x) }
        var zero = PCA(components: 0)
        #expect(throws: EstimatorError.self) { try zero.fit(x) }
        var badSketch = PCA(components: 2, solver: .randomized(oversamples: -1))
        #expect(throws: EstimatorError.self) { try badSketch.fit(x) }
        var holes = x.scalars
        holes[5 * 12 + 7] = .nan
        #expect(throws: EstimatorError.nonFiniteValue(row: 5, column: 7)) {
            try pca.fit(Tensor(shape: [600, 12], scalars: holes))
        }
        // A fitted model that is refitted on bad data keeps what it had learned.
        var fitted = PCA(components: 2)
        try fitted.fit(x)
        let before = (fitted.mean, fitted.components, fitted.explainedVariance)
        #expect(throws: EstimatorError.self) { try fitted.fit(Tensor(shape: [600, 12], scalars: holes)) }
        #expect(fitted.mean == before.0 && fitted.components == before.1 && fitted.explainedVariance == before.2)
        holes[5 * 12 + 7] = 1
        holes[599 * 12 + 11] = -.infinity
        #expect(throws: EstimatorError.nonFiniteValue(row: 599, column: 11)) {
            try pca.fit(Tensor(shape: [600, 12], scalars: holes))
        }
    }
}

@Suite("Scatter matrix")
struct ScatterMatrixTests {
    @Test("The blocked SIMD scatter matrix matches the plain Double sum, on one core and two", arguments: [1, 2])
    func matchesNaive(threads: Int) {
        // 37 features: padding and a 16-wide last tile; 4 500 rows: several blocks per core.
        let x = lowRankData(rows: 4_500, features: 37, scales: [4, 2, 1], noise: 0.3, seed: 5)
        let means = ScatterMatrix.columnMeans(x, threads: threads)!
        let scatter = ScatterMatrix.centred(x, means: means.map { Float($0) }, threads: threads)
        let reference = naiveCovariance(x).map { $0.map { $0 * 4_499 } }
        var worst = 0.0
        for a in 0..<37 {
            for b in 0..<37 {
                let scale = (reference[a][a] * reference[b][b]).squareRoot()
                worst = max(worst, abs(scatter[a * 37 + b] - reference[a][b]) / scale)
            }
        }
        #expect(worst < 1e-5, "worst relative error \(worst)")
    }

    @Test("Centring first keeps the variance of data far from the origin")
    func largeOffset() {
        // Mean 10 000, spread 1: XᵀX − n·x̄x̄ᵀ in float would lose every digit.
        let x = Tensor.normal([3_000, 5], seed: 9) + Tensor(10_000)
        let means = ScatterMatrix.columnMeans(x)!
        let scatter = ScatterMatrix.centred(x, means: means.map { Float($0) })
        let reference = naiveCovariance(x)
        for j in 0..<5 {
            #expect(abs(scatter[j * 5 + j] / 2_999 - reference[j][j]) < 1e-2 * reference[j][j])
        }
    }

    @Test("Column means are nil when X holds a NaN")
    func nanScreen() {
        var values = Tensor.normal([100, 3], seed: 1).scalars
        values[150] = .nan
        #expect(ScatterMatrix.columnMeans(Tensor(shape: [100, 3], scalars: values)) == nil)
    }
}
