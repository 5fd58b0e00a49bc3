// lab-trees end to end: the built-in tours write their report and plots, a
// CSV file is fitted and cross-validated by boosting, a forest and a tree,
// and bad input stops with a clear error.
import ArgumentParser
import Foundation
import Testing
@testable import lab_trees
import LabKit

@Suite struct LabTreesTests {
    func outputFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("lab-trees-test-\(UUID().uuidString)")
    }

    /// Runs the lab with `arguments` and returns report.json's metrics.
    func metrics(_ arguments: [String]) throws -> [String: Any] {
        var lab = try LabTrees.parseAsRoot(arguments)
        try lab.run()
        let out = try #require(arguments.firstIndex(of: "--out").map { arguments[$0 + 1] })
        let data = try Data(contentsOf: URL(fileURLWithPath: out).appendingPathComponent("report.json"))
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(report["lab"] as? String == "trees")
        return try #require(report["metrics"] as? [String: Any])
    }

    @Test(arguments: [["--bogus"], ["nosuchmode"], ["--trees", "0"], ["--learning-rate", "-1"], ["--max-leaves", "1"],
                      ["--max-depth", "0"], ["--model", "svm"], ["--cv", "1"]])
    func rejectsBadArguments(_ arguments: [String]) throws {
        #expect(throws: (any Error).self) {
            var lab = try LabTrees.parseAsRoot(arguments)
            try lab.run()
        }
    }

    @Test func builtInToursWriteReportAndPlots() throws {
        let out = outputFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let values = try metrics(["--quick", "--out", out.path])
        // Boosting and the forest beat one tree on fresh rows; boosting finds the signal features.
        let tree = try #require(values["tree_accuracy"] as? Double)
        #expect((values["forest_accuracy"] as? Double ?? 0) > tree)
        #expect((values["boosting_accuracy"] as? Double ?? 0) > tree)
        #expect((values["boosting_signal_features_in_top10"] as? Int ?? 0) >= 8)
        for file in ["feature_importance.png", "boosting_loss.png", "tree.txt", "boundaries.png"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file) missing")
        }
        let dump = try String(contentsOf: out.appendingPathComponent("tree.txt"), encoding: .utf8)
        #expect(dump.contains("|--- x"))
    }

    @Test(arguments: ["gbdt", "forest", "tree"])
    func csvClassificationIsCrossValidated(_ model: String) throws {
        let out = outputFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        // XOR of the signs of two features, with a third feature of noise: no linear model solves it.
        var generator = RandomGenerator(seed: 9)
        var lines = ["a,b,noise,label"]
        for _ in 0..<400 {
            let a = generator.normal(mean: 0, std: 1), b = generator.normal(mean: 0, std: 1)
            lines.append("\(a),\(b),\(generator.normal(mean: 0, std: 1)),\((a > 0) != (b > 0) ? "odd" : "even")")
        }
        let path = out.appendingPathComponent("xor.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let values = try metrics(["--csv", path, "--target", "label", "--model", model, "--cv", "3", "--out", out.path])
        #expect((values["cv_accuracy_mean"] as? Double ?? 0) > 0.85)
        let folds = try #require(values["cv_accuracy_per_fold"] as? [Double])
        #expect(folds.count == 3)
        #expect(abs(folds.reduce(0, +) / 3 - (values["cv_accuracy_mean"] as? Double ?? 0)) < 1e-9)
        #expect((values["accuracy"] as? Double ?? 0) > 0.85)
        for file in ["confusion_matrix.png", "roc_curve.png", "feature_importance.png"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file) missing")
        }
    }

    @Test func realIrisCrossValidates() throws {
        guard let root = ProcessInfo.processInfo.environment["MLLAB_DATA"], !root.isEmpty,
              let path = DataLocator(roots: [root]).file("small/iris.csv") else { return }
        let out = outputFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let values = try metrics(["--csv", path, "--target", "target", "--cv", "5", "--out", out.path])
        // scikit-learn's HistGradientBoostingClassifier() scores 0.9467 under the same 5 folds.
        #expect((values["cv_accuracy_mean"] as? Double ?? 0) >= 0.9367)
    }
}
