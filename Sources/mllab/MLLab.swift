// mllab: the course's commands.
//
//   mllab notebook list                          one notebook a line, its name first
//   mllab notebook run NAME [--quick] [--out D]  runs a notebook (figures into D)
//   mllab notebook render NAME [--quick] [--out D]
//                                                runs it and writes D/NAME.md, each cell's
//                                                code, output and figures (D/NAME/*.png)
//
//   mllab student-edition DIR                    the package with every exercise stubbed, in DIR
//   mllab grade [--package D] [--out D]          runs the phases' grading tests: grade.md, .json, .xml
//
// Notebooks live in Notebooks-as-scripts/<NAME>/main.swift and are built as the
// executables notebook-<NAME>, next to this one (swift build -c release).
import ArgumentParser
import Foundation

@main
struct MLLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mllab",
        abstract: "MLLab's course commands: notebooks, the student edition and grading.",
        subcommands: [NotebookCommand.self, StudentEditionCommand.self, GradeCommand.self])
}

/// The package whose notebooks a command works on (default: the current folder).
struct PackageOptions: ParsableArguments {
    @Option(help: "The MLLab package's root folder (default: the current folder).")
    var package: String = "."

    var root: URL { URL(fileURLWithPath: package, isDirectory: true).standardizedFileURL }

    func validate() throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path),
              FileManager.default.fileExists(atPath: root.appendingPathComponent("Notebooks-as-scripts").path, isDirectory: &isFolder),
              isFolder.boolValue else {
            throw ValidationError("\(root.path) is not an MLLab package (no Package.swift and Notebooks-as-scripts/ there); pass --package")
        }
    }
}

/// A failure a command reports as one line and a non-zero exit.
struct MLLabError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
