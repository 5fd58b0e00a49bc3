import LabKit
import Testing
import Tensor
@testable import Unsupervised

@Suite("t-SNE on digits")
struct TSNEDigitsTests {
    /// 500 built-in synthetic digits, reduced to 50 PCA coordinates as the lab does.
    static func digits() throws -> (x: Tensor, labels: [Int]) {
        let digits = SyntheticDigits.split(count: 500, seed: 0)
        let pixels = digits.images.reshaped([500, 784])
        var pca = PCA(components: 50)
        try pca.fit(pixels)
        return (pca.transform(pixels), digits.labelIndices)
    }

    @Test("Same-class digits end nearer each other; the map does not collapse after exaggeration")
    func digitsGroupByClass() throws {
        let (x, labels) = try Self.digits()
        var tsne = TSNE(iterations: 500, seed: 0)
        let map = try tsne.fitTransform(x)
        // This set once shrank to one Float point during exaggeration and "converged" at step 251.
        #expect(tsne.report.iterations == 500)
        // scikit-learn's exact t-SNE (init="random") scores 0.765 on these 500 digits; chance is about 0.1.
        let agreement = NeighbourAgreement.score(map, labels: labels, neighbours: 10)
        #expect(agreement > 0.65, "neighbour agreement \(agreement)")
        // Mean distance between same-class points well below that between different classes.
        let distances = PairwiseDistances.squared(map, map).scalars
        var (same, sameCount, other, otherCount) = (0.0, 0, 0.0, 0)
        for i in 0..<500 {
            for j in 0..<500 where j != i {
                let d = Double(distances[i * 500 + j]).squareRoot()
                if labels[i] == labels[j] { same += d; sameCount += 1 } else { other += d; otherCount += 1 }
            }
        }
        #expect(same / Double(sameCount) < 0.7 * other / Double(otherCount))
        // KL falls once the true P is in force: from step 300 to the end.
        let kl = tsne.klHistory.filter { $0.iteration >= 300 }.map(\.divergence)
        #expect(kl.count >= 2 && kl.last! < kl.first!)
        #expect(kl.last! < 0.8)
    }
}
