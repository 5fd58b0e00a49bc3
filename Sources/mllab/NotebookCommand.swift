// mllab notebook list|run|render: finds a notebook's source and its built
// executable, runs it, and (render) turns the run into a Markdown page
// through NotebookKit's NotebookSource and NotebookPage.
import ArgumentParser
import Foundation
import NotebookKit

struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "List, run or render the notebooks in Notebooks-as-scripts/.",
        subcommands: [List.self, Run.self, Render.self])

    /// A notebook: its folder's name, its source and its executable.
    struct Entry {
        let name: String
        let source: URL

        var executableName: String { "notebook-\(name)" }

        /// The built executable, next to mllab's own (both come from `swift build -c release`).
        func executable() throws -> URL {
            let folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            let url = folder.appendingPathComponent(executableName)
            guard FileManager.default.isExecutableFile(atPath: url.path) else {
                throw MLLabError("\(url.path) is not built; run: swift build -c release --product \(executableName)")
            }
            return url
        }

        func parsed() throws -> NotebookSource {
            let text: String
            do { text = try String(contentsOf: source, encoding: .utf8) } catch {
                throw MLLabError("cannot read \(source.path): \(error.localizedDescription)")
            }
            return try NotebookSource(text: text, file: source.path)
        }
    }

    /// Every notebook of the package, in name order (folders with a main.swift).
    static func entries(in root: URL) throws -> [Entry] {
        let folder = root.appendingPathComponent("Notebooks-as-scripts")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        return names.compactMap { name in
            let source = folder.appendingPathComponent(name).appendingPathComponent("main.swift")
            return FileManager.default.fileExists(atPath: source.path) ? Entry(name: name, source: source) : nil
        }
    }

    static func entry(_ name: String, in root: URL) throws -> Entry {
        let all = try entries(in: root)
        guard let found = all.first(where: { $0.name == name }) else {
            throw ValidationError("no notebook '\(name)'; there are: \(all.map(\.name).joined(separator: ", "))")
        }
        return found
    }

    /// Runs `executable` with `arguments` and `environment` added; returns its standard output when `capture`.
    static func launch(_ executable: URL, arguments: [String], environment: [String: String], capture: Bool) throws -> String {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        if capture { process.standardOutput = pipe }
        try process.run()
        let data = capture ? pipe.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw MLLabError("\(executable.lastPathComponent) exited with status \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One notebook a line: its name, then its title.")
        @OptionGroup var package: PackageOptions

        func run() throws {
            for entry in try NotebookCommand.entries(in: package.root) {
                print("\(entry.name)\t\(try entry.parsed().title ?? "")")
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a notebook; its figures go to --out.")
        @OptionGroup var package: PackageOptions
        @Argument(help: "The notebook's name (see `mllab notebook list`).") var name: String
        @Flag(help: "The small setting that CI runs.") var quick = false
        @Option(help: "Folder for the figures (default: notebook-output/NAME).") var out: String?

        func run() throws {
            let entry = try NotebookCommand.entry(name, in: package.root)
            _ = try entry.parsed()   // a malformed notebook is reported before it runs
            _ = try NotebookCommand.launch(try entry.executable(), arguments: quick ? ["--quick"] : [],
                                           environment: ["MLLAB_NOTEBOOK_OUT": out ?? "notebook-output/\(name)"], capture: false)
        }
    }

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a notebook and write it as Markdown: each cell's code, printed output and figures.")
        @OptionGroup var package: PackageOptions
        @Argument(help: "The notebook's name (see `mllab notebook list`).") var name: String
        @Flag(help: "The small setting that CI runs.") var quick = false
        @Option(help: "Folder for NAME.md and NAME/*.png (default: Notebooks-as-scripts/rendered in the package).") var out: String?

        func run() throws {
            let entry = try NotebookCommand.entry(name, in: package.root)
            let source = try entry.parsed()
            let folder = out.map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? package.root.appendingPathComponent("Notebooks-as-scripts/rendered", isDirectory: true)
            let figures = folder.appendingPathComponent(name, isDirectory: true)
            try? FileManager.default.removeItem(at: figures)   // no stale figures from an earlier render
            try FileManager.default.createDirectory(at: figures, withIntermediateDirectories: true)
            let output = try NotebookCommand.launch(
                try entry.executable(), arguments: quick ? ["--quick"] : [],
                environment: ["MLLAB_NOTEBOOK_RENDER": "1", "MLLAB_NOTEBOOK_OUT": figures.path], capture: true)
            let page = try NotebookPage.markdown(source: source, output: output, figureFolder: name,
                                                 origin: "mllab notebook render \(name)\(quick ? " --quick" : "")")
            let url = folder.appendingPathComponent("\(name).md")
            try Data(page.utf8).write(to: url, options: .atomic)
            print("wrote \(url.path) (\(source.codeCells.count) code cells)")
        }
    }
}
