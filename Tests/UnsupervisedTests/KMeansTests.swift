import LabKit
import Testing
import Tensor
@testable import Unsupervised

@Suite("k-means")
struct KMeansTests {
    @Test("Finds the centres of three well-separated blobs to within 0.1, one centre per blob")
    func recoversBlobCentres() throws {
        let blobs = KMeansTestData.threeBlobs()
        var model = KMeans(clusters: 3)
        try model.fit(blobs.points)
        #expect(model.centers.shape == [3, 2])
        let matches = KMeansTestData.match(blobs.centers, model.centers)
        #expect(Set(matches.map(\.index)).count == 3)
        for match in matches { #expect(match.distance < 0.1) }
        // Every blob is one cluster: the labels are the blob labels up to renaming.
        for (label, blob) in zip(model.labels, blobs.labels) { #expect(label == matches[blob].index) }
        #expect(model.report.converged)
    }

    @Test("The inertia never rises from one Lloyd iteration to the next, and the results agree with a naive recomputation")
    func inertiaNeverRises() throws {
        let blobs = GaussianBlobs(count: 2_000, blobs: 8, dimensions: 5, spread: 3, seed: 4)   // overlapping: many iterations
        var model = KMeans(clusters: 8, initialization: .random, maxIterations: 300, tolerance: 0, seed: 2)
        try model.fit(blobs.points)
        let history = model.inertiaHistory
        #expect(history.count == model.iterations)
        #expect(model.iterations > 3)
        for (before, after) in zip(history, history.dropFirst()) { #expect(after <= before * (1 + 1e-6)) }
        let naive = KMeansTestData.naiveNearest(blobs.points, model.centers)
        #expect(abs(model.inertia - naive.inertia) <= 1e-4 * naive.inertia)
        #expect(abs(history.last! - model.inertia) <= 1e-9 * model.inertia)
        let disagreements = zip(model.labels, naive.labels).filter { $0 != $1 }.count
        #expect(disagreements <= 2)                                  // only float near-ties may differ
        #expect(abs(model.inertia(of: blobs.points) - model.inertia) <= 1e-6 * model.inertia)
    }

    @Test("The same seed gives the same centres, labels and inertia")
    func sameSeedSameResult() throws {
        let x = GaussianBlobs(count: 1_500, blobs: 6, dimensions: 4, spread: 2, seed: 9).points
        var first = KMeans(clusters: 6, restarts: 2, seed: 11)
        var second = first
        try first.fit(x)
        try second.fit(x)
        #expect(first.centers.scalars == second.centers.scalars)
        #expect(first.labels == second.labels)
        #expect(first.inertia == second.inertia)
        var other = KMeans(clusters: 6, initialization: .random, restarts: 1, seed: 12)
        try other.fit(x)
        #expect(other.centers.scalars != first.centers.scalars)
    }

    @Test("More restarts keep the lowest inertia: never worse than the first run, better when random starts get stuck")
    func restartsKeepTheBest() throws {
        let x = GaussianBlobs(count: 2_000, blobs: 10, dimensions: 2, spread: 0.4, seed: 3).points
        var single = KMeans(clusters: 10, initialization: .random, restarts: 1, seed: 5)
        var many = KMeans(clusters: 10, initialization: .random, restarts: 8, seed: 5)
        try single.fit(x)
        try many.fit(x)
        #expect(many.inertia <= single.inertia)                     // run 1 of `many` is `single`
        var worst = 0.0
        for seed in 0..<8 as Range<UInt64> {
            var one = KMeans(clusters: 10, initialization: .random, seed: 100 + seed)
            try one.fit(x)
            worst = max(worst, one.inertia)
        }
        #expect(many.inertia < worst)                               // random starts do get stuck on this set
    }

    @Test("k-means++ picks one starting row in each of five far-apart blobs")
    func seedingSpreadsOut() {
        let centres = Tensor([[0, 0], [40, 0], [0, 40], [40, 40], [20, 80]])
        let blobs = GaussianBlobs(count: 1_000, centers: centres, spread: 1, seed: 8)
        for seed in 0..<5 as Range<UInt64> {
            let start = KMeansPlusPlus.centers(blobs.points, clusters: 5, seed: seed)
            let matches = KMeansTestData.match(start, centres)
            #expect(Set(matches.map(\.index)).count == 5)
        }
    }

    @Test("An empty cluster is re-seeded with the farthest row: duplicated starts still end at four exact centres")
    func emptyClusterIsReseeded() throws {
        var rows = [[Float]](repeating: [0, 0], count: 60)
        rows += [[10, 0], [0, 10], [10, 10]]
        var model = KMeans(clusters: 4, initialization: .random, seed: 1)  // random starts: almost surely four copies of (0, 0)
        try model.fit(Tensor(rows))
        #expect(model.inertia == 0)
        #expect(Set(model.labels).count == 4)
    }

    @Test("transform gives the Euclidean distance to every centre; its smallest column is predict's label")
    func transformAndPredict() throws {
        let blobs = KMeansTestData.threeBlobs(seed: 2)
        var model = KMeans(clusters: 3, seed: 1)
        let distances = try model.fitTransform(blobs.points)
        #expect(distances.shape == [3_000, 3])
        let naive = KMeansTestData.naiveNearest(blobs.points, model.centers)
        let table = distances.scalars
        for i in stride(from: 0, to: 3_000, by: 97) {
            let row = Array(table[(i * 3)..<(i * 3 + 3)])
            #expect(abs(Double(row.min()!) - naive.distances[i].squareRoot()) < 1e-3)
            #expect(row.firstIndex(of: row.min()!) == model.labels[i])
        }
        #expect(model.predict(blobs.points) == model.labels)
    }

    @Test("The nearest-centre kernel matches a naive argmin across panel and row tails (k = 37, d = 19, n = 103)")
    func kernelMatchesNaive() {
        let x = Tensor.normal([103, 19], seed: 1) * Tensor(3)
        let c = Tensor.normal([37, 19], seed: 2) * Tensor(3)
        let (labels, distances) = NearestCenters.assign(x, rowNorms: PairwiseDistances.squaredNorms(x), panels: CenterPanels(c))
        let naive = KMeansTestData.naiveNearest(x, c)
        #expect(labels == naive.labels)
        for (fast, slow) in zip(distances, naive.distances) { #expect(abs(Double(fast) - slow) <= 1e-4 * max(1, slow)) }
    }

    @Test("The elbow curve never rises with k on blobs, and drops most up to the true number of blobs")
    func elbowCurve() throws {
        let x = GaussianBlobs(count: 1_200, blobs: 4, dimensions: 3, spread: 0.5, seed: 6).points
        let inertias = try ElbowCurve.inertias(x, clusterCounts: [1, 2, 3, 4, 5, 6], restarts: 3)
        #expect(inertias.count == 6)
        for (before, after) in zip(inertias, inertias.dropFirst()) { #expect(after <= before) }
        #expect(inertias[3] < 0.1 * inertias[2])                   // the fourth centre splits a real group
        #expect(inertias[4] > 0.8 * inertias[3])                   // a fifth only splits a blob
    }

    @Test("Bad hyperparameters, too few rows and non-finite values throw EstimatorError")
    func badInputsThrow() {
        let x = Tensor.normal([10, 3], seed: 1)
        func error(_ model: KMeans, _ data: Tensor) -> EstimatorError? {
            var model = model
            do { try model.fit(data); return nil } catch { return error as? EstimatorError }
        }
        #expect(error(KMeans(clusters: 0), x) == .invalidParameter(name: "clusters", value: "0", expected: "at least 1"))
        #expect(error(KMeans(clusters: 2, restarts: 0), x) != nil)
        #expect(error(KMeans(clusters: 2, maxIterations: 0), x) != nil)
        #expect(error(KMeans(clusters: 2, tolerance: -1), x) != nil)
        #expect(error(KMeans(clusters: 2, tolerance: .nan), x) != nil)
        #expect(error(KMeans(clusters: 11), x) == .tooFewSamples(found: 10, needed: 11))
        var bad = x.scalars
        bad[2 * 3 + 1] = .nan
        #expect(error(KMeans(clusters: 2), Tensor(shape: [10, 3], scalars: bad)) == .nonFiniteValue(row: 2, column: 1))
        #expect(throws: EstimatorError.self) { _ = try ElbowCurve.inertias(x, clusterCounts: [2, 20]) }
    }
}
