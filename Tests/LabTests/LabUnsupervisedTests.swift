// lab-unsupervised end to end: every tour writes its pictures and the report
// holds what each algorithm found; bad options stop with a clear error.
import ArgumentParser
import Foundation
import Testing
@testable import lab_unsupervised
import LabKit

@Suite struct LabUnsupervisedTests {
    @Test(arguments: [["--bogus"], ["nosuchmode"], ["--blobs", "1"], ["--tsne-points", "20000"],
                      ["--perplexity", "0"], ["--epsilon", "-0.1"], ["--threads", "0"]])
    func rejectsBadArguments(_ arguments: [String]) throws {
        #expect(throws: (any Error).self) {
            var lab = try LabUnsupervised.parseAsRoot(arguments)
            try lab.run()
        }
    }

    @Test func quickRunWritesEveryPictureAndFinding() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("lab-unsupervised-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        var lab = try LabUnsupervised.parseAsRoot(["--quick", "--out", out.path])
        try lab.run()
        let data = try Data(contentsOf: out.appendingPathComponent("report.json"))
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let metrics = try #require(report["metrics"] as? [String: Any])
        // k-means finds the five blobs, and both the elbow and the silhouette point at k = 5.
        #expect((metrics["kmeans_blob_agreement"] as? Double ?? 0) > 0.98)
        #expect(metrics["silhouette_best_k"] as? Int == 5)
        let elbow = try #require(metrics["elbow_inertia"] as? [Double])
        #expect(elbow.count == 10 && zip(elbow, elbow.dropFirst()).allSatisfy { $0 >= $1 })
        // PCA keeps more variance with more components and rebuilds digits better.
        #expect((metrics["pca_variance_kept_50"] as? Double ?? 0) > (metrics["pca_variance_kept_5"] as? Double ?? 1))
        #expect((metrics["pca_reconstruction_mse_50"] as? Double ?? 1) < (metrics["pca_reconstruction_mse_5"] as? Double ?? 0))
        // t-SNE groups digits far better than the first two PCA coordinates.
        let tsne = try #require(metrics["tsne_neighbour_agreement"] as? Double)
        #expect(tsne > 0.6 && tsne > (metrics["pca2_neighbour_agreement"] as? Double ?? 1) + 0.2)
        // DBSCAN finds the two moons that k-means cuts in half, and flags outliers.
        #expect(metrics["dbscan_clusters"] as? Int == 2)
        #expect((metrics["dbscan_moon_agreement"] as? Double ?? 0) > 0.99)
        #expect((metrics["dbscan_outliers_flagged"] as? Int ?? 0) >= 5)
        #expect((metrics["kmeans2_moon_agreement"] as? Double ?? 1) < 0.9)
        for file in ["kmeans_clusters.png", "kmeans_elbow.png", "pca_scatter.png", "pca_eigendigits.png",
                     "pca_reconstructions.png", "pca_explained_variance.png", "tsne_digits.png", "tsne_kl.png",
                     "dbscan_moons.png"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file) missing")
        }
    }
}
