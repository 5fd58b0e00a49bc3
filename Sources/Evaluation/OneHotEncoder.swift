// One-hot encoder: turn a column of category codes into indicator columns
// (scikit-learn's OneHotEncoder with handle_unknown='ignore').
//
// For an encoded column j with categories c₁ < … < c_m seen in fit, a value v
// becomes m columns
//     e(v) = (1[v = c₁], …, 1[v = c_m]),
// so a linear model gets one weight per category instead of treating the codes
// 0, 1, 2 as ordered numbers. A value not seen in fit becomes all zeros.
// Each encoded column is replaced in place by its indicator columns; columns
// not encoded pass through unchanged, in their order. The output width is
//     d' = (d − #encoded) + Σ_{encoded j} m_j.
// Lookup: binary search in the sorted categories, O(log m) per value.

import Tensor

/// Replaces chosen columns of category codes by one 0/1 column per category seen in fit.
public struct OneHotEncoder: Transformer {
    /// The columns to encode as given; nil encodes every column.
    public var columns: [Int]?
    /// The encoded columns after fit, increasing.
    public private(set) var encodedColumns: [Int] = []
    /// The sorted categories of each encoded column (aligned with `encodedColumns`) after fit.
    public private(set) var categories: [[Float]] = []
    /// The number of input columns fit saw.
    public private(set) var inputWidth = 0

    /// An encoder of the given columns (nil: all columns).
    public init(columns: [Int]? = nil) {
        self.columns = columns
    }

    /// The number of output columns.
    public var outputWidth: Int {
        inputWidth - encodedColumns.count + categories.reduce(0) { $0 + $1.count }
    }

    /// Learns the categories of each encoded column of X [n, d].
    /// - Throws: `EstimatorError.invalidParameter` for a column number outside 0..<d or listed twice;
    ///   what `FitInput.check` throws.
    public mutating func fit(_ x: Tensor) throws {
        let (n, d) = try FitInput.check(x)
        let chosen = columns ?? Array(0..<d)
        for column in chosen where column < 0 || column >= d {
            throw EstimatorError.invalidParameter(name: "columns", value: "\(column)", expected: "a column number in 0..<\(d)")
        }
        guard Set(chosen).count == chosen.count else {
            throw EstimatorError.invalidParameter(name: "columns", value: "\(chosen)", expected: "each column at most once")
        }
        encodedColumns = chosen.sorted()
        categories = x.withUnsafeBufferPointer { values in
            encodedColumns.map { j in Array(Set((0..<n).map { values[$0 * d + j] })).sorted() }
        }
        inputWidth = d
    }

    /// X [m, d] with each encoded column replaced by its indicator columns: [m, outputWidth].
    public func transform(_ x: Tensor) -> Tensor {
        precondition(inputWidth > 0, "OneHotEncoder.transform: call fit first")
        precondition(x.rank == 2 && x.shape[1] == inputWidth,
                     "OneHotEncoder.transform: X \(x.shape) must be [m, \(inputWidth)], the shape fit saw")
        let m = x.shape[0], d = inputWidth, width = outputWidth
        // For each input column: its categories (nil if it passes through).
        var plan = [[Float]?](repeating: nil, count: d)
        for (k, j) in encodedColumns.enumerated() { plan[j] = categories[k] }
        var out = Tensor(shape: [m, width], repeating: 0)
        x.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                for row in 0..<m {
                    var to = row * width
                    for j in 0..<d {
                        let value = input[row * d + j]
                        if let known = plan[j] {
                            if let k = Self.position(of: value, in: known) { output[to + k] = 1 }
                            to += known.count
                        } else {
                            output[to] = value
                            to += 1
                        }
                    }
                }
            }
        }
        return out
    }

    /// The output column names: an encoded column `name` with category c gives "name_c"
    /// (c printed without ".0" when whole, e.g. "colour_2"), as scikit-learn's get_feature_names_out.
    public func featureNames(input: [String]) -> [String] {
        precondition(input.count == inputWidth,
                     "OneHotEncoder.featureNames: \(input.count) names given for \(inputWidth) columns")
        var names: [String] = []
        for (j, name) in input.enumerated() {
            if let k = encodedColumns.firstIndex(of: j) {
                names += categories[k].map { "\(name)_\(Self.label($0))" }
            } else {
                names.append(name)
            }
        }
        return names
    }

    /// The index of `value` in the sorted `categories`, nil if absent (binary search).
    static func position(of value: Float, in categories: [Float]) -> Int? {
        var low = 0, high = categories.count
        while low < high {
            let middle = (low + high) / 2
            if categories[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < categories.count && categories[low] == value ? low : nil
    }

    /// A category as text: whole numbers without a fractional part.
    static func label(_ value: Float) -> String {
        value.rounded() == value && abs(value) < 1e9 ? String(Int(value)) : "\(value)"
    }
}
