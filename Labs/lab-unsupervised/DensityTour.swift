// The DBSCAN tour: clusters of any shape, and points that belong to none.
//
// DBSCAN calls a point core when at least `minSamples` points (itself
// included) lie within ε of it; clusters are the groups of core points that
// reach one another through such ε-steps, plus the border points within ε of
// a core point; everything else is noise (label −1). It needs no k and follows
// a cluster's shape, so it finds the two moons that k-means, whose clusters
// are always the convex cells nearest each centre, cuts in half.
import Foundation
import LabKit
import Unsupervised

struct DensityTour {
    let settings: TourSettings
    let epsilon: Float

    func run(report: inout JSONReport, files: inout [String]) throws {
        let moons = TwoMoons(count: settings.quick ? 400 : 1_000, noise: 0.06, seed: settings.seed)
        // Outliers scattered uniformly over the box around the moons.
        var generator = RandomGenerator(seed: settings.seed &+ 99)
        let outliers = settings.quick ? 15 : 30
        var values = moons.points.scalars
        for _ in 0..<outliers { values += [generator.uniform(-1.5, 2.5), generator.uniform(-1.2, 1.7)] }
        let n = moons.labels.count + outliers
        let x = Tensor(shape: [n, 2], scalars: values)
        Log.info("== DBSCAN: two moons (\(moons.labels.count) points, noise 0.06) and \(outliers) uniform outliers ==")

        var dbscan = DBSCAN(epsilon: epsilon, minSamples: 5)
        try dbscan.fit(x)
        let noise = dbscan.labels.filter { $0 == DBSCAN.noise }.count
        let moonAgreement = ClusterMatching.agreement(Array(dbscan.labels.prefix(moons.labels.count)), moons.labels)
        let outliersFlagged = dbscan.labels.suffix(outliers).filter { $0 == DBSCAN.noise }.count
        Log.info(String(format: "  DBSCAN (ε = %.2f, min samples 5): %d clusters, %d noise points; moons matched %.1f%%, %d of %d outliers flagged; %d distance evaluations (n² = %d)",
                        epsilon, dbscan.clusterCount, noise, moonAgreement * 100, outliersFlagged, outliers,
                        dbscan.distanceEvaluations, n * n))
        var kmeans = KMeans(clusters: 2, restarts: 10, seed: settings.seed)
        try kmeans.fit(x)
        let kmeansAgreement = ClusterMatching.agreement(Array(kmeans.labels.prefix(moons.labels.count)), moons.labels)
        Log.info(String(format: "  k-means with k = 2 on the same points: moons matched %.1f%%", kmeansAgreement * 100))
        report.setMetric("dbscan_clusters", JSONValue(dbscan.clusterCount))
        report.setMetric("dbscan_noise_points", JSONValue(noise))
        report.setMetric("dbscan_moon_agreement", moonAgreement)
        report.setMetric("dbscan_outliers_flagged", JSONValue(outliersFlagged))
        report.setMetric("dbscan_distance_evaluations", JSONValue(dbscan.distanceEvaluations))
        report.setMetric("kmeans2_moon_agreement", kmeansAgreement)

        let (px, py) = coordinates(x)
        func panel(_ title: String, _ labels: [Int]) -> Canvas {
            var plot = ScatterPlot(title: title, xLabel: "x1", yLabel: "x2")
            let clustered = labels.indices.filter { labels[$0] >= 0 }
            plot.addPoints(x: clustered.map { px[$0] }, y: clustered.map { py[$0] }, classes: clustered.map { labels[$0] },
                           classNames: (0..<10).map { "cluster \($0 + 1)" })
            let noisy = labels.indices.filter { labels[$0] < 0 }
            if !noisy.isEmpty { plot.addPoints("noise", x: noisy.map { px[$0] }, y: noisy.map { py[$0] }, color: .midGray) }
            plot.width = 560
            plot.height = 460
            plot.markerRadius = 3
            return plot.render()
        }
        try settings.write("dbscan_moons.png", files: &files) {
            try Canvas.sideBySide([
                panel(String(format: "DBSCAN: %d clusters, %d noise", dbscan.clusterCount, noise), dbscan.labels),
                panel(String(format: "k-means, k = 2: %.0f%% matched", kmeansAgreement * 100), kmeans.labels),
            ]).write(to: $0)
        }
    }
}
