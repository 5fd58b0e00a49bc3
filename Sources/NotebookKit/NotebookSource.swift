// A notebook's source split into cells, in the "percent" format Jupytext
// reads for Python (`# %%`), written with Swift comments:
//
//   // Notebook 02: …            the preamble: the header comment and the imports
//   import Tensor
//   // %% [markdown]             a prose cell: every line a comment, Markdown inside
//   // ## Broadcasting
//   // Shapes line up from the right …
//   // %%                        a code cell; its first statement is cell("title")
//   cell("2. broadcasting")
//   print(prices * discount)
//
// The first statement of a code cell must be the `cell(…)` call
// (NotebookRuntime.swift): it is what tells the renderer where the cell's
// output starts, so a code cell without it is an error, not a silent merge.
import Foundation

/// One cell of a notebook.
public struct NotebookCell: Equatable, Sendable {
    public enum Kind: Sendable { case preamble, markdown, code }
    public var kind: Kind
    /// The cell's lines: code as written, prose without its leading "// ".
    public var lines: [String]
    /// The line of the source (counted from 1) its first line is on.
    public var firstLine: Int
}

/// A source that is not a well-formed notebook.
public enum NotebookError: Error, Equatable, CustomStringConvertible {
    case missingCellCall(file: String, line: Int)
    case codeInMarkdown(file: String, line: Int)
    case noCells(file: String)

    public var description: String {
        switch self {
        case .missingCellCall(let file, let line):
            return "\(file):\(line): a code cell must start with cell(\"title\"), which marks where its output begins"
        case .codeInMarkdown(let file, let line):
            return "\(file):\(line): a line of a [markdown] cell must be a // comment"
        case .noCells(let file):
            return "\(file): no // %% cells"
        }
    }
}

/// A notebook's cells, parsed from its source.
public struct NotebookSource: Sendable {
    public let cells: [NotebookCell]

    public init(text: String, file: String = "main.swift") throws {
        var cells: [NotebookCell] = []
        var current = NotebookCell(kind: .preamble, lines: [], firstLine: 1)
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            let number = index + 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("// %%") {
                cells.append(current)
                let kind: NotebookCell.Kind = trimmed.dropFirst(5).trimmingCharacters(in: .whitespaces).hasPrefix("[markdown]") ? .markdown : .code
                current = NotebookCell(kind: kind, lines: [], firstLine: number + 1)
                continue
            }
            if current.kind == .markdown {
                if trimmed.isEmpty { current.lines.append(""); continue }
                guard trimmed.hasPrefix("//") else { throw NotebookError.codeInMarkdown(file: file, line: number) }
                let prose = trimmed.dropFirst(2)
                current.lines.append(String(prose.hasPrefix(" ") ? prose.dropFirst() : prose))
            } else {
                current.lines.append(line)
            }
        }
        cells.append(current)
        self.cells = cells.compactMap { cell in
            var cell = cell
            while cell.lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { cell.lines.removeLast() }
            while cell.lines.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { cell.lines.removeFirst(); cell.firstLine += 1 }
            return cell.lines.isEmpty && cell.kind != .code ? nil : cell
        }
        guard self.cells.contains(where: { $0.kind != .preamble }) else { throw NotebookError.noCells(file: file) }
        for cell in self.cells where cell.kind == .code {
            let first = cell.lines.first { line in
                let t = line.trimmingCharacters(in: .whitespaces)
                return !t.isEmpty && !t.hasPrefix("//")
            }
            guard let first, first.trimmingCharacters(in: .whitespaces).hasPrefix("cell(") else {
                throw NotebookError.missingCellCall(file: file, line: cell.firstLine)
            }
        }
    }

    /// The code cells, in order (each prints one cell marker when rendered).
    public var codeCells: [NotebookCell] { cells.filter { $0.kind == .code } }

    /// The first Markdown heading of the notebook, without its #s (nil if none).
    public var title: String? {
        for cell in cells where cell.kind == .markdown {
            if let heading = cell.lines.first(where: { $0.hasPrefix("#") }) {
                return heading.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
