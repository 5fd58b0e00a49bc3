// The graded tests of a package: every @Test in a grading test target
// (Tests/Phase*/, one target per phase), with the exercise it grades and its
// points, read from the test's traits in the source:
//
//   @Test("GAE on one environment", .exercise("gae", points: 2))   counts for exercise gae
//   @Test("FrozenLake's table", .points(1))                        counts for the phase's core
//   @Test("…")                                                     core, 1 point
//
// Both traits are defined in Tests/GradingSupport (GradingTraits.swift). The
// test's identity is what `swift test --filter` and the xUnit report use:
// Target.Suite/function().
import Foundation

/// One graded test.
public struct GradedTest: Equatable, Sendable {
    /// The test target, named for its phase (e.g. Phase16ReinforcementLearning).
    public var phase: String
    public var suite: String
    public var function: String
    /// The exercise it grades, or nil for the phase's core.
    public var exercise: String?
    public var points: Int

    /// Target.Suite/function(), as swift test names it.
    public var identifier: String { "\(phase).\(suite)/\(function)()" }

    /// The `swift test --filter` pattern that selects this test alone. Swift Testing matches the
    /// pattern against an ID that goes on after the function with "/File.swift:line:column", so
    /// the pattern ends at a "/" or at the end, not at the end only (which matches nothing).
    public var filterPattern: String {
        "^" + NSRegularExpression.escapedPattern(for: identifier) + "(/|$)"
    }
}

public enum GradedTests {
    /// The grading test targets of the package at `root`: the folders Tests/Phase*, sorted.
    public static func phases(inPackage root: URL) throws -> [String] {
        let tests = root.appendingPathComponent("Tests")
        return try FileManager.default.contentsOfDirectory(atPath: tests.path)
            .filter { $0.hasPrefix("Phase") }.sorted()
    }

    /// The graded tests in one test target's sources.
    public static func tests(inPhase phase: String, text: String) -> [GradedTest] {
        var result: [GradedTest] = [], suite = "", pendingAttribute: String?
        let lines = text.components(separatedBy: "\n")
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let name = declaredName(trimmed, after: "struct ") { suite = name }
            if trimmed.hasPrefix("@Test") { pendingAttribute = trimmed }
            if var attribute = pendingAttribute {
                // The function is declared on the next lines, or after the attribute on its own line.
                let function = declaredName(trimmed, after: "func ")
                    ?? firstMatch(#"(?:@Test|\))\s*func\s+([A-Za-z_][A-Za-z0-9_]*)"#, in: trimmed)
                if let function {
                    let exercise = firstMatch(#"\.exercise\("([A-Za-z0-9-]+)""#, in: attribute)
                    let points = (firstMatch(#"points:\s*(\d+)"#, in: attribute) ?? firstMatch(#"\.points\((\d+)\)"#, in: attribute))
                        .flatMap { Int($0) } ?? 1
                    result.append(GradedTest(phase: phase, suite: suite, function: function, exercise: exercise, points: points))
                    pendingAttribute = nil
                } else if !trimmed.hasPrefix("@Test") {
                    attribute += " " + trimmed   // an attribute over several lines
                    pendingAttribute = attribute
                }
            }
        }
        return result
    }

    /// Every graded test of the package.
    public static func all(inPackage root: URL) throws -> [GradedTest] {
        var result: [GradedTest] = []
        for phase in try phases(inPackage: root) {
            let folder = root.appendingPathComponent("Tests").appendingPathComponent(phase)
            for file in ExerciseRegions.swiftFiles(under: folder) {
                result += tests(inPhase: phase, text: try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8))
            }
        }
        return result
    }

    /// A phase asked for that the package does not have.
    public struct UnknownPhase: Error, CustomStringConvertible {
        public var request: String, known: [String]
        public var description: String { "no phase \(request); the phases are \(known.joined(separator: ", ")) (or their numbers)" }
    }

    /// The tests of the phases named in `requests`, each a test target (Phase03ClassicalML) or a
    /// phase number (3 picks the targets named Phase03…); every test when `requests` is empty.
    public static func select(_ tests: [GradedTest], phases requests: [String]) throws -> [GradedTest] {
        if requests.isEmpty { return tests }
        let known = Array(Set(tests.map(\.phase))).sorted()
        var chosen: Set<String> = []
        for request in requests {
            let numbered = Int(request).map { String(format: "Phase%02d", $0) }
            let matches = known.filter { phase in phase == request || numbered.map { phase.hasPrefix($0) } == true }
            guard !matches.isEmpty else { throw UnknownPhase(request: request, known: known) }
            chosen.formUnion(matches)
        }
        return tests.filter { chosen.contains($0.phase) }
    }

    /// The identifier after `keyword` at the start of a declaration ("struct GAETests {" → "GAETests").
    static func declaredName(_ line: String, after keyword: String) -> String? {
        var rest = Substring(line)
        for modifier in ["public ", "private ", "fileprivate ", "internal ", "static ", "mutating ", "final "] where rest.hasPrefix(modifier) {
            rest = rest.dropFirst(modifier.count)
        }
        guard rest.hasPrefix(keyword) else { return nil }
        let name = rest.dropFirst(keyword.count).prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return name.isEmpty ? nil : String(name)
    }

    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }
}
