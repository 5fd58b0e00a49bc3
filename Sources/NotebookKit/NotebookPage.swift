// A rendered notebook: its cells, each code cell followed by what it printed
// and the figures it drew, as one Markdown page that reads like a Jupyter
// notebook in any Markdown viewer.
//
// The output of a run (standard output, captured) is cut at the cell markers
// NotebookRuntime.swift prints: what comes before the first marker belongs to
// the preamble, what follows the k-th marker to the k-th code cell. A figure
// marker inside a cell's output becomes an image link to the figure's file.
import Foundation

/// The output of one code cell: its printed text and the figures it showed.
public struct CellOutput: Equatable, Sendable {
    public var text: [String] = []
    public var figures: [String] = []
}

public enum NotebookPage {
    /// Splits a run's standard output into the preamble's output and each code cell's.
    public static func outputs(of output: String, codeCells: Int) throws -> (preamble: CellOutput, cells: [CellOutput]) {
        var preamble = CellOutput(), cells: [CellOutput] = []
        for line in output.components(separatedBy: "\n") {
            if line == Notebook.cellMarker { cells.append(CellOutput()); continue }
            if line.hasPrefix(Notebook.figureMarker + " ") {
                let name = String(line.dropFirst(Notebook.figureMarker.count + 1))
                if cells.isEmpty { preamble.figures.append(name) } else { cells[cells.count - 1].figures.append(name) }
                continue
            }
            if cells.isEmpty { preamble.text.append(line) } else { cells[cells.count - 1].text.append(line) }
        }
        guard cells.count == codeCells else {
            throw NotebookPageError.cellCount(ran: cells.count, expected: codeCells)
        }
        func trimmed(_ o: CellOutput) -> CellOutput {
            var o = o
            while o.text.last?.isEmpty == true { o.text.removeLast() }
            while o.text.first?.isEmpty == true { o.text.removeFirst() }
            return o
        }
        return (trimmed(preamble), cells.map(trimmed))
    }

    /// The Markdown page of `source` with the outputs of a run; figures are linked as `figureFolder/<name>`.
    public static func markdown(source: NotebookSource, output: String, figureFolder: String, origin: String) throws -> String {
        let (preamble, outputs) = try Self.outputs(of: output, codeCells: source.codeCells.count)
        var page = "<!-- Rendered by `\(origin)`; edit the notebook's source, not this page. -->\n\n"
        var next = 0
        for cell in source.cells {
            switch cell.kind {
            case .markdown:
                page += cell.lines.joined(separator: "\n") + "\n\n"
            case .preamble, .code:
                page += "```swift\n" + cell.lines.joined(separator: "\n") + "\n```\n\n"
                let output: CellOutput
                if cell.kind == .preamble { output = preamble } else { output = outputs[next]; next += 1 }
                if !output.text.isEmpty {
                    page += "```text\n" + output.text.joined(separator: "\n") + "\n```\n\n"
                }
                for figure in output.figures { page += "![\(figure)](\(figureFolder)/\(figure))\n\n" }
            }
        }
        return page
    }
}

public enum NotebookPageError: Error, Equatable, CustomStringConvertible {
    case cellCount(ran: Int, expected: Int)

    public var description: String {
        switch self {
        case .cellCount(let ran, let expected):
            return "the run opened \(ran) cells but the source has \(expected) code cells (did it stop early, or call cell() twice in one cell?)"
        }
    }
}
