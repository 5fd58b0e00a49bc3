// Exercise silhouette-coefficient (Sources/Unsupervised/Silhouette.swift, coefficient):
//   a(i) = mean distance to the other rows of its cluster
//   b(i) = smallest mean distance to the rows of another cluster
//   s(i) = (b − a) / max(a, b), and 0 for a row alone in its cluster
import GradingSupport
import Tensor
import Testing
import Unsupervised

@Suite("Exercise silhouette-coefficient: how well each row sits in its cluster")
struct SilhouetteTests {
    func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { ($0.isNaN && $1.isNaN) || abs($0 - $1) < 1e-4 }
    }

    @Test("Points 0, 1 | 4, 6 on a line: s = 4/5, 3/4, 1.5/3.5, 3.5/5.5", .exercise("silhouette-coefficient", points: 2))
    func twoClusters() {
        let s = Silhouette.samples(Tensor([[0], [1], [4], [6]]), labels: [0, 0, 1, 1])
        #expect(close(s, [0.8, 0.75, 1.5 / 3.5, 3.5 / 5.5]), "\(s)")
    }

    @Test("Three clusters: b is the nearest other cluster; a row alone scores 0; noise (−1) is NaN",
          .exercise("silhouette-coefficient", points: 1))
    func threeClustersAndNoise() {
        // 0, 1 | 5 | 10, 12 | noise 100. Row 10: a = 2, b = min(9.5, 5) = 5 → 0.6; row 12: a = 2, b = min(11.5, 7) → 5/7.
        let s = Silhouette.samples(Tensor([[0], [1], [5], [10], [12], [100]]), labels: [0, 0, 1, 2, 2, -1])
        #expect(close(s, [0.8, 0.75, 0, 0.6, 5.0 / 7, .nan]), "\(s)")
        let score = Silhouette.score(Tensor([[0], [1], [5], [10], [12], [100]]), labels: [0, 0, 1, 2, 2, -1])
        #expect(abs(score - (0.8 + 0.75 + 0 + 0.6 + 5.0 / 7) / 5) < 1e-4)
    }
}
