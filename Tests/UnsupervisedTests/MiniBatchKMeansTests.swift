import LabKit
import Testing
import Tensor
@testable import Unsupervised

@Suite("Mini-batch k-means")
struct MiniBatchKMeansTests {
    @Test("Mini-batch reaches an inertia within 3% of full k-means on blobs, and labels every row with its nearest centre")
    func closeToFullKMeans() throws {
        let x = GaussianBlobs(count: 20_000, blobs: 8, dimensions: 10, spread: 1, seed: 5).points
        var full = KMeans(clusters: 8, restarts: 3, seed: 0)
        var mini = MiniBatchKMeans(clusters: 8, batchSize: 512, seed: 0)
        try full.fit(x)
        try mini.fit(x)
        #expect(mini.inertia <= 1.03 * full.inertia)
        #expect(mini.steps < 20_000 / 512 * 100)                  // the smoothed inertia stopped it early
        #expect(mini.report.converged)
        let naive = KMeansTestData.naiveNearest(x, mini.centers)
        #expect(abs(mini.inertia - naive.inertia) <= 1e-4 * naive.inertia)
        #expect(zip(mini.labels, naive.labels).filter { $0 != $1 }.count <= 2)
        #expect(mini.predict(x) == mini.labels)
        #expect(abs(mini.inertia(of: x) - mini.inertia) <= 1e-6 * mini.inertia)
        #expect(mini.transform(x).shape == [20_000, 8])
    }

    @Test("Finds three well-separated blob centres to within 0.1")
    func recoversBlobCentres() throws {
        let blobs = KMeansTestData.threeBlobs(seed: 3)
        var model = MiniBatchKMeans(clusters: 3, batchSize: 256, seed: 4)
        try model.fit(blobs.points)
        let matches = KMeansTestData.match(blobs.centers, model.centers)
        #expect(Set(matches.map(\.index)).count == 3)
        for match in matches { #expect(match.distance < 0.1) }
    }

    @Test("The same seed gives the same centres; bad inputs throw")
    func seedAndErrors() throws {
        let x = GaussianBlobs(count: 3_000, blobs: 5, dimensions: 3, seed: 2).points
        var first = MiniBatchKMeans(clusters: 5, batchSize: 100, seed: 7)
        var second = first
        try first.fit(x)
        try second.fit(x)
        #expect(first.centers.scalars == second.centers.scalars)
        #expect(first.labels == second.labels)
        var noBatch = MiniBatchKMeans(clusters: 2, batchSize: 0)
        #expect(throws: EstimatorError.self) { try noBatch.fit(x) }
        var tooMany = MiniBatchKMeans(clusters: 4)
        #expect(throws: EstimatorError.tooFewSamples(found: 3, needed: 4)) { try tooMany.fit(Tensor([[1, 2], [3, 4], [5, 6]])) }
        var notFinite = MiniBatchKMeans(clusters: 1)
        #expect(throws: EstimatorError.nonFiniteValue(row: 1, column: 0)) { try notFinite.fit(Tensor([[1, 2], [.infinity, 4]])) }
    }
}
