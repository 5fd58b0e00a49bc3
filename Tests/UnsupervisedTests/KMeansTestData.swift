import LabKit
import Tensor
@testable import Unsupervised

/// Shared data and naive references for the k-means tests.
enum KMeansTestData {
    /// Three round blobs far apart in the plane, σ = 0.5, 1 000 points each.
    static let threeBlobCentres = Tensor([[-6, -5], [6, -4], [0, 7]])
    static func threeBlobs(seed: UInt64 = 1) -> GaussianBlobs {
        GaussianBlobs(count: 3_000, centers: threeBlobCentres, spread: 0.5, seed: seed)
    }

    /// Σᵢ minⱼ ‖xᵢ − cⱼ‖² by direct differences in Double, and each row's nearest centre.
    static func naiveNearest(_ x: Tensor, _ c: Tensor) -> (labels: [Int], distances: [Double], inertia: Double) {
        let (n, k, d) = (x.shape[0], c.shape[0], x.shape[1])
        let (xs, cs) = (x.scalars, c.scalars)
        var labels = [Int](repeating: 0, count: n)
        var distances = [Double](repeating: .infinity, count: n)
        for i in 0..<n {
            for j in 0..<k {
                var squared = 0.0
                for f in 0..<d { let diff = Double(xs[i * d + f]) - Double(cs[j * d + f]); squared += diff * diff }
                if squared < distances[i] { distances[i] = squared; labels[i] = j }
            }
        }
        return (labels, distances, distances.reduce(0, +))
    }

    /// The Euclidean distance from each row of `truth` to the nearest row of `found`, and which one.
    static func match(_ truth: Tensor, _ found: Tensor) -> [(index: Int, distance: Double)] {
        let nearest = naiveNearest(truth, found)
        return zip(nearest.labels, nearest.distances).map { ($0, $1.squareRoot()) }
    }
}
