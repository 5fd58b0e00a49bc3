// lab-optimizers' command line: bad input is rejected with an error, the usage
// and a non-zero exit code; `moons --quick` trains the two-moons classifier with
// every optimizer and writes its report and plots.
import ArgumentParser
import Foundation
import Testing
@testable import lab_optimizers
import LabKit

@Suite struct LabOptimizersTests {
    static let badArguments: [[String]] = [
        ["--bogus"], ["nosuchsurface"], ["--steps", "0"], ["--steps", "-5"], ["--steps", "many"],
        ["--threads", "0"], ["--seed", "-1"],
    ]

    @Test(arguments: badArguments)
    func rejectsBadInput(_ arguments: [String]) throws {
        let result = try #require(rejection(LabOptimizers.self, arguments))
        #expect(result.code != 0)
        #expect(result.message.hasPrefix("Error: "))
        #expect(result.message.contains("Usage: lab-optimizers"))
    }

    @Test func goodInputParses() {
        #expect(rejection(LabOptimizers.self, ["moons", "--quick", "--steps", "10", "--seed", "2"]) == nil)
        #expect(rejection(LabOptimizers.self, ["rosenbrock"]) == nil)
    }

    @Test func quickMoonsRunWritesItsReportAndPlots() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("lab-optimizers-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        var lab = try LabOptimizers.parseAsRoot(["moons", "--quick", "--out", out.path, "--threads", "1"])
        try lab.run()
        ComputeThreads.set(ProcessInfo.processInfo.activeProcessorCount)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json"))) as? [String: Any]
        let metrics = try #require(report?["metrics"] as? [String: Any])
        #expect(report?["lab"] as? String == "optimizers")
        // Measured with the default seed and --quick (200 points, 1500 steps): SGD 0.98,
        // momentum 0.98, RMSProp 0.99, Adam 0.99.
        for method in ["sgd", "momentum", "rmsprop", "adam"] {
            let accuracy = try #require(metrics["moons_\(method)_accuracy"] as? Double)
            #expect(accuracy >= 0.95, "\(method): accuracy \(accuracy)")
            let loss = try #require(metrics["moons_\(method)_loss"] as? Double)
            #expect(loss < 0.1, "\(method): loss \(loss)")
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("moons_\(method).png").path))
        }
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("moons_loss.png").path))
        // Only the moons ran: no surface plots.
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("rosenbrock_paths.png").path))
    }
}
