// Tests of TabularDataset: a CSV file made ready for a model, and the clear
// errors (naming line and column) for what a model cannot use.
import Foundation
import Testing
@testable import LabKit

@Suite struct TabularDatasetTests {
    func table(_ text: String) throws -> CSVTable { try CSVReader().parse(Data(text.utf8), path: "t.csv") }

    @Test func numericFeaturesAndIntegerTargetBecomeClassification() throws {
        let data = try TabularDataset(table: table("a,b,label\n1,2,0\n3,4,1\n5,6,1\n"), target: "label")
        #expect(data.task == .classification)
        #expect(data.features.shape == [3, 2])
        #expect(data.features.scalars == [1, 2, 3, 4, 5, 6])
        #expect(data.target.scalars == [0, 1, 1])
        #expect(data.featureNames == ["a", "b"])
        #expect(data.names(of: [0, 1]) == ["0", "1"])
    }

    @Test func textTargetBecomesCodesWithNames() throws {
        let data = try TabularDataset(table: table("x,kind\n1,cat\n2,dog\n3,cat\n"), target: "kind")
        #expect(data.task == .classification)
        #expect(data.target.scalars == [0, 1, 0])
        #expect(data.names(of: [0, 1]) == ["cat", "dog"])
    }

    @Test func fractionalOrManyValuedTargetIsRegression() throws {
        #expect(try TabularDataset(table: table("x,y\n1,0.5\n2,1.5\n"), target: "y").task == .regression)
        let many = (0...TabularDataset.maximumInferredClasses).map { "\($0),\($0)" }.joined(separator: "\n")
        #expect(try TabularDataset(table: table("x,y\n" + many + "\n"), target: "y").task == .regression)
        // An explicit task wins over the inference.
        #expect(try TabularDataset(table: table("x,y\n1,0\n2,1\n"), target: "y", task: .regression).task == .regression)
    }

    @Test func categoricalFeaturesAreOneHotEncoded() throws {
        let data = try TabularDataset(table: table("colour,size,y\nred,1,0\nblue,2,1\nred,3,1\n"), target: "y")
        #expect(data.featureNames == ["colour=blue", "colour=red", "size"])
        #expect(data.features.scalars == [0, 1, 1, 1, 0, 2, 0, 1, 3])
    }

    @Test func rowsWithMissingCellsAreDroppedAndReported() throws {
        let data = try TabularDataset(table: table("a,y\n1,0\nNA,1\n3,1\n4,\n5,0\n"), target: "y")
        #expect(data.droppedLines == [3, 5])
        #expect(data.features.scalars == [1, 3, 5])
        #expect(data.target.scalars == [0, 1, 0])
    }

    @Test func textCellInNumericColumnNamesLineAndColumn() throws {
        let error = expectDataError(.badValue) {
            try TabularDataset(table: table("age,y\n31,0\n42,1\nforty,1\n25,0\n"), target: "y")
        }
        guard case .badValue(_, let position, let text, _) = error else { return }
        #expect(position == .cell(line: 4, column: "age"))
        #expect(text == "forty")
        #expect(error?.description.contains("line 4, column 'age'") == true)
    }

    @Test func unknownTargetColumnIsNamed() throws {
        let error = expectDataError(.unknownColumn) { try TabularDataset(table: table("a,b\n1,2\n"), target: "label") }
        #expect(error?.description.contains("label") == true)
    }

    @Test func singleClassTargetIsRefused() throws {
        let error = expectDataError(.badValue) { try TabularDataset(table: table("a,y\n1,1\n2,1\n3,1\n"), target: "y") }
        guard case .badValue(_, let position, _, let expected) = error else { return }
        #expect(position == .cell(line: 2, column: "y"))
        #expect(expected.contains("two classes"))
    }

    @Test func textTargetCannotBeRegressed() throws {
        expectDataError(.badValue) { try TabularDataset(table: table("a,y\n1,cat\n2,dog\n"), target: "y", task: .regression) }
    }

    @Test func realIrisFileLoads() throws {
        guard let path = TestEnvironment.realFile("small/iris.csv") else { return }
        let data = try TabularDataset.load(csv: path, target: "target")
        #expect(data.features.shape == [150, 4])
        #expect(data.task == .classification)
        #expect(Set(data.target.scalars) == [0, 1, 2])
    }
}
