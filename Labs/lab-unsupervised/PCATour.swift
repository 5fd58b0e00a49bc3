// The PCA tour: what the directions of largest variance of digit images look like.
//
// PCA centres the images (x − μ) and finds the orthonormal directions v₁, v₂, …
// along which they vary most: the eigenvectors of the covariance
// Σ = (X − μ)ᵀ(X − μ)/(n − 1), ordered by eigenvalue λ₁ ≥ λ₂ ≥ …. Each vᵢ has
// 784 entries, so it can be drawn as an image: an "eigen-digit". A digit is
// then approximated by the mean plus its first k coordinates zᵢ = vᵢ·(x − μ):
//     x̂ = μ + Σ_{i≤k} zᵢ vᵢ,
// and the share of variance kept, Σ_{i≤k} λᵢ / Σ λ, says how good that is.
// Two coordinates are already enough to see the classes pull apart.
import Foundation
import LabKit
import Unsupervised

struct PCATour {
    let settings: TourSettings
    let digits: DigitImages

    func run(report: inout JSONReport, files: inout [String]) throws {
        let n = digits.train.count, pixels = 28 * 28
        let x = digits.train.images.reshaped([n, pixels])
        Log.info("== PCA: \(n) digit images of 28 × 28 = \(pixels) pixels ==")
        let start = Stopwatch.now()
        var pca = PCA(components: 50, seed: settings.seed)
        try pca.fit(x)
        let seconds = Stopwatch.now() - start
        let cumulative = pca.explainedVarianceRatio.reduce(into: [Double]()) { $0.append(($0.last ?? 0) + Double($1)) }
        Log.info(String(format: "  fitted in %.3f s; variance kept by 2, 5, 20, 50 components: %.1f%%, %.1f%%, %.1f%%, %.1f%%",
                        seconds, cumulative[1] * 100, cumulative[4] * 100, cumulative[19] * 100, cumulative[49] * 100))
        report.setMetric("pca_explained_variance_ratio", JSONValue(pca.explainedVarianceRatio))
        for k in [2, 5, 20, 50] { report.setMetric("pca_variance_kept_\(k)", cumulative[k - 1]) }

        // The first two coordinates, coloured by digit.
        let shown = Swift.min(n, 3_000)
        let projected = pca.transform(x.slice(0..<shown))
        let (px, py) = coordinates(projected)
        var scatter = ScatterPlot(title: "Digits on their first two principal components", xLabel: "PC 1", yLabel: "PC 2")
        scatter.addPoints(x: px, y: py, classes: digits.train.labelIndices.prefix(shown).map { $0 },
                          classNames: (0...9).map { "digit \($0)" })
        scatter.markerRadius = 2.5
        try settings.write("pca_scatter.png", files: &files) { try scatter.write(to: $0) }

        // The mean digit and the first 16 eigen-digits.
        let eigenDigits = pca.components.slice(0..<16)
        let tiles = Tensor.concatenated([Tensor(shape: [1, pixels], scalars: pca.mean), eigenDigits]).reshaped([17, 28, 28])
        var grid = ImageGrid(images: tiles, columns: 9)
        grid.scaling = .perImage
        grid.upscale = 3
        grid.captions = ["mean"] + (1...16).map { "PC \($0)" }
        grid.title = "The mean digit and the first 16 eigen-digits"
        try settings.write("pca_eigendigits.png", files: &files) { try grid.render().write(to: $0) }

        // Test digits rebuilt from 5, 20 and 50 components.
        let examples = Swift.min(10, digits.test.count)
        let originals = digits.test.images.slice(0..<examples).reshaped([examples, pixels])
        let coordinatesOfTest = pca.transform(originals)
        var rows = [originals]
        for k in [5, 20, 50] {
            let rebuilt = pca.inverseTransform(Self.keepingFirst(k, of: coordinatesOfTest))
            let error = Metrics.meanSquaredError(originals, rebuilt)
            Log.info(String(format: "  rebuilt from %2d components: mean squared pixel error %.4f", k, error))
            report.setMetric("pca_reconstruction_mse_\(k)", Double(error))
            rows.append(rebuilt)
        }
        var rebuiltGrid = ImageGrid(images: Tensor.concatenated(rows).reshaped([4 * examples, 28, 28]), columns: examples)
        rebuiltGrid.scaling = .fixed(0...1)
        rebuiltGrid.upscale = 3
        rebuiltGrid.captions = ["original", "5 comp.", "20 comp.", "50 comp."].flatMap { [$0] + Array(repeating: "", count: examples - 1) }
        rebuiltGrid.title = "Test digits (top row) rebuilt from 5, 20 and 50 components"
        try settings.write("pca_reconstructions.png", files: &files) { try rebuiltGrid.render().write(to: $0) }

        var curve = LineChart(title: "Variance kept by the first k components", xLabel: "k", yLabel: "cumulative explained variance")
        curve.addSeries("cumulative ratio", x: (1...cumulative.count).map(Double.init), y: cumulative)
        try settings.write("pca_explained_variance.png", files: &files) { try curve.write(to: $0) }
    }

    /// Z with every column after the first k set to 0: the digit described by k coordinates only.
    static func keepingFirst(_ k: Int, of z: Tensor) -> Tensor {
        let (n, width) = (z.shape[0], z.shape[1])
        var values = z.scalars
        for i in 0..<n { for j in k..<width { values[i * width + j] = 0 } }
        return Tensor(shape: [n, width], scalars: values)
    }
}
