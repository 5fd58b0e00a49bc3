// mllab grade: runs the grading test targets (Tests/Phase*/) of a package and
// writes grade.md, grade.json and grade.xml (Course's GradeReport).
//
// One `swift test` runs them all and writes an xUnit report. A stubbed
// exercise stops the test process (fatalError), which leaves no report; then
// each graded test runs on its own (`--skip-build`, the bundle is built), so
// one stub costs only the tests that reach it.
import ArgumentParser
import Course
import Foundation

struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Run the phases' grading test targets and write grade.md, grade.json and grade.xml (JUnit).")

    @OptionGroup var package: PackageOptions
    @Option(help: "Folder for the grade files (default: grade-output).") var out: String = "grade-output"
    @Option(name: .customLong("phase"),
            help: "Grade only this phase: its number (3) or its test target (Phase03ClassicalML); repeat for several.")
    var onlyPhases: [String] = []

    func run() throws {
        let root = package.root
        let everyTest = try GradedTests.all(inPackage: root)
        guard !everyTest.isEmpty else { throw MLLabError("no graded tests under \(root.path)/Tests/Phase*") }
        let tests: [GradedTest]
        do { tests = try GradedTests.select(everyTest, phases: onlyPhases) } catch let error as GradedTests.UnknownPhase { throw MLLabError(error.description) }
        let phases = Array(Set(tests.map(\.phase))).sorted()
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let xunit = folder.appendingPathComponent("xunit.xml")
        let written = xunit.deletingPathExtension().path + "-swift-testing.xml"
        for stale in [xunit.path, written] { try? FileManager.default.removeItem(atPath: stale) }

        FileHandle.standardError.write(Data("grading \(tests.count) tests in \(phases.joined(separator: ", "))\n".utf8))
        let together = try swiftTest(root, ["--filter", "^(" + phases.joined(separator: "|") + ")\\.", "--xunit-output", xunit.path])
        var passed: [String: Bool] = [:]
        if together.crashed == false, let report = try? String(contentsOfFile: written, encoding: .utf8) {
            passed = XUnitResults.outcomes(report)
        }
        let missing = tests.filter { passed[$0.identifier] == nil }
        if !missing.isEmpty {
            FileHandle.standardError.write(Data("the test run stopped early (a stub?); running \(missing.count) tests one by one\n".utf8))
            let single = folder.appendingPathComponent("xunit-single.xml")
            let singleWritten = single.deletingPathExtension().path + "-swift-testing.xml"
            for test in missing {
                try? FileManager.default.removeItem(atPath: singleWritten)
                let run = try swiftTest(root, ["--skip-build", "--filter", test.filterPattern, "--xunit-output", single.path])
                // Passed only if the test ran and its report says so: a filter that matched nothing
                // also exits 0, and a stub's crash leaves no report.
                let report = try? String(contentsOfFile: singleWritten, encoding: .utf8)
                passed[test.identifier] = run.status == 0 && report.flatMap { XUnitResults.outcomes($0)[test.identifier] } == true
            }
            for leftover in [single.path, singleWritten] { try? FileManager.default.removeItem(atPath: leftover) }
        }
        let report = GradeReport(results: tests.map { GradeReport.TestResult(test: $0, passed: passed[$0.identifier] ?? false) })
        try report.write(to: folder)
        print(report.markdown)
        print("wrote \(folder.path)/grade.md, grade.json and grade.xml")
    }

    /// Runs `swift test -c release` in the package with `arguments`; its output goes to standard error.
    func swiftTest(_ root: URL, _ arguments: [String]) throws -> (status: Int32, crashed: Bool) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "test", "-c", "release", "--package-path", root.path] + arguments
        process.standardOutput = FileHandle.standardError
        // A stub's fatalError would start Swift's backtracer, which can keep the test's output
        // pipes open long after the crash; the message of the stub is all a grade needs.
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal || process.terminationStatus > 1)
    }
}
