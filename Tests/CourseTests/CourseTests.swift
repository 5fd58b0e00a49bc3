import Foundation
import Testing
@testable import Course

@Suite("Exercises, the student edition and grades")
struct CourseTests {
    static let source = """
    func double(_ x: Int) -> Int {
        // BEGIN EXERCISE double-it
        let twice = x * 2
        return twice
        // END EXERCISE
    }
    """

    @Test("A region is found with its lines; the stub keeps the signature and the markers")
    func stub() throws {
        let regions = try ExerciseRegions.regions(in: Self.source, file: "F.swift")
        #expect(regions == [ExerciseRegion(name: "double-it", file: "F.swift", beginLine: 2, endLine: 5)])
        let stubbed = try ExerciseRegions.stubbed(Self.source, file: "F.swift")
        #expect(stubbed == """
        func double(_ x: Int) -> Int {
            // BEGIN EXERCISE double-it
            fatalError("exercise double-it not implemented yet")
            // END EXERCISE
        }
        """)
        #expect(try ExerciseRegions.stubbed(stubbed, file: "F.swift") == stubbed)   // stubbing twice changes nothing
    }

    @Test("Unbalanced, nested or badly named markers are errors naming the file and line")
    func malformed() {
        #expect(throws: ExerciseError.unterminated(name: "a", file: "F", line: 1)) { try ExerciseRegions.regions(in: "// BEGIN EXERCISE a\n", file: "F") }
        #expect(throws: ExerciseError.endWithoutBegin(file: "F", line: 2)) { try ExerciseRegions.regions(in: "x\n// END EXERCISE\n", file: "F") }
        #expect(throws: ExerciseError.nested(name: "b", file: "F", line: 2)) {
            try ExerciseRegions.regions(in: "// BEGIN EXERCISE a\n// BEGIN EXERCISE b\n", file: "F")
        }
        #expect(throws: ExerciseError.badName(file: "F", line: 1)) { try ExerciseRegions.regions(in: "// BEGIN EXERCISE a b\n", file: "F") }
    }

    @Test("Graded tests are read from their traits: exercise and points, core tests 1 point by default")
    func catalog() {
        let text = """
        @Suite("x")
        struct GAETests {
            @Test("hand case", .exercise("gae", points: 2))
            func threeSteps() {}
            @Test("a core test",
                  .points(3))
            func table() throws {}
            @Test func plain() {}
        }
        """
        let tests = GradedTests.tests(inPhase: "Phase16RL", text: text)
        #expect(tests == [
            GradedTest(phase: "Phase16RL", suite: "GAETests", function: "threeSteps", exercise: "gae", points: 2),
            GradedTest(phase: "Phase16RL", suite: "GAETests", function: "table", exercise: nil, points: 3),
            GradedTest(phase: "Phase16RL", suite: "GAETests", function: "plain", exercise: nil, points: 1),
        ])
        #expect(tests[0].identifier == "Phase16RL.GAETests/threeSteps()")
    }

    @Test("A test's filter pattern selects it whether or not Swift Testing's ID goes on with its source location")
    func filterPattern() throws {
        let test = GradedTest(phase: "Phase16RL", suite: "GAETests", function: "threeSteps", exercise: "gae", points: 2)
        let regex = try NSRegularExpression(pattern: test.filterPattern)
        func matches(_ id: String) -> Bool { regex.firstMatch(in: id, range: NSRange(id.startIndex..., in: id)) != nil }
        #expect(matches("Phase16RL.GAETests/threeSteps()"))
        #expect(matches("Phase16RL.GAETests/threeSteps()/GAETests.swift:13:5"))
        #expect(!matches("Phase16RL.GAETests/threeStepsAgain()"))
        #expect(!matches("Phase16RLX.GAETests/threeSteps()"))
        #expect(!matches("Other.Phase16RL.GAETests/threeSteps()"))
    }

    @Test("--phase picks phases by test target or by number; an unknown phase is an error naming the known ones")
    func phaseSelection() throws {
        let tests = ["Phase03ClassicalML", "Phase10FineTuning", "Phase16ReinforcementLearning"].map {
            GradedTest(phase: $0, suite: "S", function: "f", exercise: nil, points: 1)
        }
        #expect(try GradedTests.select(tests, phases: []) == tests)
        #expect(try GradedTests.select(tests, phases: ["3"]).map(\.phase) == ["Phase03ClassicalML"])
        #expect(try GradedTests.select(tests, phases: ["16", "Phase10FineTuning"]).map(\.phase)
                == ["Phase10FineTuning", "Phase16ReinforcementLearning"])
        #expect(throws: GradedTests.UnknownPhase.self) { try GradedTests.select(tests, phases: ["1"]) }
        do {
            _ = try GradedTests.select(tests, phases: ["Phase99"])
        } catch {
            #expect("\(error)".contains("Phase10FineTuning"))
        }
    }

    @Test("xUnit outcomes: a failure child fails the test, a parameterised test passes only if every case does")
    func xunit() {
        let xml = """
        <testsuites><testsuite name="T">
        <testcase classname="P.S" name="a()" time="0.1" />
        <testcase classname="P.S" name="b()" time="0.1"><failure message="x" /></testcase>
        <testcase classname="P.S" name="c()" time="0.1"/>
        <testcase classname="P.S" name="c()" time="0.1"><failure message="y"/></testcase>
        </testsuite></testsuites>
        """
        #expect(XUnitResults.outcomes(xml) == ["P.S/a()": true, "P.S/b()": false, "P.S/c()": false])
    }

    @Test("A grade adds points per exercise and phase, and writes Markdown, JSON and JUnit XML that agree")
    func report() throws {
        let results = [
            GradeReport.TestResult(test: GradedTest(phase: "P", suite: "S", function: "core", exercise: nil, points: 1), passed: true),
            GradeReport.TestResult(test: GradedTest(phase: "P", suite: "S", function: "g1", exercise: "gae", points: 2), passed: true),
            GradeReport.TestResult(test: GradedTest(phase: "P", suite: "S", function: "g2", exercise: "gae", points: 1), passed: false),
        ]
        let report = GradeReport(results: results)
        #expect(report.earned == 3 && report.possible == 4)
        let json = try #require(try JSONSerialization.jsonObject(with: report.json) as? [String: Any])
        #expect(json["earned"] as? Int == 3 && json["possible"] as? Int == 4)
        let phase = try #require((json["phases"] as? [[String: Any]])?.first)
        let exercises = try #require(phase["exercises"] as? [[String: Any]])
        #expect(exercises.map { $0["exercise"] as? String } == ["(core)", "gae"])
        #expect(exercises[1]["earned"] as? Int == 2 && exercises[1]["possible"] as? Int == 3)
        #expect(report.markdown.contains("| P | gae | 2 / 3 | 1 of 2 |"))
        #expect(report.junitXML.contains("<testsuite name=\"P\" tests=\"3\" failures=\"1\">"))
        #expect(report.junitXML.contains("<testcase classname=\"P.gae\" name=\"S/g2()\">\n      <failure"))
    }

    @Test("The student edition copies the package, stubs its regions and leaves .build behind")
    func studentEdition() throws {
        let files = FileManager.default
        let root = files.temporaryDirectory.appendingPathComponent("course-\(UUID().uuidString)")
        let edition = files.temporaryDirectory.appendingPathComponent("course-student-\(UUID().uuidString)")
        defer { try? files.removeItem(at: root); try? files.removeItem(at: edition) }
        try files.createDirectory(at: root.appendingPathComponent("Sources/M"), withIntermediateDirectories: true)
        try files.createDirectory(at: root.appendingPathComponent(".build"), withIntermediateDirectories: true)
        try Data(Self.source.utf8).write(to: root.appendingPathComponent("Sources/M/F.swift"))
        try Data("// swift-tools-version:6.0".utf8).write(to: root.appendingPathComponent("Package.swift"))
        let regions = try StudentEdition.make(from: root, into: edition)
        #expect(regions.map(\.name) == ["double-it"])
        let copied = try String(contentsOf: edition.appendingPathComponent("Sources/M/F.swift"), encoding: .utf8)
        #expect(copied.contains("fatalError(\"exercise double-it not implemented yet\")") && !copied.contains("let twice"))
        #expect(files.fileExists(atPath: edition.appendingPathComponent("Package.swift").path))
        #expect(!files.fileExists(atPath: edition.appendingPathComponent(".build").path))
        #expect(throws: CourseError.self) { try StudentEdition.make(from: root, into: edition) }   // not empty any more
    }
}
