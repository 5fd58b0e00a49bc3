// The t-SNE tour: a map of digits where neighbours stay neighbours.
//
// t-SNE turns distances into neighbour probabilities twice: in the data,
// p_{j|i} ∝ exp(−‖xᵢ − xⱼ‖² / 2σᵢ²) with σᵢ set so each point has about
// `perplexity` neighbours, and in the 2-D map, q_{ij} ∝ (1 + ‖yᵢ − yⱼ‖²)⁻¹,
// whose heavy tail lets far clusters drift apart. Gradient descent moves the
// map points to minimise KL(P‖Q) = Σ p_{ij} log(p_{ij}/q_{ij}). The digits are
// first reduced to 50 PCA coordinates (most of their variance, far less work).
// The neighbour agreement — the share of each point's 10 nearest map
// neighbours that carry its label — measures how well classes stay together,
// here for t-SNE and for the plain first two PCA coordinates.
import Foundation
import LabKit
import Unsupervised

struct TSNETour {
    let settings: TourSettings
    let digits: DigitImages
    let points: Int
    let perplexity: Float

    func run(report: inout JSONReport, files: inout [String]) throws {
        let n = Swift.min(points, digits.train.count)
        let x = digits.train.images.slice(0..<n).reshaped([n, 28 * 28])
        let labels = Array(digits.train.labelIndices.prefix(n))
        let iterations = settings.quick ? 500 : 1_000
        Log.info("== t-SNE: \(n) digits → 50 PCA coordinates → 2-D map (perplexity \(perplexity), \(iterations) iterations) ==")
        var pca = PCA(components: 50, seed: settings.seed)
        try pca.fit(x)
        let reduced = pca.transform(x)

        let start = Stopwatch.now()
        var tsne = TSNE(perplexity: perplexity, iterations: iterations, seed: settings.seed)
        let map = try tsne.fitTransform(reduced)
        let seconds = Stopwatch.now() - start
        let agreement = NeighbourAgreement.score(map, labels: labels, neighbours: 10)
        let pcaAgreement = NeighbourAgreement.score(reduced.slice(axis: 1, 0..<2), labels: labels, neighbours: 10)
        let finalKL = tsne.klHistory.last?.divergence ?? .nan
        Log.info("  \(tsne.report.iterations) iterations" + (tsne.report.converged ? " (stopped: gradient norm below tolerance)" : ""))
        Log.info(String(format: "  %.2f s; KL divergence %.3f; 10-neighbour label agreement %.3f (first two PCA coordinates: %.3f)",
                        seconds, finalKL, agreement, pcaAgreement))
        report.setMetric("tsne_points", JSONValue(n))
        report.setMetric("tsne_seconds", seconds)
        report.setMetric("tsne_kl_divergence", finalKL)
        report.setMetric("tsne_neighbour_agreement", agreement)
        report.setMetric("pca2_neighbour_agreement", pcaAgreement)

        let (mx, my) = coordinates(map)
        var scatter = ScatterPlot(title: String(format: "t-SNE of %d digits: %.0f%% of neighbours share the label", n, agreement * 100),
                                  xLabel: "t-SNE 1", yLabel: "t-SNE 2")
        scatter.addPoints(x: mx, y: my, classes: labels, classNames: (0...9).map { "digit \($0)" })
        scatter.markerRadius = 2.5
        try settings.write("tsne_digits.png", files: &files) { try scatter.write(to: $0) }

        var curve = LineChart(title: "t-SNE: KL(P‖Q) during optimisation", xLabel: "iteration", yLabel: "KL divergence")
        curve.addSeries("KL", x: tsne.klHistory.map { Double($0.iteration) }, y: tsne.klHistory.map(\.divergence))
        try settings.write("tsne_kl.png", files: &files) { try curve.write(to: $0) }
    }
}
