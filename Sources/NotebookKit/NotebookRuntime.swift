// What a notebook calls while it runs (Notebooks-as-scripts/*/main.swift).
//
//   cell("2. broadcasting")        opens the next code cell: a header line when run
//                                  by hand, a marker when `mllab notebook render`
//                                  runs it, so each cell's output lands under its code
//   figure("loss.png") { url in … } writes a PNG into the notebook's output folder
//                                  and shows it inline in the rendered page
//   Notebook.isQuick               true with --quick: the small setting CI runs
//
// The renderer sets MLLAB_NOTEBOOK_RENDER=1 and MLLAB_NOTEBOOK_OUT=<folder>; the
// markers are lines starting with the ASCII record separator (U+001E), which
// no notebook prints by accident. In render mode standard output is
// line-buffered, so lines printed with `print` and lines written straight to
// the file handle (LabKit's Log) keep their order.
#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

public enum Notebook {
    /// The marker line that opens a code cell's output.
    public static let cellMarker = "\u{1E}mllab:cell"
    /// The marker line that shows a figure; the file's name follows after a space.
    public static let figureMarker = "\u{1E}mllab:figure"

    /// Whether `mllab notebook render` is running this notebook.
    public static var isRendering: Bool { ProcessInfo.processInfo.environment["MLLAB_NOTEBOOK_RENDER"] == "1" }

    /// The small setting: `--quick` on the command line (or MLLAB_NOTEBOOK_QUICK=1).
    public static var isQuick: Bool {
        CommandLine.arguments.dropFirst().contains("--quick") || ProcessInfo.processInfo.environment["MLLAB_NOTEBOOK_QUICK"] == "1"
    }

    /// Where figures go: MLLAB_NOTEBOOK_OUT, or notebook-output/<executable name>.
    public static var outputDirectory: URL {
        if let folder = ProcessInfo.processInfo.environment["MLLAB_NOTEBOOK_OUT"] {
            return URL(fileURLWithPath: folder, isDirectory: true)
        }
        let name = URL(fileURLWithPath: CommandLine.arguments[0]).lastPathComponent
        return URL(fileURLWithPath: "notebook-output/\(name)", isDirectory: true)
    }

    nonisolated(unsafe) private static var configured = false

    /// Line-buffers standard output when rendering, once.
    static func configureOutput() {
        guard !configured else { return }
        configured = true
        if isRendering { setvbuf(stdout, nil, _IOLBF, 0) }
    }
}

/// Opens the next code cell.
public func cell(_ title: String) {
    Notebook.configureOutput()
    if Notebook.isRendering {
        print(Notebook.cellMarker)
    } else {
        print("\n── \(title) " + String(repeating: "─", count: max(0, 70 - title.count)))
    }
}

/// Writes a figure named `name` (a .png file name) through `write` into the output folder and shows it.
public func figure(_ name: String, _ write: (URL) throws -> Void) throws {
    Notebook.configureOutput()
    let folder = Notebook.outputDirectory
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try write(url)
    print(Notebook.isRendering ? "\(Notebook.figureMarker) \(name)" : "[figure: \(url.path)]")
}
