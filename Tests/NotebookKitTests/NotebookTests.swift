import Foundation
import Testing
@testable import NotebookKit

@Suite("Notebooks")
struct NotebookTests {
    static let source = """
    // Notebook 99: a test.
    import Foundation

    // %% [markdown]
    // # A title
    //
    // Some *prose*.
    // %%
    cell("1. one")
    print("hello")

    // %%
    // a comment first is fine
    cell("2. two")
    print("bye")
    """

    @Test("The percent format splits into preamble, prose and code cells, prose without its //")
    func parse() throws {
        let notebook = try NotebookSource(text: Self.source)
        #expect(notebook.cells.map(\.kind) == [.preamble, .markdown, .code, .code])
        #expect(notebook.cells[1].lines == ["# A title", "", "Some *prose*."])
        #expect(notebook.cells[2].lines == ["cell(\"1. one\")", "print(\"hello\")"])
        #expect(notebook.cells[2].firstLine == 9)
        #expect(notebook.title == "A title")
        #expect(notebook.codeCells.count == 2)
    }

    @Test("A code cell without cell(…) first, or code in a prose cell, is an error naming the line")
    func malformed() {
        #expect(throws: NotebookError.missingCellCall(file: "n.swift", line: 2)) {
            try NotebookSource(text: "// %%\nprint(1)\n", file: "n.swift")
        }
        #expect(throws: NotebookError.codeInMarkdown(file: "n.swift", line: 3)) {
            try NotebookSource(text: "// %% [markdown]\n// fine\nlet x = 1\n", file: "n.swift")
        }
        #expect(throws: NotebookError.noCells(file: "n.swift")) { try NotebookSource(text: "import Foundation\n", file: "n.swift") }
    }

    @Test("A run's output lands under its cells, figures become image links, and a short run is an error")
    func page() throws {
        let notebook = try NotebookSource(text: Self.source)
        let output = ["set up", Notebook.cellMarker, "hello", "\(Notebook.figureMarker) plot.png", Notebook.cellMarker, "bye", ""]
            .joined(separator: "\n")
        let markdown = try NotebookPage.markdown(source: notebook, output: output, figureFolder: "99-test", origin: "test")
        #expect(markdown.contains("```swift\ncell(\"1. one\")\nprint(\"hello\")\n```\n\n```text\nhello\n```\n\n![plot.png](99-test/plot.png)"))
        #expect(markdown.contains("```text\nset up\n```"))
        #expect(markdown.contains("# A title\n\nSome *prose*.\n"))
        #expect(markdown.hasSuffix("```text\nbye\n```\n\n"))
        #expect(throws: NotebookPageError.cellCount(ran: 1, expected: 2)) {
            try NotebookPage.markdown(source: notebook, output: "\(Notebook.cellMarker)\nhello\n", figureFolder: "x", origin: "test")
        }
    }
}
