// The labs' and the bench's command lines: bad input is rejected with a
// one-line error, the usage, and a non-zero exit code; good input runs end to end.
import ArgumentParser
import Foundation
import Testing
@testable import bench
@testable import lab_tensors
import LabKit

/// The error, message and exit code a command gives for `arguments`, or nil if they parse.
func rejection<C: ParsableCommand>(_ command: C.Type, _ arguments: [String]) -> (message: String, code: Int32)? {
    do {
        _ = try C.parseAsRoot(arguments)
        return nil
    } catch {
        return (C.fullMessage(for: error), C.exitCode(for: error).rawValue)
    }
}

@Suite struct CommandLineTests {
    static let badLabArguments: [[String]] = [
        ["--bogus"], ["--threads", "0"], ["--threads", "two"], ["--sizes", "12,x"], ["--sizes", "0"],
        ["nosuchmode"], ["--naive-max", "-1"], ["--vectors", "3"], ["--seed", "-3"],
    ]
    static let badBenchArguments: [[String]] = [
        ["--bogus"], ["--only", "W99"], ["--threads", "0"], ["--threads", "abc"], ["--reps", "0"],
    ]

    @Test(arguments: badLabArguments)
    func labTensorsRejectsBadInput(_ arguments: [String]) throws {
        let result = try #require(rejection(LabTensors.self, arguments))
        #expect(result.code != 0)
        #expect(result.message.hasPrefix("Error: "))
        #expect(result.message.contains("Usage: lab-tensors"))
    }

    @Test(arguments: badBenchArguments)
    func benchRejectsBadInput(_ arguments: [String]) throws {
        let result = try #require(rejection(Bench.self, arguments))
        #expect(result.code != 0)
        #expect(result.message.hasPrefix("Error: "))
        #expect(result.message.contains("Usage: bench"))
    }

    @Test func goodInputParses() {
        #expect(rejection(LabTensors.self, ["shootout", "--quick", "--sizes", "32,64", "--seed", "3"]) == nil)
        #expect(rejection(Bench.self, ["--only", "w1,W2", "--threads", "1", "--quick"]) == nil)
    }

    @Test func labTensorsWritesItsReport() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("lab-tensors-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        var lab = try LabTensors.parseAsRoot(["all", "--quick", "--sizes", "32,64", "--vectors", "500",
                                              "--out", out.path, "--threads", "1"])
        try lab.run()
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json"))) as? [String: Any]
        let metrics = try #require(report?["metrics"] as? [String: Any])
        #expect(report?["lab"] as? String == "tensors")
        #expect(report?["data"] as? String == "built-in")
        #expect((metrics["recall_at_1"] as? Double ?? 0) > 0.8)
        #expect((metrics["gflops_simd_n64"] as? Double ?? 0) > 0)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("gemm_gflops.png").path))
        ComputeThreads.set(ProcessInfo.processInfo.activeProcessorCount)
    }

    @Test func benchRecordsFollowTheWorkloadFormat() throws {
        let records = W2RowKernels.run(n: 64, threads: 1, repetitions: 1)
        #expect(records.count == 2)
        for record in records {
            let line = try #require(JSONSerialization.jsonObject(with: Data(record.jsonLine.utf8)) as? [String: Any])
            #expect(line["workload"] as? String == "W2")
            #expect(line["impl"] as? String == "mllab")
            #expect((line["rate"] as? [String: Any])?["gb_per_s"] is Double)
            #expect(record.jsonLine.hasPrefix("{\"workload\": \"W2\", \"impl\": \"mllab\", \"threads\": 1, \"params\": "))
        }
    }
}
