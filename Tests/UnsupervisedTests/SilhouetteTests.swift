import LabKit
import Testing
import Tensor
@testable import Unsupervised

@Suite("Silhouette")
struct SilhouetteTests {
    /// s(i) straight from the definition, O(n²) in Double; NaN for noise rows.
    static func naiveSamples(_ x: Tensor, labels: [Int]) -> [Double] {
        let (n, d) = (x.shape[0], x.shape[1])
        let xs = x.scalars
        func distance(_ i: Int, _ j: Int) -> Double {
            var squared = 0.0
            for f in 0..<d { let diff = Double(xs[i * d + f]) - Double(xs[j * d + f]); squared += diff * diff }
            return squared.squareRoot()
        }
        let clusters = Set(labels.filter { $0 >= 0 })
        return (0..<n).map { i in
            guard labels[i] >= 0 else { return .nan }
            let own = (0..<n).filter { $0 != i && labels[$0] == labels[i] }
            if own.isEmpty { return 0 }
            let a = own.map { distance(i, $0) }.reduce(0, +) / Double(own.count)
            let b = clusters.filter { $0 != labels[i] }.map { c in
                let members = (0..<n).filter { labels[$0] == c }
                return members.map { distance(i, $0) }.reduce(0, +) / Double(members.count)
            }.min()!
            return (b - a) / max(a, b)
        }
    }

    @Test("Equals the O(n²) definition on a small set with a singleton cluster and noise rows")
    func matchesNaiveDefinition() {
        let n = 61
        let x = Tensor.normal([n, 3], seed: 4) * Tensor(2) + Tensor(5)   // an offset: the expansion must not lose it
        var labels = (0..<n).map { $0 % 4 }                           // clusters 0, 1, 2, 3, interleaved (overlapping)
        labels[7] = 9                                                 // a singleton cluster: s = 0
        labels[3] = -1
        labels[20] = -1                                               // noise: not scored, not counted
        let fast = Silhouette.samples(x, labels: labels)
        let slow = Self.naiveSamples(x, labels: labels)
        #expect(fast.count == n)
        #expect(fast[3].isNaN && fast[20].isNaN)
        #expect(fast[7] == 0)
        for (a, b) in zip(fast, slow) where !b.isNaN { #expect(abs(a - b) < 1e-4) }
        let mean = slow.filter { !$0.isNaN }.reduce(0, +) / Double(n - 2)
        #expect(abs(Silhouette.score(x, labels: labels) - mean) < 1e-5)
    }

    @Test("Is near 1 on well-separated blobs, and falls when the labels are scrambled")
    func nearOneOnSeparatedBlobs() {
        let blobs = KMeansTestData.threeBlobs(seed: 5)
        #expect(Silhouette.score(blobs.points, labels: blobs.labels) > 0.85)
        let scrambled = blobs.labels.enumerated().map { $0.offset % 5 == 0 ? ($0.element + 1) % 3 : $0.element }
        #expect(Silhouette.score(blobs.points, labels: scrambled) < Silhouette.score(blobs.points, labels: blobs.labels) - 0.1)
    }

    @Test("Hand-computed example: two pairs on a line")
    func workedExample() {
        // Points 0, 1 (cluster 0) and 4, 6 (cluster 1). For x = 0: a = 1, b = (4 + 6)/2 = 5, s = 4/5.
        let x = Tensor([[0], [1], [4], [6]])
        let s = Silhouette.samples(x, labels: [0, 0, 1, 1])
        let expected = [4.0 / 5, (4 - 1.0) / 4, (3.5 - 2) / 3.5, (5.5 - 2) / 5.5]
        for (a, b) in zip(s, expected) { #expect(abs(a - b) < 1e-5) }
    }
}
