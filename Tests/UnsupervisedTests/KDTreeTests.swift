import Testing
import Tensor
@testable import Unsupervised

@Suite("KD-tree")
struct KDTreeTests {
    /// ‖a − b‖² summed in Double, for the brute-force references.
    static func squaredDistance(_ x: [Float], _ i: Int, _ q: [Float], _ d: Int) -> Double {
        var total: Double = 0
        for t in 0..<d { let diff = Double(x[i * d + t]) - Double(q[t]); total += diff * diff }
        return total
    }

    @Test("Radius queries return exactly the points a brute-force scan finds", arguments: [(500, 2), (700, 3), (300, 20)])
    func radiusMatchesBruteForce(n: Int, d: Int) {
        let x = Tensor.uniform([n, d], seed: UInt64(n + d))
        let xs = x.scalars
        let tree = KDTree(x)
        #expect(tree.count == n && tree.dimensions == d)
        let radius: Float = d == 2 ? 0.08 : (d == 3 ? 0.15 : 1.0)
        var generator = RandomGenerator(seed: 9)
        for query in 0..<60 {
            // Half the queries are data points, half are arbitrary points (some outside the data's box).
            let q = query % 2 == 0 ? Array(xs[(query * 7 % n) * d ..< (query * 7 % n) * d + d])
                                   : (0..<d).map { _ in generator.uniform(-0.2, 1.2) }
            let found = tree.neighbours(of: q, within: radius)
            #expect(Set(found).count == found.count, "no point is reported twice")
            let limit = Double(radius * radius)
            for i in 0..<n {
                let distance = squaredDistanceFor(xs, i, q, d)
                if abs(distance - limit) < 1e-5 * limit { continue }      // too close to the boundary to call
                #expect(found.contains(i) == (distance <= limit), "row \(i) at squared distance \(distance)")
            }
        }
    }

    private func squaredDistanceFor(_ x: [Float], _ i: Int, _ q: [Float], _ d: Int) -> Double {
        KDTreeTests.squaredDistance(x, i, q, d)
    }

    @Test("k-nearest queries return the k smallest distances of a brute-force scan, nearest first",
          arguments: [(600, 2), (400, 5), (250, 24)])
    func nearestMatchesBruteForce(n: Int, d: Int) {
        let x = Tensor.normal([n, d], seed: UInt64(3 * n + d))
        let xs = x.scalars
        let tree = KDTree(x, leafSize: 8)
        var generator = RandomGenerator(seed: 4)
        for k in [1, 5, 17] {
            for _ in 0..<20 {
                let q = (0..<d).map { _ in generator.normal(mean: 0, std: 1.2) }
                let result = tree.nearest(k, to: q)
                #expect(result.count == k)
                let brute = (0..<n).map { (index: $0, distance: KDTreeTests.squaredDistance(xs, $0, q, d)) }
                    .sorted { $0.distance < $1.distance }
                for r in 0..<k {
                    #expect(result[r].index == brute[r].index, "rank \(r) of \(k)")
                    #expect(abs(Double(result[r].squaredDistance) - brute[r].distance) <= 1e-4 * max(1, brute[r].distance))
                }
                for r in 1..<k { #expect(result[r - 1].squaredDistance <= result[r].squaredDistance) }
            }
        }
        // Asking for more neighbours than points returns them all.
        #expect(tree.nearest(n + 5, to: Array(repeating: 0, count: d)).count == n)
    }

    @Test("Duplicate points (more than a leaf holds) are all found")
    func duplicates() {
        let x = Tensor(shape: [40, 2], scalars: (0..<80).map { $0 < 60 ? 1 : Float($0) })   // 30 copies of (1, 1)
        let tree = KDTree(x, leafSize: 4)
        #expect(Set(tree.neighbours(of: [1, 1], within: 0)) == Set(0..<30))
        #expect(tree.nearest(30, to: [1, 1]).allSatisfy { $0.squaredDistance == 0 })
    }

    @Test("A small-radius query measures far fewer points than n, and the counter adds them up")
    func evaluationsAreCounted() {
        let n = 20_000
        let x = Tensor.uniform([n, 2], seed: 11)
        let tree = KDTree(x)
        #expect(tree.distanceEvaluations == 0)
        let found = tree.neighbours(of: [0.5, 0.5], within: 0.01)
        let measured = tree.distanceEvaluations
        #expect(measured >= found.count)
        #expect(measured < 400, "measured \(measured) distances for one query")
    }
}
