// mllab student-edition DIR: writes the package with every exercise stubbed
// into DIR (Course's StudentEdition) and says what was stubbed.
import ArgumentParser
import Course
import Foundation

struct StudentEditionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "student-edition",
        abstract: "Copy the package into DIR with each exercise's body replaced by a stub that stops with \"exercise NAME not implemented yet\".")

    @OptionGroup var package: PackageOptions
    @Argument(help: "A new (or empty) folder outside the package.") var folder: String

    func run() throws {
        let destination = URL(fileURLWithPath: folder, isDirectory: true)
        let regions = try StudentEdition.make(from: package.root, into: destination)
        print("wrote the student edition to \(destination.standardizedFileURL.path) with \(regions.count) exercises stubbed:")
        for region in regions { print("  \(region.name)\t\(region.file):\(region.beginLine)") }
        print("build it with `swift build -c release`, grade it with `mllab grade --package \(folder)`")
    }
}
