// FitInput: the checks every `fit` runs on its data before learning from it.
//
// X must be a matrix [n, d] with n ≥ 1 and y a vector [n] (or [n, 1]); every
// value must be finite (a missing CSV cell arrives as NaN and must be dropped
// or imputed first). A classifier also turns its labels into class indices:
// classes = the sorted distinct values of y, and index(yᵢ) = j where
// classes[j] = yᵢ, so that one-hot targets and probability columns line up.

import Tensor

/// Input validation and label encoding shared by every estimator's `fit`.
public enum FitInput {
    /// Checks that X is [n, d], y holds n values and all are finite; returns (n, d).
    @discardableResult
    public static func check(_ x: Tensor, _ y: Tensor, minimumSamples: Int = 1) throws -> (rows: Int, columns: Int) {
        let (n, d) = try check(x, minimumSamples: minimumSamples)
        precondition(y.count == n && (y.rank == 1 || (y.rank == 2 && y.shape[1] == 1)),
                     "fit: y \(y.shape) must be a vector with one value per row of X \(x.shape)")
        if let bad = y.firstNonFinite?.index {
            throw EstimatorError.nonFiniteValue(row: bad, column: nil)
        }
        return (n, d)
    }

    /// Checks that X is a matrix [n, d] with at least `minimumSamples` rows, all values finite; returns (n, d).
    @discardableResult
    public static func check(_ x: Tensor, minimumSamples: Int = 1) throws -> (rows: Int, columns: Int) {
        precondition(x.rank == 2, "fit: X must be a matrix [samples, features], got shape \(x.shape)")
        let (n, d) = (x.shape[0], x.shape[1])
        guard n >= minimumSamples else { throw EstimatorError.tooFewSamples(found: n, needed: minimumSamples) }
        if let bad = x.firstNonFinite?.index {
            throw EstimatorError.nonFiniteValue(row: bad / Swift.max(d, 1), column: bad % Swift.max(d, 1))
        }
        return (n, d)
    }

    /// The sorted distinct labels of y and each sample's class index; throws `.singleClass` for fewer than two classes.
    public static func encodeLabels(_ y: Tensor) throws -> (classes: [Float], indices: [Int]) {
        let values = y.scalars
        let classes = Array(Set(values)).sorted()
        guard classes.count >= 2 else { throw EstimatorError.singleClass(label: classes.first ?? .nan) }
        let position = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        return (classes, values.map { position[$0]! })
    }
}
