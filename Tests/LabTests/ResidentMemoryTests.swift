// A long training run's memory stays flat: `lab-gpt train` runs 1 200 steps in
// a child process (evaluation and checkpoint only at the end), and each time its
// progress bar prints a line (every 5 s, as standard error is a pipe) the test
// reads the child's resident set size, VmRSS in /proc/<pid>/status. After the
// first line (the heap, the scratch pools and the worker threads have reached
// their working size by then) it must not grow by more than 4 MiB. A graph
// kept alive from one step to the next, or a buffer allocated per step and
// never freed, grows it by the size of a batch's activations (megabytes) per
// step; memory that is reused from step to step keeps it to a few pages.
import Foundation
import Testing

@Suite("Resident memory of a long run", .serialized)
struct ResidentMemoryTests {
    /// Kibibytes of resident memory of process `pid`, from /proc (nil when it has ended).
    static func residentKiB(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
    }

    @Test("lab-gpt train over 1 200 steps: resident memory grows by at most 4 MiB after the first progress line",
          .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status"), "reads /proc (Linux)"))
    func trainingKeepsResidentMemoryFlat() throws {
        let lab = try #require(CheckpointKillTests.executable("lab-gpt"), "lab-gpt is not built beside the test binary")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mllab-rss-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let process = Process()
        process.executableURL = lab
        process.arguments = ["train", "--quick", "--steps", "1200", "--batch-size", "2", "--eval-interval", "1200",
                             "--threads", "2", "--out", folder.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()

        // One sample per progress line ("training  [###...]  420/1200 ..."), taken as the line arrives.
        var samples: [(step: Int, kib: Int)] = []
        var pending = ""
        while true {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }   // end of the child's standard error
            pending += String(decoding: data, as: UTF8.self)
            while let newline = pending.firstIndex(of: "\n") {
                let line = pending[..<newline]
                pending = String(pending[pending.index(after: newline)...])
                guard let fraction = line.split(separator: " ").first(where: { $0.hasSuffix("/1200") }),
                      let step = Int(fraction.dropLast(5)), step < 1200,
                      let kib = Self.residentKiB(of: process.processIdentifier) else { continue }
                samples.append((step, kib))
            }
        }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "lab-gpt train failed")
        try #require(samples.count >= 3, "too few progress lines to compare: \(samples)")
        let first = samples[0], growth = samples.dropFirst().map { $0.kib - first.kib }.max()!
        #expect(growth <= 4 * 1024,
                "resident memory grew by \(growth) KiB after step \(first.step): \(samples.map { "\($0.step): \($0.kib) KiB" })")
    }
}
