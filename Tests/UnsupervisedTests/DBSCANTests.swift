import LabKit
import Testing
import Tensor
@testable import Unsupervised

@Suite("DBSCAN")
struct DBSCANTests {
    /// The textbook algorithm with an O(n²) scan for every neighbourhood: the reference DBSCAN must equal.
    static func naiveDBSCAN(_ x: [Float], n: Int, d: Int, epsilon: Float, minSamples: Int) -> (labels: [Int], core: [Int]) {
        var neighbourhoods = [[Int]](repeating: [], count: n)
        for i in 0..<n {
            for j in 0..<n {
                var distance: Float = 0
                for t in 0..<d { let diff = x[i * d + t] - x[j * d + t]; distance += diff * diff }
                if distance <= epsilon * epsilon { neighbourhoods[i].append(j) }
            }
        }
        let core = (0..<n).filter { neighbourhoods[$0].count >= minSamples }
        let isCore = Set(core)
        var labels = [Int](repeating: -1, count: n)
        var cluster = 0
        for seed in core where labels[seed] == -1 {
            var pending = [seed]
            labels[seed] = cluster
            while let point = pending.popLast() {          // depth-first here: the order must not matter
                guard isCore.contains(point) else { continue }
                for j in neighbourhoods[point] where labels[j] == -1 {
                    labels[j] = cluster
                    pending.append(j)
                }
            }
            cluster += 1
        }
        return (labels, core)
    }

    /// True when the two labellings are the same partition, with noise (−1) fixed, up to renaming clusters.
    static func sameUpToRenumbering(_ a: [Int], _ b: [Int]) -> Bool {
        guard a.count == b.count else { return false }
        var forward: [Int: Int] = [:]
        var backward: [Int: Int] = [:]
        for (u, v) in zip(a, b) {
            if (u == -1) != (v == -1) { return false }
            if u == -1 { continue }
            if let w = forward[u], w != v { return false }
            if let w = backward[v], w != u { return false }
            forward[u] = v
            backward[v] = u
        }
        return true
    }

    @Test("Two moons plus far outliers: two clusters that match the moons, outliers are noise")
    func twoMoons() throws {
        let moons = TwoMoons(count: 400, noise: 0.05, seed: 3)
        var generator = RandomGenerator(seed: 5)
        var values = moons.points.scalars
        let outliers = 20
        for _ in 0..<outliers {
            // Uniform in a ring of boxes around the moons: at least 1.5 away from any moon point.
            let side = generator.nextInt(below: 4)
            let u = generator.uniform(-4, 5)
            let v = generator.uniform(2.5, 4)
            switch side {
            case 0: values += [u, v]                  // above
            case 1: values += [u, -v - 0.5]           // below
            case 2: values += [-v - 1, u - 0.5]       // left
            default: values += [v + 2, u - 0.5]       // right
            }
        }
        let n = 400 + outliers
        let x = Tensor(shape: [n, 2], scalars: values)
        var model = DBSCAN(epsilon: 0.2, minSamples: 5)
        try model.fit(x)
        #expect(model.clusterCount == 2)
        #expect(model.labels[400...].allSatisfy { $0 == DBSCAN.noise })
        // Cluster ↔ moon agreement, with the better of the two namings.
        let agreeing = (0..<400).filter { model.labels[$0] == moons.labels[$0] }.count
        let swapped = (0..<400).filter { model.labels[$0] == 1 - moons.labels[$0] }.count
        let agreement = Double(max(agreeing, swapped)) / 400
        #expect(agreement >= 0.99, "agreement \(agreement)")
        #expect(try DBSCAN(epsilon: 0.2, minSamples: 5).fitPredictCopy(x) == model.labels)
    }

    @Test("Equal to the naive O(n²) algorithm on random data: labels up to renumbering, the same core set",
          arguments: [(UInt64(1), Float(0.05), 4), (2, 0.08, 6), (3, 0.03, 2), (4, 0.12, 12)])
    func matchesNaive(seed: UInt64, epsilon: Float, minSamples: Int) throws {
        // Clumps and scatter, so there are clusters, border points and noise.
        let n = 600
        let blobs = GaussianBlobs(count: 400, blobs: 6, dimensions: 2, spread: 0.05, box: 0.5, seed: seed)
        let scatter = Tensor.uniform([200, 2], seed: seed + 100) * Tensor(1.2) - Tensor(0.6)
        let values = blobs.points.scalars + scatter.scalars
        let x = Tensor(shape: [n, 2], scalars: values)
        var model = DBSCAN(epsilon: epsilon, minSamples: minSamples)
        try model.fit(x)
        let reference = DBSCANTests.naiveDBSCAN(values, n: n, d: 2, epsilon: epsilon, minSamples: minSamples)
        #expect(model.coreSampleIndices == reference.core)
        #expect(DBSCANTests.sameUpToRenumbering(model.labels, reference.labels))
        #expect(model.clusterCount == Set(reference.labels.filter { $0 >= 0 }).count)
        #expect(model.clusterCount >= 1)
        #expect(model.labels.contains(DBSCAN.noise) || epsilon > 0.1)
    }

    @Test("In 5 dimensions too, the tree-backed fit equals the naive one")
    func matchesNaiveInFiveDimensions() throws {
        let blobs = GaussianBlobs(count: 500, blobs: 4, dimensions: 5, spread: 0.3, box: 2, seed: 8)
        let values = blobs.points.scalars
        var model = DBSCAN(epsilon: 0.6, minSamples: 5)
        try model.fit(blobs.points)
        let reference = DBSCANTests.naiveDBSCAN(values, n: 500, d: 5, epsilon: 0.6, minSamples: 5)
        #expect(model.coreSampleIndices == reference.core)
        #expect(DBSCANTests.sameUpToRenumbering(model.labels, reference.labels))
    }

    @Test("20 000 uniform points with a small ε: distance evaluations stay far below n²")
    func notQuadratic() throws {
        let n = 20_000
        let x = Tensor.uniform([n, 2], seed: 21)
        var model = DBSCAN(epsilon: 0.01, minSamples: 5)
        try model.fit(x)
        let fraction = Double(model.distanceEvaluations) / Double(n * n)
        #expect(model.distanceEvaluations > 0)
        #expect(fraction < 0.02, "evaluated \(model.distanceEvaluations) distances, \(fraction) of n²")
        #expect(model.labels.count == n)
    }

    @Test("Bad hyperparameters and non-finite data throw")
    func rejectsBadInput() {
        let x = Tensor.uniform([10, 2], seed: 1)
        var zeroEpsilon = DBSCAN(epsilon: 0, minSamples: 3)
        #expect(throws: EstimatorError.self) { try zeroEpsilon.fit(x) }
        var infiniteEpsilon = DBSCAN(epsilon: .infinity, minSamples: 3)
        #expect(throws: EstimatorError.self) { try infiniteEpsilon.fit(x) }
        var noSamples = DBSCAN(epsilon: 0.5, minSamples: 0)
        #expect(throws: EstimatorError.self) { try noSamples.fit(x) }
        var values = x.scalars
        values[7] = .nan
        var model = DBSCAN()
        #expect(throws: EstimatorError.nonFiniteValue(row: 3, column: 1)) {
            try model.fit(Tensor(shape: [10, 2], scalars: values))
        }
    }

    @Test("minSamples = 1: every point is core, so no point is noise; a lone point is its own cluster")
    func minSamplesOne() throws {
        let x = Tensor([[0, 0], [0.1, 0], [5, 5]])
        var model = DBSCAN(epsilon: 0.5, minSamples: 1)
        try model.fit(x)
        #expect(model.labels == [0, 0, 1])
        #expect(model.coreSampleIndices == [0, 1, 2])
        var strict = DBSCAN(epsilon: 0.5, minSamples: 2)
        try strict.fit(x)
        #expect(strict.labels == [0, 0, DBSCAN.noise])
        #expect(strict.clusterCount == 1)
    }
}

extension DBSCAN {
    /// Fits a copy and returns its labels (checks that refitting gives the same answer).
    func fitPredictCopy(_ x: Tensor) throws -> [Int] {
        var copy = self
        return try copy.fitPredict(x)
    }
}
