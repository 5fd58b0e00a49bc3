// TabularDataset: a CSV file made ready for a model, with every check a
// learner's own file needs before fitting.
//
// From a CSVTable and the name of the target column it builds
//     X [n, d]  every other column (categorical ones one-hot encoded),
//     y [n]     the target: class codes for classification, numbers for regression,
// and refuses, naming the line and the column, what a model cannot use:
//   • a text cell in a numeric column: a column where most cells are numbers
//     but one is not (say "12.5", "13.0", "abc") is a typo, not a category;
//     "inf" and numbers beyond Float's range count as text here;
//   • an unknown target column;
//   • a classification target with a single class;
//   • a regression target that is text.
// Rows with a missing cell (empty, NA, ?) are dropped, and the lab says how
// many. The task is inferred when not given: a text target, or an integer
// target with at most 20 distinct values, is classification; anything else is
// regression (pass the task explicitly to override).

import Foundation

/// Whether a target is a class label or a real number.
public enum TabularTask: String, Sendable, CaseIterable {
    case classification, regression
}

/// Features and target from a CSV file, checked and ready for `fit`.
public struct TabularDataset: Sendable {
    /// The file read.
    public let path: String
    /// The features, [rows, features].
    public let features: Tensor
    /// The name of each feature column ("column=category" for one-hot columns).
    public let featureNames: [String]
    /// The target, [rows]: class codes (classification) or values (regression).
    public let target: Tensor
    /// The target column's name.
    public let targetName: String
    /// The task, given or inferred.
    public let task: TabularTask
    /// For classification, the name of each class code (the category, or the number as written).
    public let classNames: [Float: String]
    /// The lines of the rows dropped because a cell was missing.
    public let droppedLines: [Int]

    /// The largest number of distinct integer values for which a numeric target is taken as classes.
    public static let maximumInferredClasses = 20

    /// Reads `path` and prepares the column `target` for `task` (inferred when nil).
    public static func load(csv path: String, target: String, task: TabularTask? = nil) throws -> TabularDataset {
        try TabularDataset(table: CSVReader().read(contentsOf: path), target: target, task: task)
    }

    /// Prepares a table already read.
    public init(table: CSVTable, target: String, task: TabularTask? = nil) throws {
        let targetIndex = try table.columnIndex(named: target)
        try Self.rejectStrayText(in: table)

        // Drop rows with a missing cell (in a feature or the target).
        let missingLines = Set(table.missingCells.map(\.line))
        let keptRows = (0..<table.rowCount).filter { !missingLines.contains(table.rowLines[$0]) }
        guard !keptRows.isEmpty else {
            throw DataError.badValue(path: table.path, position: .line(table.rowLines.first ?? 1), text: "",
                                     expected: "at least one row without missing cells")
        }

        let column = table.columns[targetIndex]
        let resolvedTask = task ?? Self.inferTask(column, rows: keptRows)
        let firstLine = table.rowLines[keptRows[0]]
        var names: [Float: String] = [:]
        switch (column, resolvedTask) {
        case (.categorical, .regression):
            throw DataError.badValue(path: table.path, position: .cell(line: firstLine, column: target),
                                     text: Self.text(of: column, row: keptRows[0]),
                                     expected: "a number: a regression target must be numeric (or pass --task classification)")
        case (.categorical(_, let categories), .classification):
            for (code, name) in categories.enumerated() { names[Float(code)] = name }
        case (.numeric(let values), .classification):
            for row in keptRows { names[values[row]] = Self.format(values[row]) }
        case (.numeric, .regression):
            break
        }

        let (allFeatures, featureNames) = try table.features(excluding: [target])
        let allTargets = table.columns[targetIndex].codes
        let keptTargets = keptRows.map { allTargets[$0] }
        if resolvedTask == .classification, Set(keptTargets).count < 2 {
            throw DataError.badValue(path: table.path, position: .cell(line: firstLine, column: target),
                                     text: Self.text(of: column, row: keptRows[0]),
                                     expected: "at least two classes in the target column; all \(keptRows.count) rows hold this one")
        }

        self.path = table.path
        self.features = keptRows.count == table.rowCount ? allFeatures : allFeatures.gathering(keptRows, axis: 0)
        self.featureNames = featureNames
        self.target = Tensor(shape: [keptRows.count], scalars: keptTargets)
        self.targetName = target
        self.task = resolvedTask
        self.classNames = names
        self.droppedLines = missingLines.sorted()
    }

    /// The class names in the order of `codes` (for plot legends and reports).
    public func names(of codes: [Float]) -> [String] { codes.map { classNames[$0] ?? Self.format($0) } }

    /// Throws at the first text cell of a column whose other cells are mostly numbers.
    static func rejectStrayText(in table: CSVTable) throws {
        for (index, column) in table.columns.enumerated() {
            guard case .categorical(let values, _) = column else { continue }
            let present = values.compactMap { $0 }
            let numbers = present.filter { CSVReader.finiteNumber($0.trimmingCharacters(in: .whitespaces)) != nil }.count
            guard numbers * 2 > present.count, let row = values.firstIndex(where: {
                $0.map { CSVReader.finiteNumber($0.trimmingCharacters(in: .whitespaces)) == nil } ?? false
            }) else { continue }
            throw DataError.badValue(
                path: table.path, position: .cell(line: table.rowLines[row], column: table.columnNames[index]),
                text: values[row] ?? "",
                expected: "a number (\(numbers) of the column's \(present.count) cells are numbers)")
        }
    }

    /// Classification for text or for few distinct integers, regression otherwise.
    static func inferTask(_ column: CSVColumn, rows: [Int]) -> TabularTask {
        guard case .numeric(let values) = column else { return .classification }
        var distinct = Set<Float>()
        for row in rows {
            let value = values[row]
            guard value == value.rounded() else { return .regression }
            distinct.insert(value)
            if distinct.count > maximumInferredClasses { return .regression }
        }
        return .classification
    }

    private static func text(of column: CSVColumn, row: Int) -> String {
        switch column {
        case .numeric(let values): return format(values[row])
        case .categorical(let values, _): return values[row] ?? ""
        }
    }

    private static func format(_ value: Float) -> String {
        value == value.rounded() && abs(value) < 1e7 ? String(Int(value)) : String(value)
    }
}
