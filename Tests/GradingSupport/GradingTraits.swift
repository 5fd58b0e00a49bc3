// The traits that make a test graded (Sources/Course/GradedTests.swift reads
// them from the source; `mllab grade` adds up the points):
//   @Test("…", .exercise("gae", points: 2))   the test grades exercise gae
//   @Test("…", .points(2))                    the test grades the phase's core
// A test with neither counts 1 point for the core.
import Testing

/// The exercise a test grades, and its points.
public struct Exercise: TestTrait {
    public let name: String
    public let points: Int
}

/// The points of a core test (one that grades no exercise).
public struct Points: TestTrait {
    public let value: Int
}

extension Trait where Self == Exercise {
    /// This test grades exercise `name` (a `// BEGIN EXERCISE name` region) and is worth `points`.
    public static func exercise(_ name: String, points: Int = 1) -> Exercise { Exercise(name: name, points: points) }
}

extension Trait where Self == Points {
    /// This core test is worth `value` points.
    public static func points(_ value: Int) -> Points { Points(value: value) }
}
