// EstimatorError: why a model cannot be fitted to the data it was given.
//
// Data reaches a model from outside (a learner's CSV file, command-line
// hyperparameters), so unusable data throws one of these, each naming what
// was wrong and where, instead of stopping the program. Asking a model for a
// shape that cannot be (predicting before fitting, a feature count that differs
// from the one it was fitted on) is a programmer error and stops with a message.

import Tensor

/// Why `fit` (or a search over parameters) could not run on the data given.
public enum EstimatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A cell of X or y is NaN or infinite; `row` and `column` count from 0 (column is nil for y).
    case nonFiniteValue(row: Int, column: Int?)
    /// A classifier needs at least two classes; the data holds only `label`.
    case singleClass(label: Float)
    /// X has no rows, or fewer than the method needs (`needed`).
    case tooFewSamples(found: Int, needed: Int)
    /// A hyperparameter outside its range, with what it must be.
    case invalidParameter(name: String, value: String, expected: String)
    /// A class label that a method cannot use (a negative count for multinomial Naive Bayes, a non-integer label).
    case invalidValue(row: Int, column: Int?, value: Float, expected: String)
    /// A linear system the method needs to solve is singular or not positive definite (collinear features).
    case singularSystem(method: String, detail: String)

    public var description: String {
        switch self {
        case .nonFiniteValue(let row, let column):
            let place = column.map { "row \(row), feature column \($0)" } ?? "row \(row) of the target"
            return "non-finite value (NaN or infinity) at \(place); drop or impute missing values before fitting"
        case .singleClass(let label):
            return "the target holds a single class (\(label)); a classifier needs at least two"
        case .tooFewSamples(let found, let needed):
            return "\(found) samples, but at least \(needed) are needed"
        case .invalidParameter(let name, let value, let expected):
            return "invalid \(name) \(value): expected \(expected)"
        case .invalidValue(let row, let column, let value, let expected):
            let place = column.map { "row \(row), column \($0)" } ?? "row \(row) of the target"
            return "value \(value) at \(place): expected \(expected)"
        case .singularSystem(let method, let detail):
            return "\(method): the system is singular (\(detail)); remove collinear features or add a penalty"
        }
    }
}
