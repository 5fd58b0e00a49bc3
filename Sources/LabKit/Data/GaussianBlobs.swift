// GaussianBlobs: points drawn around k centres, one class per centre
// (scikit-learn's make_blobs).
//
//     centre c_j ~ U(−box, box)^d        (or given),   j = 0 … k−1
//     point i:  class yᵢ = i mod k (then shuffled),  xᵢ = c_{yᵢ} + σ·ε,  ε ~ N(0, I_d)
// With σ small against the distance between centres the classes are
// separable by straight lines; k-means should find the centres and a linear
// classifier the classes.

/// A seeded set of Gaussian blobs: points X [n, d], their blob (class) and the centres.
public struct GaussianBlobs: Sendable {
    /// The points, [count, dimensions].
    public let points: Tensor
    /// The blob each point was drawn from, 0 ..< centres.count; balanced (counts differ by at most 1).
    public let labels: [Int]
    /// The centres, [blobs, dimensions].
    public let centers: Tensor

    /// Draws `count` points around `blobs` centres drawn uniformly in [−box, box]^dimensions.
    public init(count: Int, blobs: Int, dimensions: Int = 2, spread: Float = 1, box: Float = 10, seed: UInt64 = 0) {
        precondition(blobs >= 1 && dimensions >= 1, "GaussianBlobs: blobs and dimensions must be ≥ 1, got \(blobs), \(dimensions)")
        var generator = RandomGenerator(seed: seed)
        let centres = (0..<blobs * dimensions).map { _ in generator.uniform(-box, box) }
        self.init(count: count, centers: Tensor(shape: [blobs, dimensions], scalars: centres), spread: spread,
                  generator: &generator)
    }

    /// Draws `count` points around the given centres [blobs, dimensions].
    public init(count: Int, centers: Tensor, spread: Float = 1, seed: UInt64 = 0) {
        var generator = RandomGenerator(seed: seed)
        self.init(count: count, centers: centers, spread: spread, generator: &generator)
    }

    private init(count: Int, centers: Tensor, spread: Float, generator: inout RandomGenerator) {
        precondition(count >= 1, "GaussianBlobs: count must be ≥ 1, got \(count)")
        precondition(centers.rank == 2 && centers.shape[0] >= 1, "GaussianBlobs: centers must be [blobs, dimensions], got \(centers.shape)")
        precondition(spread >= 0 && spread.isFinite, "GaussianBlobs: spread must be a finite value ≥ 0, got \(spread)")
        let (blobs, dimensions) = (centers.shape[0], centers.shape[1])
        let centre = centers.scalars
        let order = generator.permutation(count)
        var coordinates = [Float](repeating: 0, count: count * dimensions)
        var classes = [Int](repeating: 0, count: count)
        for i in 0..<count {
            let blob = i % blobs
            let row = order[i]
            classes[row] = blob
            for j in 0..<dimensions {
                coordinates[row * dimensions + j] = centre[blob * dimensions + j] + generator.normal(mean: 0, std: spread)
            }
        }
        points = Tensor(shape: [count, dimensions], scalars: coordinates)
        labels = classes
        self.centers = centers
    }
}
