// CSVTable: a CSV file's columns, typed, and the step from a table to tensors.
//
// A model takes a feature matrix X of shape [rows, features] and a target y of
// shape [rows]. Numeric columns go into X as they are (a missing cell is NaN,
// for the lab to drop or impute). A categorical column with categories
// c_0 < c_1 < … < c_(k−1) (sorted) becomes either
//   one-hot:       k columns named "column=c_j", x_j = 1 when the cell is c_j, else 0
//                  (a missing cell is all zeros), or
//   integer codes: one column, x = j for category c_j (a missing cell is NaN).
// A categorical target always becomes its codes j, the class indices a
// classifier predicts; `categories` maps them back to names.

/// One column of a CSV file.
public enum CSVColumn: Sendable {
    /// Every non-missing cell is a number; missing cells are NaN.
    case numeric([Float])
    /// Text values (nil where missing) and the sorted distinct values.
    case categorical(values: [String?], categories: [String])

    /// True for a numeric column.
    public var isNumeric: Bool {
        if case .numeric = self { return true }
        return false
    }

    /// Number of cells.
    public var count: Int {
        switch self {
        case .numeric(let values): return values.count
        case .categorical(let values, _): return values.count
        }
    }

    /// The numbers of a numeric column; the category index of each cell (NaN when missing) of a categorical one.
    public var codes: [Float] {
        switch self {
        case .numeric(let values):
            return values
        case .categorical(let values, let categories):
            let index = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, Float($0)) })
            return values.map { $0.flatMap { index[$0] } ?? .nan }
        }
    }
}

/// A missing cell: the line it is on (from 1) and its column's name.
public struct CSVMissingCell: Sendable, Equatable {
    /// The line of the row in the file, counting the header as line 1.
    public let line: Int
    /// The column's name from the header.
    public let column: String
}

/// How categorical columns become numbers in a feature matrix.
public enum CategoricalEncoding: Sendable {
    /// One 0/1 column per category, named "column=category".
    case oneHot
    /// One column holding the category's index in the sorted categories.
    case integerCodes
}

/// The contents of a CSV file: named, typed columns of equal length.
public struct CSVTable: Sendable {
    /// The file the table was read from.
    public let path: String
    /// Column names from the header, in file order.
    public let columnNames: [String]
    /// The columns, in the same order as `columnNames`.
    public let columns: [CSVColumn]
    /// The line in the file where each row starts (rows may span lines inside quotes).
    public let rowLines: [Int]
    /// Every missing cell, in file order.
    public let missingCells: [CSVMissingCell]

    /// Number of data rows (the header is not a row).
    public var rowCount: Int { rowLines.count }

    /// Number of columns.
    public var columnCount: Int { columnNames.count }

    /// The position of the column called `name`, or `DataError.unknownColumn`.
    public func columnIndex(named name: String) throws -> Int {
        guard let index = columnNames.firstIndex(of: name) else {
            throw DataError.unknownColumn(path: path, name: name, available: columnNames)
        }
        return index
    }

    /// The column called `name`, or `DataError.unknownColumn`.
    public func column(named name: String) throws -> CSVColumn {
        columns[try columnIndex(named: name)]
    }

    /// The column called `name` as a vector [rows]: numbers, or category indices for a categorical column.
    public func target(named name: String) throws -> Tensor {
        let values = try column(named: name).codes
        return Tensor(shape: [values.count], scalars: values)
    }

    /// Every column except `excluded` as a matrix [rows, features], with the name of each feature column.
    public func features(excluding excluded: [String] = [],
                         encoding: CategoricalEncoding = .oneHot) throws -> (matrix: Tensor, names: [String]) {
        let skipped = Set(try excluded.map { try columnIndex(named: $0) })
        var names: [String] = []
        var blocks: [(column: Int, width: Int)] = []
        for (index, column) in columns.enumerated() where !skipped.contains(index) {
            switch (column, encoding) {
            case (.categorical(_, let categories), .oneHot):
                names += categories.map { "\(columnNames[index])=\($0)" }
                blocks.append((index, categories.count))
            default:
                names.append(columnNames[index])
                blocks.append((index, 1))
            }
        }

        let width = names.count
        var matrix = Tensor(shape: [rowCount, width], repeating: 0)
        matrix.withUnsafeMutableBufferPointer { out in
            var first = 0                                   // the block's first column in the matrix
            for block in blocks {
                switch (columns[block.column], encoding) {
                case (.categorical(let values, let categories), .oneHot):
                    let index = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
                    for (row, value) in values.enumerated() {
                        if let value, let j = index[value] { out[row * width + first + j] = 1 }
                    }
                default:
                    for (row, value) in columns[block.column].codes.enumerated() { out[row * width + first] = value }
                }
                first += block.width
            }
        }
        return (matrix, names)
    }

    /// The feature matrix of every other column and the target vector of column `target`.
    public func featuresAndTarget(target: String, encoding: CategoricalEncoding = .oneHot) throws
        -> (features: Tensor, featureNames: [String], target: Tensor) {
        let y = try self.target(named: target)
        let (x, names) = try features(excluding: [target], encoding: encoding)
        return (x, names, y)
    }
}
