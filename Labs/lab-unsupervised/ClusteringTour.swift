// The k-means tour: blobs, the clusters k-means finds, and how to choose k.
//
// k-means minimises the inertia Σᵢ ‖xᵢ − c_{a(i)}‖², the squared distance of
// every point to its cluster's centre. Inertia always falls as k grows (more
// centres, shorter distances), so k is read off the elbow: the k after which
// adding a centre stops paying much. The silhouette score
//     s(i) = (b(i) − a(i)) / max(a(i), b(i)),
// a(i) the mean distance to the own cluster and b(i) to the nearest other one,
// peaks where clusters are tight and far apart. Mini-batch k-means updates the
// centres from small random batches: nearly the same inertia, far less work.
import Foundation
import LabKit
import Unsupervised

struct ClusteringTour {
    let settings: TourSettings
    let blobs: Int

    func run(report: inout JSONReport, files: inout [String]) throws {
        let count = settings.quick ? 600 : 1_500
        let data = GaussianBlobs(count: count, centers: Self.centres(blobs, seed: settings.seed), spread: 1, seed: settings.seed)
        Log.info("== k-means: \(count) points in \(blobs) Gaussian blobs (σ = 1, centres around a circle of radius 8) ==")

        var kmeans = KMeans(clusters: blobs, restarts: 10, seed: settings.seed)
        try kmeans.fit(data.points)
        let silhouette = Silhouette.score(data.points, labels: kmeans.labels)
        Log.info(String(format: "  k-means, k = %d, 10 restarts: inertia %.1f after %d Lloyd iteration(s), silhouette %.3f",
                        blobs, kmeans.inertia, kmeans.iterations, silhouette))
        let agreement = ClusterMatching.agreement(kmeans.labels, data.labels)
        Log.info(String(format: "  clusters matched to the true blobs: %.1f%% of points", agreement * 100))

        var miniBatch = MiniBatchKMeans(clusters: blobs, batchSize: 256, seed: settings.seed)
        try miniBatch.fit(data.points)
        Log.info(String(format: "  mini-batch k-means (batches of 256): inertia %.1f (%+.2f%% against full k-means)",
                        miniBatch.inertia, (miniBatch.inertia / kmeans.inertia - 1) * 100))

        let ks = Array(1...10)
        let inertias = try ElbowCurve.inertias(data.points, clusterCounts: ks, restarts: 3, seed: settings.seed)
        var silhouettes: [Double] = []
        for k in ks.dropFirst() {
            var model = KMeans(clusters: k, restarts: 3, seed: settings.seed)
            try model.fit(data.points)
            silhouettes.append(Silhouette.score(data.points, labels: model.labels))
        }
        let bestK = ks.dropFirst()[silhouettes.indices.max { silhouettes[$0] < silhouettes[$1] }! + 1]
        Log.info("  elbow: " + zip(ks, inertias).map { String(format: "k=%d %.0f", $0, $1) }.joined(separator: ", "))
        Log.info("  silhouette is highest at k = \(bestK)")

        report.setMetric("kmeans_inertia", kmeans.inertia)
        report.setMetric("kmeans_iterations", JSONValue(kmeans.iterations))
        report.setMetric("kmeans_silhouette", silhouette)
        report.setMetric("kmeans_blob_agreement", agreement)
        report.setMetric("minibatch_inertia", miniBatch.inertia)
        report.setMetric("elbow_inertia", JSONValue(inertias))
        report.setMetric("silhouette_by_k", JSONValue(silhouettes))
        report.setMetric("silhouette_best_k", JSONValue(bestK))

        var plot = ScatterPlot(title: String(format: "k-means, k = %d: silhouette %.3f", blobs, silhouette),
                               xLabel: "x1", yLabel: "x2")
        let (x, y) = coordinates(data.points)
        plot.addPoints(x: x, y: y, classes: kmeans.labels, classNames: (0..<blobs).map { "cluster \($0 + 1)" })
        let centres = coordinates(kmeans.centers)
        plot.addPoints("centres", x: centres.x, y: centres.y, color: .black)
        plot.markerRadius = 3
        try settings.write("kmeans_clusters.png", files: &files) { try plot.write(to: $0) }

        var elbow = LineChart(title: "Elbow: inertia against k", xLabel: "k (clusters)", yLabel: "inertia")
        elbow.addSeries("inertia", x: ks.map(Double.init), y: inertias)
        var silhouetteChart = LineChart(title: "Silhouette score against k", xLabel: "k (clusters)", yLabel: "mean silhouette")
        silhouetteChart.addSeries("silhouette", x: ks.dropFirst().map(Double.init), y: silhouettes)
        elbow.width = 600; silhouetteChart.width = 600
        try settings.write("kmeans_elbow.png", files: &files) {
            try Canvas.sideBySide([elbow.render(), silhouetteChart.render()]).write(to: $0)
        }
    }

    /// k blob centres spread around a circle of radius 8 (a seeded turn, each jittered by up to ±1),
    /// far enough apart that the right k is visible in the elbow and the silhouette.
    static func centres(_ k: Int, seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed &+ 5)
        let turn = generator.uniform(0, 2 * .pi)
        var values: [Float] = []
        for c in 0..<k {
            let angle = turn + 2 * .pi * Float(c) / Float(k)
            values += [8 * cos(angle) + generator.uniform(-1, 1), 8 * sin(angle) + generator.uniform(-1, 1)]
        }
        return Tensor(shape: [k, 2], scalars: values)
    }
}
