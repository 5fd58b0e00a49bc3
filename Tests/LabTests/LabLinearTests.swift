// lab-linear end to end: the built-in tours write their report and plots, a
// CSV file is fitted and cross-validated, and a bad CSV file stops with an
// error that names the line and the column.
import ArgumentParser
import Foundation
import Testing
@testable import lab_linear
import LabKit

@Suite struct LabLinearTests {
    /// A fresh output folder, removed by the caller.
    func outputFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("lab-linear-test-\(UUID().uuidString)")
    }

    /// Writes `text` as a CSV file in `folder` and returns its path.
    func csv(_ text: String, in folder: URL) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("data.csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Runs the lab with `arguments` and returns report.json's contents.
    func run(_ arguments: [String]) throws -> [String: Any] {
        var lab = try LabLinear.parseAsRoot(arguments)
        try lab.run()
        let out = try #require(arguments.firstIndex(of: "--out").map { arguments[$0 + 1] })
        let data = try Data(contentsOf: URL(fileURLWithPath: out).appendingPathComponent("report.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The message and exit code the lab gives for `arguments` when parsing or running fails.
    func failure(_ arguments: [String]) -> (message: String, code: Int32)? {
        do {
            var lab = try LabLinear.parseAsRoot(arguments)
            try lab.run()
            return nil
        } catch {
            return (LabLinear.fullMessage(for: error), LabLinear.exitCode(for: error).rawValue)
        }
    }

    @Test(arguments: [["--bogus"], ["nosuchmode"], ["--alpha", "-1"], ["--test-size", "1.5"], ["--cv", "1"],
                      ["--model", "linear"], ["--csv", "x.csv", "--model", "nosuchmodel"]])
    func rejectsBadArguments(_ arguments: [String]) throws {
        let result = try #require(failure(arguments))
        #expect(result.code != 0)
        #expect(result.message.hasPrefix("Error: "))
    }

    @Test func builtInToursWriteReportAndPlots() throws {
        let out = outputFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let report = try run(["--quick", "--out", out.path, "--threads", "1"])
        let metrics = try #require(report["metrics"] as? [String: Any])
        #expect(report["lab"] as? String == "linear")
        #expect(report["data"] as? String == "built-in")
        // Gradient descent lands on the closed-form weights; Lasso zeroes irrelevant weights; the polynomial
        // boundary beats the straight one on the moons.
        #expect((metrics["regression_gd_batch_weight_gap"] as? Double ?? 1) < 1e-3)
        #expect((metrics["lasso_irrelevant_zeroed"] as? Int ?? 0) >= 10)
        #expect((metrics["moons_polynomial_accuracy"] as? Double ?? 0) > (metrics["moons_linear_accuracy"] as? Double ?? 1))
        for plot in ["regression_gd_loss.png", "lasso_path.png", "ridge_path.png", "moons_polynomial_boundary.png",
                     "blobs_softmax_boundary.png", "blobs_solver_loss.png"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(plot).path), "\(plot) missing")
        }
    }

    @Test func csvClassificationIsCrossValidatedAndPlotted() throws {
        let out = outputFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        // Two noisy Gaussian classes in 3 features, one of them text-coded as a category.
        var generator = RandomGenerator(seed: 5)
        var lines = ["a,b,colour,label"]
        for i in 0..<200 {
            let label = i % 2
            let shift = Float(label) * 2
            lines.append("\(generator.normal(mean: shift, std: 1)),\(generator.normal(mean: -shift, std: 1)),\(label == 0 ? "red" : (i % 3 == 0 ? "red" : "blue")),\(label == 0 ? "no" : "yes")")
        }
        let path = try csv(lines.joined(separator: "\n") + "\n", in: out)
        let report = try run(["--csv", path, "--target", "label", "--cv", "5", "--out", out.path])
        let metrics = try #require(report["metrics"] as? [String: Any])
        #expect(report["data"] as? String == path)
        #expect((metrics["accuracy"] as? Double ?? 0) > 0.85)
        #expect((metrics["cv_accuracy_mean"] as? Double ?? 0) > 0.85)
        #expect(metrics["cv_accuracy_std"] is Double)
        #expect(metrics["roc_auc"] is Double)
        for plot in ["confusion_matrix.png", "roc_curve.png", "coefficients.png", "loss_curve.png"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(plot).path), "\(plot) missing")
        }
    }

    @Test func csvRegressionReportsR2() throws {
        let out = outputFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let data = SyntheticRegression(count: 120, features: 3, noise: 0.1, intercept: 1, coefficientScale: 3, seed: 2)
        let x = data.x.scalars, y = data.y.scalars
        let lines = ["x0,x1,x2,y"] + (0..<120).map { i in "\(x[3 * i]),\(x[3 * i + 1]),\(x[3 * i + 2]),\(y[i])" }
        let path = try csv(lines.joined(separator: "\n") + "\n", in: out)
        let report = try run(["--csv", path, "--target", "y", "--cv", "3", "--out", out.path])
        let metrics = try #require(report["metrics"] as? [String: Any])
        #expect((metrics["r2"] as? Double ?? 0) > 0.99)
        #expect((metrics["cv_r2_mean"] as? Double ?? 0) > 0.99)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("predicted_vs_actual.png").path))
    }

    @Test func badCSVFilesNameTheLineAndColumn() throws {
        let out = outputFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let stray = try csv("age,income,label\n31,10,0\n42,12,1\n39,eleven,1\n25,9,0\n", in: out)
        let strayResult = try #require(failure(["--csv", stray, "--target", "label", "--out", out.path]))
        #expect(strayResult.code != 0)
        #expect(strayResult.message.contains("line 4, column 'income'"))
        #expect(strayResult.message.contains("eleven"))

        let unknown = try #require(failure(["--csv", stray,
                                            "--target", "outcome", "--out", out.path]))
        #expect(unknown.code != 0)
        #expect(unknown.message.contains("outcome"))

        let single = try csv("a,label\n1,yes\n2,yes\n3,yes\n", in: out)
        let singleResult = try #require(failure(["--csv", single, "--target", "label", "--out", out.path]))
        #expect(singleResult.code != 0)
        #expect(singleResult.message.contains("line 2, column 'label'"))
        #expect(singleResult.message.contains("two classes"))

        let missingFile = try #require(failure(["--csv", out.appendingPathComponent("none.csv").path, "--out", out.path]))
        #expect(missingFile.code != 0)
        #expect(missingFile.message.contains("no such file"))
    }

    @Test func realIrisCrossValidates() throws {
        guard let root = ProcessInfo.processInfo.environment["MLLAB_DATA"], !root.isEmpty,
              let path = DataLocator(roots: [root]).file("small/iris.csv") else { return }
        let out = outputFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let report = try run(["--csv", path, "--target", "target", "--cv", "5", "--out", out.path])
        let metrics = try #require(report["metrics"] as? [String: Any])
        // scikit-learn's StandardScaler + LogisticRegression() scores 0.960 under 5-fold cross-validation.
        #expect((metrics["cv_accuracy_mean"] as? Double ?? 0) >= 0.95)
    }
}
