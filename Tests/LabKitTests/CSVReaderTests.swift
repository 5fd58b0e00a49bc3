import Foundation
import Testing
@testable import LabKit

@Suite struct CSVReaderTests {
    func parse(_ text: String, reader: CSVReader = CSVReader()) throws -> CSVTable {
        try reader.parse(Data(text.utf8), path: "test.csv")
    }

    @Test func detectsNumericAndCategoricalColumns() throws {
        let table = try parse("""
            height,colour,count
            1.5,red,3
            2,blue,-4
            -0.25,red,1e2
            """)
        #expect(table.columnNames == ["height", "colour", "count"])
        #expect(table.rowCount == 3)
        #expect(table.columnCount == 3)
        #expect(table.rowLines == [2, 3, 4])
        guard case .numeric(let heights) = table.columns[0] else { Issue.record("height should be numeric"); return }
        #expect(heights == [1.5, 2, -0.25])
        guard case .categorical(let values, let categories) = table.columns[1] else { Issue.record("colour should be categorical"); return }
        #expect(values == ["red", "blue", "red"])
        #expect(categories == ["blue", "red"])
        #expect(try table.column(named: "count").codes == [3, -4, 100])
        #expect(table.missingCells.isEmpty)
    }

    @Test func quotedFieldsHoldSeparatorsQuotesAndLineBreaks() throws {
        let table = try parse("name,note\n\"Smith, J\",\"said \"\"hi\"\"\"\n\"multi\nline\",x\nplain,\"\"\n")
        #expect(table.rowCount == 3)
        #expect(table.rowLines == [2, 3, 5])           // the second row starts on line 3 and ends on line 4
        guard case .categorical(let names, _) = table.columns[0],
              case .categorical(let notes, _) = table.columns[1] else { Issue.record("expected text columns"); return }
        #expect(names == ["Smith, J", "multi\nline", "plain"])
        #expect(notes == ["said \"hi\"", "x", nil])     // "" is an empty, hence missing, cell
        #expect(table.missingCells == [CSVMissingCell(line: 5, column: "note")])
    }

    @Test func missingCellsAreNaNAndListedWithLineAndColumn() throws {
        let table = try parse("""
            a,b,c
            1,NA,x
            ,2,?
            3, NaN ,y
            """)
        #expect(table.columns[0].isNumeric && table.columns[1].isNumeric)
        let a = table.columns[0].codes, b = table.columns[1].codes
        #expect(a[0] == 1 && a[1].isNaN && a[2] == 3)
        #expect(b[0].isNaN && b[1] == 2 && b[2].isNaN)
        guard case .categorical(let c, let categories) = table.columns[2] else { Issue.record("c should be categorical"); return }
        #expect(c == ["x", nil, "y"])
        #expect(categories == ["x", "y"])
        #expect(table.missingCells == [
            CSVMissingCell(line: 2, column: "b"), CSVMissingCell(line: 3, column: "a"),
            CSVMissingCell(line: 3, column: "c"), CSVMissingCell(line: 4, column: "b"),
        ])
    }

    @Test func otherSeparatorsLineEndingsBOMAndBlankLines() throws {
        let text = "\u{FEFF}x;y\r\n1,5;2\r\n\r\n3;4\r\n"
        let table = try parse(text, reader: CSVReader(separator: ";"))
        #expect(table.columnNames == ["x", "y"])
        #expect(table.rowLines == [2, 4])
        guard case .categorical(let x, _) = table.columns[0] else { Issue.record("x holds '1,5', not a number"); return }
        #expect(x == ["1,5", "3"])
        #expect(table.columns[1].codes == [2, 4])
        let tabs = try parse("p\tq\n1\t2\n", reader: CSVReader(separator: "\t"))
        #expect(tabs.columns[1].codes == [2])
    }

    @Test func featureMatrixWithOneHotAndIntegerCodes() throws {
        let table = try parse("""
            size,colour,label
            1,red,yes
            2,green,no
            3,,yes
            4,red,no
            """)
        let (oneHot, names) = try table.features(excluding: ["label"])
        #expect(names == ["size", "colour=green", "colour=red"])
        #expect(oneHot.shape == [4, 3])
        #expect(oneHot.scalars == [1, 0, 1,
                                   2, 1, 0,
                                   3, 0, 0,
                                   4, 0, 1])
        let (codes, codeNames) = try table.features(excluding: ["label"], encoding: .integerCodes)
        #expect(codeNames == ["size", "colour"])
        let values = codes.scalars
        #expect(values[0] == 1 && values[1] == 1 && values[3] == 0 && values[5].isNaN && values[7] == 1)

        let (x, featureNames, y) = try table.featuresAndTarget(target: "label")
        #expect(x.shape == [4, 3])
        #expect(featureNames.count == 3)
        #expect(y.scalars == [1, 0, 1, 0])             // categories sorted: no = 0, yes = 1
        #expect(try table.target(named: "size").scalars == [1, 2, 3, 4])
    }

    @Test func headerOnlyFileHasNoRows() throws {
        let table = try parse("a,b\n")
        #expect(table.rowCount == 0)
        #expect(try table.features().matrix.shape == [0, 2])
    }

    // MARK: Malformed files

    @Test func raggedRowIsReportedWithLineAndCounts() {
        let error = expectDataError(.raggedRow) { try parse("a,b,c\n1,2,3\n4,5\n6,7,8\n") }
        if case .raggedRow(let path, let line, let expected, let found)? = error {
            #expect(path == "test.csv")
            #expect(line == 3)
            #expect(expected == 3)
            #expect(found == 2)
        }
        #expect(error?.description == "test.csv, line 3: expected 3 columns (as in the header), found 2")
        // A trailing separator makes one more (empty) field.
        expectDataError(.raggedRow) { try parse("a,b\n1,2,\n") }
    }

    @Test func unterminatedQuoteIsReportedWhereItOpens() {
        let error = expectDataError(.unterminatedQuote) { try parse("a,b\n1,2\n3,\"never closed\n4,5\n") }
        if case .unterminatedQuote(_, let line)? = error { #expect(line == 3) }
    }

    @Test func textAfterAClosingQuoteIsReported() {
        let error = expectDataError(.badQuoting) { try parse("a,b\n\"x\"y,2\n") }
        if case .badQuoting(_, let line, let column, let found)? = error {
            #expect(line == 2 && column == 1 && found == "y")
        }
    }

    @Test func badHeadersAreReported() {
        let empty = expectDataError(.badHeader) { try parse(",a,b\n1,2,3\n") }
        #expect(empty?.description.contains("column 1 of 3 has an empty name") == true)
        let duplicate = expectDataError(.badHeader) { try parse("a,b,a\n1,2,3\n") }
        #expect(duplicate?.description.contains("column 3 repeats the name 'a' of column 1") == true)
        expectDataError(.badHeader) { try parse("\n\n\r\n") }        // no header row at all
    }

    @Test func unknownColumnIsReported() throws {
        let table = try parse("a,b\n1,2\n")
        let error = expectDataError(.unknownColumn) { try table.target(named: "label") }
        #expect(error?.description == "test.csv: no column named 'label'; the columns are 'a', 'b'")
        expectDataError(.unknownColumn) { try table.features(excluding: ["c"]) }
    }

    @Test func emptyFileIsReported() {
        expectDataError(.emptyFile) { try parse("") }
        let folder = TemporaryFolder()
        let path = folder.write([UInt8](), to: "empty.csv")
        expectDataError(.emptyFile) { try CSVReader().read(contentsOf: path) }
        expectDataError(.fileNotFound) { try CSVReader().read(contentsOf: folder.file("none.csv")) }
    }

    @Test func nonUTF8IsReportedWithOffsetAndLine() {
        let bytes = Array("a,b\n1,2\nx,".utf8) + [0xC3, 0x28] + Array("\n".utf8)   // C3 needs a continuation byte
        let error = expectDataError(.notUTF8) { try CSVReader().parse(Data(bytes), path: "latin.csv") }
        if case .notUTF8(_, let offset, let line)? = error {
            #expect(offset == 10)
            #expect(line == 3)
        }
        // Multi-byte UTF-8 is fine.
        #expect(throws: Never.self) { try CSVReader().parse(Data("naïve,ß\n€,日本\n".utf8), path: "utf8.csv") }
    }

    @Test func damagedFilesOnlyThrowDataErrors() {
        let original = Data("id,name,score\n1,\"Smith, J\",3.5\n2,\"said \"\"hi\"\"\",NA\n3,plain,4\n".utf8)
        let outcome = expectOnlyDataErrors(damagedCopies(of: original, count: 3000, seed: 15)) {
            _ = try CSVReader().parse($0, path: "damaged.csv")
        }
        #expect(outcome.accepted > 0 && outcome.rejected > 0)
    }

    // MARK: Real data (only with MLLAB_DATA)

    @Test(.enabled(if: TestEnvironment.realFile("small/iris.csv") != nil, "needs MLLAB_DATA with small/iris.csv"))
    func realIrisReadsAsFourFeaturesAndThreeClasses() throws {
        let path = try #require(TestEnvironment.realFile("small/iris.csv"))
        let table = try CSVReader().read(contentsOf: path)
        #expect(table.rowCount == 150)
        #expect(table.columnNames.first == "sepal length (cm)")
        #expect(table.columns.allSatisfy { $0.isNumeric })
        #expect(table.missingCells.isEmpty)
        let (x, names, y) = try table.featuresAndTarget(target: "target")
        #expect(x.shape == [150, 4])
        #expect(names.count == 4)
        #expect(x[0, 0] == 5.1 && x[0, 1] == 3.5)
        var counts = [0, 0, 0]
        for label in y.scalars { counts[Int(label)] += 1 }
        #expect(counts == [50, 50, 50])
    }

    @Test(.enabled(if: TestEnvironment.realFile("small/digits.csv") != nil, "needs MLLAB_DATA with small/digits.csv"))
    func realDigitsReadsAs64Pixels() throws {
        let table = try CSVReader().read(contentsOf: try #require(TestEnvironment.realFile("small/digits.csv")))
        let (x, _, y) = try table.featuresAndTarget(target: "target")
        #expect(x.shape == [1797, 64])
        #expect(x.scalars.allSatisfy { $0 >= 0 && $0 <= 16 })
        #expect(y.scalars.prefix(4) == [0, 1, 2, 3])
    }
}
