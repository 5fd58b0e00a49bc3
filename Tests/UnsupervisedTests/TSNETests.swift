import Foundation
import LabKit
import Testing
import Tensor
@testable import Unsupervised

@Suite("t-SNE")
struct TSNETests {
    /// Squared distances [n, n] summed in Double, 0 on the diagonal.
    static func squaredDistances(_ x: [Float], n: Int, d: Int) -> [Double] {
        var table = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n where j != i {
                var total = 0.0
                for t in 0..<d { let diff = Double(x[i * d + t]) - Double(x[j * d + t]); total += diff * diff }
                table[i * n + j] = total
            }
        }
        return table
    }

    /// C_α(Y) = α·Σ p_ij log(1 + ‖yᵢ − yⱼ‖²) + log Z + α·Σ p log p, in Double: KL(P ‖ Q) for α = 1,
    /// and the objective whose gradient is the exaggerated one for α > 1.
    static func naiveObjective(p: [Float], y: [Double], n: Int, c: Int, exaggeration: Double = 1) -> Double {
        var logTerm = 0.0, z = 0.0, entropy = 0.0
        for i in 0..<n {
            for j in 0..<n where j != i {
                var distance = 0.0
                for t in 0..<c { let diff = y[i * c + t] - y[j * c + t]; distance += diff * diff }
                logTerm += Double(p[i * n + j]) * log(1 + distance)
                z += 1 / (1 + distance)
                if p[i * n + j] > 0 { entropy += Double(p[i * n + j]) * log(Double(p[i * n + j])) }
            }
        }
        return exaggeration * (logTerm + entropy) + log(z)
    }

    @Test("Perplexity search: every row's entropy is log(perplexity) within 1e-3, rows sum to 1, diagonal 0")
    func perplexitySearch() {
        let blobs = GaussianBlobs(count: 300, blobs: 4, dimensions: 20, seed: 2)
        let (n, d) = (300, 20)
        let distances = TSNETests.squaredDistances(blobs.points.scalars, n: n, d: d)
        for perplexity: Float in [5, 30, 80] {
            let search = TSNEAffinities.conditional(
                squaredDistances: Tensor(shape: [n, n], scalars: distances.map { Float($0) }), perplexity: perplexity)
            let p = search.probabilities.scalars
            let target = log(Double(perplexity))
            var worst = 0.0
            for i in 0..<n {
                // The entropy recomputed from the probabilities written out, not the one the search reports.
                var entropy = 0.0, sum = 0.0
                for j in 0..<n where p[i * n + j] > 0 { entropy -= Double(p[i * n + j]) * log(Double(p[i * n + j])) }
                for j in 0..<n { sum += Double(p[i * n + j]) }
                worst = max(worst, abs(entropy - target))
                #expect(abs(sum - 1) < 1e-4)
                #expect(p[i * n + i] == 0)
                #expect(abs(search.entropies[i] - target) < 1e-3)
            }
            #expect(worst < 1e-3, "perplexity \(perplexity): worst entropy error \(worst)")
        }
    }

    @Test("Conditional affinities equal a naive Double bisection; the joint ones are (p_{j|i} + p_{i|j}) / 2n")
    func affinitiesMatchNaive() {
        let (n, d) = (45, 7)
        let x = Tensor.normal([n, d], seed: 12) * Tensor(2)
        let distances = TSNETests.squaredDistances(x.scalars, n: n, d: d)
        let perplexity = 10.0
        // Naive: plain bisection on β with unshifted exponentials in Double.
        var naive = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            var (beta, lower, upper) = (1.0, 0.0, Double.infinity)
            var row = [Double](repeating: 0, count: n)
            for _ in 0..<200 {
                for j in 0..<n { row[j] = j == i ? 0 : exp(-beta * distances[i * n + j]) }
                let sum = row.reduce(0, +)
                let entropy = log(sum) + beta * (0..<n).reduce(0.0) { $0 + distances[i * n + $1] * row[$1] } / sum
                if abs(entropy - log(perplexity)) < 1e-9 { break }
                if entropy > log(perplexity) { lower = beta; beta = upper.isInfinite ? 2 * beta : (beta + upper) / 2 }
                else { upper = beta; beta = (beta + lower) / 2 }
            }
            let sum = row.reduce(0, +)
            for j in 0..<n { naive[i * n + j] = row[j] / sum }
        }
        let joint = TSNEAffinities.joint(x, perplexity: Float(perplexity))
        let p = joint.probabilities.scalars
        var worst = 0.0, total = 0.0
        for i in 0..<n {
            for j in 0..<n {
                let expected = (naive[i * n + j] + naive[j * n + i]) / Double(2 * n)
                worst = max(worst, abs(Double(p[i * n + j]) - expected))
                total += Double(p[i * n + j])
                #expect(p[i * n + j] == p[j * n + i])
            }
        }
        #expect(worst < 2e-5 / Double(n), "worst |Δp| \(worst)")
        #expect(abs(total - 1) < 1e-5)
    }

    @Test("The gradient matches central differences of KL (and of the exaggerated objective) on 10 points",
          arguments: [(Float(1), 2), (4, 2), (1, 3)])
    func gradientMatchesFiniteDifferences(exaggeration: Float, components c: Int) {
        let n = 10
        let x = Tensor.normal([n, 5], seed: 31)
        let p = TSNEAffinities.joint(x, perplexity: 3).probabilities
        let pValues = p.scalars
        let embedding = Tensor.normal([n, c], seed: 32)
        let gradient = TSNE.gradient(p: p, embedding: embedding, exaggeration: exaggeration).scalars
        var y = embedding.scalars.map(Double.init)
        let h = 1e-5
        var worst = 0.0, largest = 0.0
        for k in 0..<(n * c) {
            let saved = y[k]
            y[k] = saved + h
            let plus = TSNETests.naiveObjective(p: pValues, y: y, n: n, c: c, exaggeration: Double(exaggeration))
            y[k] = saved - h
            let minus = TSNETests.naiveObjective(p: pValues, y: y, n: n, c: c, exaggeration: Double(exaggeration))
            y[k] = saved
            let numeric = (plus - minus) / (2 * h)
            worst = max(worst, abs(numeric - Double(gradient[k])))
            largest = max(largest, abs(numeric))
        }
        #expect(largest > 1e-3, "the test point must not be a stationary one")
        #expect(worst < 1e-4 * max(largest, 1), "worst |Δ| \(worst), largest component \(largest)")
        // The vectorised KL agrees with the naive one.
        let kl = TSNE.klDivergence(p: p, embedding: embedding)
        let reference = TSNETests.naiveObjective(p: pValues, y: y, n: n, c: c)
        #expect(abs(kl - reference) < 1e-5 * max(1, abs(reference)), "KL \(kl) vs \(reference)")
    }

    @Test("The vectorised pair loop equals the scalar one when n is not a multiple of 16")
    func gradientOnLargerOddSizes() {
        let n = 53
        let x = Tensor.normal([n, 4], seed: 41)
        let p = TSNEAffinities.joint(x, perplexity: 8).probabilities
        let embedding = Tensor.normal([n, 2], seed: 42) * Tensor(3)
        let gradient = TSNE.gradient(p: p, embedding: embedding).scalars
        let (pValues, y) = (p.scalars, embedding.scalars.map(Double.init))
        // Direct formula: 4 Σⱼ (p_ij − q_ij) wᵢⱼ (yᵢ − yⱼ), in Double.
        var z = 0.0
        for i in 0..<n { for j in 0..<n where j != i {
            z += 1 / (1 + pow(y[2 * i] - y[2 * j], 2) + pow(y[2 * i + 1] - y[2 * j + 1], 2))
        } }
        for i in 0..<n {
            var g = (0.0, 0.0)
            for j in 0..<n where j != i {
                let w = 1 / (1 + pow(y[2 * i] - y[2 * j], 2) + pow(y[2 * i + 1] - y[2 * j + 1], 2))
                let factor = 4 * (Double(pValues[i * n + j]) - w / z) * w
                g.0 += factor * (y[2 * i] - y[2 * j])
                g.1 += factor * (y[2 * i + 1] - y[2 * j + 1])
            }
            #expect(abs(Double(gradient[2 * i]) - g.0) < 1e-5)
            #expect(abs(Double(gradient[2 * i + 1]) - g.1) < 1e-5)
        }
    }

    @Test("The 2-D row kernel (registers) equals the any-dimension one (accumulators in memory)")
    func planeKernelMatchesGeneral() {
        let n = 77
        let p = TSNEAffinities.joint(Tensor.normal([n, 6], seed: 51), perplexity: 12).probabilities
        let yTransposed = Tensor.normal([2 * n], seed: 52).scalars
        var (plane, general) = ([Float](repeating: 0, count: 4 * n), [Float](repeating: 0, count: 4 * n))
        let accumulators = UnsafeMutablePointer<SIMD16<Float>>.allocate(capacity: 4)
        defer { accumulators.deallocate() }
        p.withUnsafeBufferPointer { p in
            yTransposed.withUnsafeBufferPointer { y in
                plane.withUnsafeMutableBufferPointer { plane in
                    general.withUnsafeMutableBufferPointer { general in
                        for i in 0..<n {
                            let z1 = TSNE.planeRow(i, p: p.baseAddress!, y: y.baseAddress!, n: n,
                                                   attraction: plane.baseAddress!, repulsion: plane.baseAddress! + 2 * n)
                            let z2 = TSNE.anyDimensionRow(i, p: p.baseAddress!, y: y.baseAddress!, n: n, components: 2,
                                                          accumulators: accumulators, attraction: general.baseAddress!,
                                                          repulsion: general.baseAddress! + 2 * n)
                            #expect(abs(z1 - z2) < 1e-5 * z2)
                        }
                    }
                }
            }
        }
        for k in 0..<(4 * n) { #expect(abs(plane[k] - general[k]) < 1e-6 * max(1, abs(general[k]))) }
    }

    @Test("Four blobs in 20-d: KL falls, the map keeps each blob together, the same seed gives the same map")
    func blobsSeparate() throws {
        let blobs = GaussianBlobs(count: 300, blobs: 4, dimensions: 20, spread: 1, box: 10, seed: 7)
        var model = TSNE(perplexity: 30, iterations: 500, seed: 3)
        let map = try model.fitTransform(blobs.points)
        #expect(map.shape == [300, 2])
        #expect(map.scalars.allSatisfy { $0.isFinite })
        let history = model.klHistory
        #expect(history.map(\.iteration) == [50, 100, 150, 200, 250, 300, 350, 400, 450, 500])
        let first = try #require(history.first).divergence
        let last = try #require(history.last).divergence
        #expect(last < first, "KL from \(first) to \(last)")
        // After the exaggeration phase the divergence only goes down.
        let settled = history.filter { $0.iteration > 250 }.map(\.divergence)
        for (before, after) in zip(settled, settled.dropFirst()) { #expect(after <= before + 1e-3) }
        #expect(last < 0.6, "final KL \(last)")
        #expect(model.report.iterations == 500)
        #expect(model.report.lossHistory == history.map(\.divergence))
        let agreement = NeighbourAgreement.score(map, labels: blobs.labels, neighbours: 10)
        #expect(agreement > 0.98, "neighbour agreement \(agreement)")

        var again = TSNE(perplexity: 30, iterations: 500, seed: 3)
        #expect(try again.fitTransform(blobs.points) == map)
    }

    @Test("One descent step on a worked example: gains grow on a sign change, shrink otherwise, never below 0.01")
    func descentStep() {
        // Coordinates: last step against the gradient (Δ·g < 0), with it (Δ·g > 0), and a tiny gain that hits 0.01.
        var update: [Float] = [0.1, 0.1, 0.1]
        var gains: [Float] = [1, 1, 0.011]
        var map: [Float] = [0, 0, 0]
        let squaredNorm = TSNE.descend(gradient: [-1, 2, 1], update: &update, gains: &gains, map: &map,
                                       momentum: 0.5, learningRate: 10)
        #expect(squaredNorm == 6)
        #expect(gains == [1.2, 0.8, 0.01])
        // Δ = 0.5·0.1 − 10·gain·g
        #expect(abs(update[0] - (0.05 + 12)) < 1e-5 && abs(update[1] - (0.05 - 16)) < 1e-5 && abs(update[2] - (0.05 - 0.1)) < 1e-6)
        #expect(map == update)
    }

    @Test("Bad hyperparameters, too many rows and non-finite data throw")
    func rejectsBadInput() {
        let x = Tensor.normal([20, 3], seed: 1)
        for bad in [TSNE(components: 0), TSNE(perplexity: 0), TSNE(perplexity: 19.5), TSNE(learningRate: -1),
                    TSNE(iterations: 0), TSNE(earlyExaggeration: .nan), TSNE(exaggerationIterations: -1)] {
            var model = bad
            #expect(throws: EstimatorError.self) { _ = try model.fitTransform(x) }
        }
        var model = TSNE(perplexity: 5)
        #expect(throws: EstimatorError.self) { _ = try model.fitTransform(Tensor(shape: [10_001, 2], repeating: 0)) }
        var values = x.scalars
        values[4] = .infinity
        #expect(throws: EstimatorError.nonFiniteValue(row: 1, column: 1)) {
            _ = try model.fitTransform(Tensor(shape: [20, 3], scalars: values))
        }
    }

    @Test("Neighbour agreement on a worked example")
    func neighbourAgreementWorkedExample() {
        // Two groups of three far apart: every 2-neighbourhood is pure; a 3-neighbourhood reaches the other group.
        let groups = Tensor(shape: [6, 2], scalars: [0, 0, 1, 0, 2, 0, 10, 0, 11, 0, 12, 0])
        #expect(NeighbourAgreement.score(groups, labels: [0, 0, 0, 1, 1, 1], neighbours: 2) == 1)
        #expect(abs(NeighbourAgreement.score(groups, labels: [0, 0, 0, 1, 1, 1], neighbours: 3) - 2.0 / 3) < 1e-12)
        let line = Tensor(shape: [6, 2], scalars: [0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0])
        // Alternating labels: interior points see two others of the other label; the ends see one of each.
        #expect(abs(NeighbourAgreement.score(line, labels: [0, 1, 0, 1, 0, 1], neighbours: 2) - 1.0 / 6) < 1e-12)
    }
}
