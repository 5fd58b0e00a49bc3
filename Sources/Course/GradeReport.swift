// A grade: for each phase, for each exercise (and the phase's core, the
// tests that grade no exercise), the points of the tests that passed out of
// the points of all of them; written three ways,
//   grade.md    a table a learner reads
//   grade.json  {"earned": …, "possible": …, "phases": [{"phase", "earned", "possible",
//               "exercises": [{"exercise", "earned", "possible", "tests": [{"test", "points", "passed"}]}]}]}
//   grade.xml   JUnit XML (one testsuite per phase, one testcase per test) for a course platform.
import Foundation

public struct GradeReport: Sendable {
    public struct TestResult: Sendable {
        public var test: GradedTest
        public var passed: Bool

        public init(test: GradedTest, passed: Bool) {
            self.test = test
            self.passed = passed
        }
    }

    public var results: [TestResult]

    public init(results: [TestResult]) { self.results = results }

    public static let core = "(core)"

    public var earned: Int { results.filter(\.passed).reduce(0) { $0 + $1.test.points } }
    public var possible: Int { results.reduce(0) { $0 + $1.test.points } }

    /// Phases in order, each with its exercises in order of first appearance (the core first).
    public var phases: [(phase: String, exercises: [(exercise: String, results: [TestResult])])] {
        var order: [String] = [], byPhase: [String: [TestResult]] = [:]
        for result in results {
            if byPhase[result.test.phase] == nil { order.append(result.test.phase) }
            byPhase[result.test.phase, default: []].append(result)
        }
        return order.map { phase in
            let phaseResults = byPhase[phase]!
            var names: [String] = phaseResults.contains { $0.test.exercise == nil } ? [Self.core] : []
            for r in phaseResults { if let e = r.test.exercise, !names.contains(e) { names.append(e) } }
            return (phase, names.map { name in (name, phaseResults.filter { ($0.test.exercise ?? Self.core) == name }) })
        }
    }

    static func points(_ results: [TestResult]) -> (earned: Int, possible: Int) {
        (results.filter(\.passed).reduce(0) { $0 + $1.test.points }, results.reduce(0) { $0 + $1.test.points })
    }

    public var markdown: String {
        var text = "# Grade: \(earned) / \(possible) points\n\n| phase | exercise | points | tests passed |\n|---|---|---|---|\n"
        for (phase, exercises) in phases {
            for (exercise, results) in exercises {
                let p = Self.points(results)
                text += "| \(phase) | \(exercise) | \(p.earned) / \(p.possible) | \(results.filter(\.passed).count) of \(results.count) |\n"
            }
        }
        let failed = results.filter { !$0.passed }
        if !failed.isEmpty {
            text += "\n## Failed tests\n\n" + failed.map { "- `\($0.test.identifier)` (\($0.test.exercise ?? Self.core), \($0.test.points) points)" }
                .joined(separator: "\n") + "\n"
        }
        return text
    }

    public var json: Data {
        func object(_ results: [TestResult]) -> [String: Any] {
            let p = Self.points(results)
            return ["earned": p.earned, "possible": p.possible]
        }
        let phaseObjects: [[String: Any]] = phases.map { phase, exercises in
            var entry = object(exercises.flatMap(\.results))
            entry["phase"] = phase
            entry["exercises"] = exercises.map { exercise, results -> [String: Any] in
                var e = object(results)
                e["exercise"] = exercise
                e["tests"] = results.map { ["test": $0.test.identifier, "points": $0.test.points, "passed": $0.passed] as [String: Any] }
                return e
            }
            return entry
        }
        let top: [String: Any] = ["earned": earned, "possible": possible, "phases": phaseObjects]
        return (try? JSONSerialization.data(withJSONObject: top, options: [.prettyPrinted, .sortedKeys])) ?? Data()
    }

    public var junitXML: String {
        func escaped(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"mllab grade\" tests=\"\(results.count)\" failures=\"\(results.filter { !$0.passed }.count)\">\n"
        for (phase, exercises) in phases {
            let all = exercises.flatMap(\.results)
            xml += "  <testsuite name=\"\(escaped(phase))\" tests=\"\(all.count)\" failures=\"\(all.filter { !$0.passed }.count)\">\n"
            for (exercise, results) in exercises {
                for r in results {
                    xml += "    <testcase classname=\"\(escaped(phase)).\(escaped(exercise))\" name=\"\(escaped(r.test.suite + "/" + r.test.function + "()"))\""
                    if r.passed {
                        xml += "/>\n"
                    } else {
                        let message = r.test.exercise.map { "exercise " + $0 + " not passing" } ?? "core test failed"
                        xml += ">\n      <failure message=\"\(escaped(message))\"/>\n    </testcase>\n"
                    }
                }
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    /// Writes grade.md, grade.json and grade.xml into `folder`.
    public func write(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(markdown.utf8).write(to: folder.appendingPathComponent("grade.md"), options: .atomic)
        try json.write(to: folder.appendingPathComponent("grade.json"), options: .atomic)
        try Data(junitXML.utf8).write(to: folder.appendingPathComponent("grade.xml"), options: .atomic)
    }
}
