// lab-unsupervised: phase 3's learning without labels, every result a picture.
//
//   swift run -c release lab-unsupervised [all|kmeans|pca|dbscan|tsne] [options]
//
// Tours (each writes PNGs into --out and metrics into report.json):
//   kmeans  Gaussian blobs clustered by k-means (k-means++ start, restarts),
//           coloured by cluster with the centres marked; the elbow curve of
//           inertia against k and the silhouette score per k; mini-batch
//           k-means beside full k-means.
//   pca     digits (MNIST, or the built-in synthetic digits when MNIST is
//           absent) projected on their first two principal components and
//           coloured by label; the mean digit and the first 16 eigen-digits;
//           test digits rebuilt from 5, 20 and 50 components; the cumulative
//           explained variance.
//   dbscan  two moons with scattered outliers: DBSCAN finds both moons and
//           marks the outliers as noise, where k-means with k = 2 cuts the
//           moons in half.
//   tsne    2 000 digits reduced to 50 PCA coordinates, then mapped to 2-D by
//           t-SNE, coloured by label; the KL divergence per iteration and how
//           many of each point's 10 nearest neighbours share its label, for
//           t-SNE and for the first two PCA coordinates.
import ArgumentParser
import Foundation
import LabKit
import Unsupervised

@main
struct LabUnsupervised: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab-unsupervised",
        abstract: "Phase 3: k-means, PCA, DBSCAN and t-SNE, each ending in pictures of what it finds.")

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case all, kmeans, pca, dbscan, tsne
    }

    @Argument(help: "Which tour: \(Mode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var mode: Mode = .all

    @OptionGroup var common: LabOptions

    @Option(help: "Blobs drawn for the k-means tour (the k it should find).")
    var blobs = 5

    @Option(help: "Digits mapped by t-SNE (exact t-SNE is O(n²): at most \(TSNE.maximumSamples)).")
    var tsnePoints = 2_000

    @Option(help: "t-SNE's perplexity, the effective number of neighbours each point keeps.")
    var perplexity: Float = 30

    @Option(help: "DBSCAN's neighbourhood radius ε on the two moons.")
    var epsilon: Float = 0.15

    func validate() throws {
        guard (2...10).contains(blobs) else { throw ValidationError("--blobs must be between 2 and 10, got \(blobs)") }
        guard (50...TSNE.maximumSamples).contains(tsnePoints) else {
            throw ValidationError("--tsne-points must be between 50 and \(TSNE.maximumSamples), got \(tsnePoints)")
        }
        guard perplexity >= 2 && perplexity.isFinite && Int(perplexity) < tsnePoints else {
            throw ValidationError("--perplexity must be at least 2 and below --tsne-points, got \(perplexity)")
        }
        guard epsilon > 0 && epsilon.isFinite else { throw ValidationError("--epsilon must be a positive number, got \(epsilon)") }
    }

    func run() throws {
        common.applyThreads()
        let start = Stopwatch.now()
        let out = try common.outputDirectory(lab: "unsupervised")
        let settings = TourSettings(seed: common.seed, quick: common.quick, out: out)
        var report = JSONReport(lab: "unsupervised", mode: mode.rawValue, seed: common.seed, data: "built-in")
        var files: [String] = []
        if mode == .all || mode == .kmeans {
            try ClusteringTour(settings: settings, blobs: blobs).run(report: &report, files: &files)
        }
        if mode == .all || mode == .pca || mode == .tsne {
            let digits = try DigitImages.load(trainCount: common.quick ? 2_000 : 60_000, testCount: 100, seed: common.seed)
            Log.info("digits: \(digits.description)")
            report.data = digits.description
            report.set("digits_synthetic", .bool(digits.isSynthetic))
            if mode != .tsne { try PCATour(settings: settings, digits: digits).run(report: &report, files: &files) }
            if mode != .pca {
                let points = common.quick ? Swift.min(tsnePoints, 500) : tsnePoints
                try TSNETour(settings: settings, digits: digits, points: points, perplexity: perplexity)
                    .run(report: &report, files: &files)
            }
        }
        if mode == .all || mode == .dbscan {
            try DensityTour(settings: settings, epsilon: epsilon).run(report: &report, files: &files)
        }
        try report.finish(in: out, startedAt: start, files: files)
    }
}

/// The columns of a [n, ≥2] tensor as two coordinate arrays (for scatter plots).
func coordinates(_ points: Tensor, _ first: Int = 0, _ second: Int = 1) -> (x: [Float], y: [Float]) {
    let (n, d) = (points.shape[0], points.shape[1])
    let values = points.scalars
    return ((0..<n).map { values[$0 * d + first] }, (0..<n).map { values[$0 * d + second] })
}
