// The student edition: a copy of the package in a new folder in which every
// exercise region of Sources/ (ExerciseRegions.swift) is replaced by its stub.
// Everything else is copied as it is (tests, labs, notebooks, data notes), so
// the copy builds, its labs run where they do not reach an exercise, and its
// grading test targets show which exercises are still to do. Build products,
// outputs and version control are left behind: .build, .build-*, .git,
// .swiftpm, lab-output, notebook-output and Package.resolved.
import Foundation

public enum StudentEdition {
    static let leftBehind: Set<String> = [".build", ".git", ".swiftpm", "lab-output", "notebook-output", "Package.resolved"]

    /// Writes the student edition of the package at `root` into `destination` (new or empty); returns the stubbed regions.
    @discardableResult
    public static func make(from root: URL, into destination: URL) throws -> [ExerciseRegion] {
        let files = FileManager.default
        let regions = try ExerciseRegions.all(inPackage: root)
        if files.fileExists(atPath: destination.path) {
            guard try files.contentsOfDirectory(atPath: destination.path).isEmpty else {
                throw CourseError("\(destination.path) exists and is not empty; choose a new folder")
            }
        } else {
            try files.createDirectory(at: destination, withIntermediateDirectories: true)
        }
        let resolvedRoot = root.standardizedFileURL.resolvingSymlinksInPath().path
        let resolvedDestination = destination.standardizedFileURL.resolvingSymlinksInPath().path
        guard !(resolvedDestination + "/").hasPrefix(resolvedRoot + "/") else {
            throw CourseError("the student edition must go outside the package (\(resolvedRoot))")
        }
        for name in try files.contentsOfDirectory(atPath: root.path).sorted()
        where !leftBehind.contains(name) && !name.hasPrefix(".build-") {
            try files.copyItem(at: root.appendingPathComponent(name), to: destination.appendingPathComponent(name))
        }
        for file in Set(regions.map(\.file)).sorted() {
            let url = destination.appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            try Data(try ExerciseRegions.stubbed(text, file: file).utf8).write(to: url, options: .atomic)
        }
        return regions
    }
}

/// A course command that cannot go on, in one line.
public struct CourseError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
