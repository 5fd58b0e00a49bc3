// K-fold splitting: every row is tested exactly once (scikit-learn's KFold).
//
// The n rows (shuffled by a seeded permutation when `shuffle` is on, in their
// order otherwise) are cut into k consecutive folds; the first n mod k folds
// hold ⌊n/k⌋ + 1 rows and the others ⌊n/k⌋, so fold sizes differ by at most 1.
// Split i tests on fold i and trains on the other k − 1 folds. Both index lists
// of a split are returned in increasing row order, as scikit-learn does.

import Tensor

/// K-fold cross-validation splits of n rows.
public struct KFold: Sendable {
    /// The number of folds k (at least 2).
    public var folds: Int
    /// Shuffle the rows (with `seed`) before cutting them into folds.
    public var shuffle: Bool
    /// Fixes the shuffle.
    public var seed: UInt64

    /// Splits into `folds` folds; with `shuffle`, rows are assigned at random (fixed by `seed`).
    public init(folds: Int = 5, shuffle: Bool = true, seed: UInt64 = 0) {
        self.folds = folds
        self.shuffle = shuffle
        self.seed = seed
    }

    /// The k (train, test) row-number pairs for `count` rows.
    /// - Throws: `EstimatorError.invalidParameter` when `folds` is below 2 or above `count`.
    public func splits(count: Int) throws -> [(train: [Int], test: [Int])] {
        try Self.checkFolds(folds, count: count)
        var order = Array(0..<count)
        if shuffle {
            var generator = RandomGenerator(seed: seed)
            generator.shuffle(&order)
        }
        var fold = [Int](repeating: 0, count: count)
        var start = 0
        for f in 0..<folds {
            let size = count / folds + (f < count % folds ? 1 : 0)
            for position in start..<(start + size) { fold[order[position]] = f }
            start += size
        }
        return Self.splits(fromFolds: fold, folds: folds)
    }

    /// Throws unless 2 ≤ folds ≤ count.
    static func checkFolds(_ folds: Int, count: Int) throws {
        guard folds >= 2 else {
            throw EstimatorError.invalidParameter(name: "folds", value: "\(folds)", expected: "at least 2")
        }
        guard folds <= count else {
            throw EstimatorError.invalidParameter(name: "folds", value: "\(folds)",
                                                  expected: "at most the number of samples (\(count))")
        }
    }

    /// (train, test) lists, rows increasing, from each row's fold number.
    static func splits(fromFolds fold: [Int], folds: Int) -> [(train: [Int], test: [Int])] {
        (0..<folds).map { f in
            var train: [Int] = [], test: [Int] = []
            for (row, rowFold) in fold.enumerated() {
                if rowFold == f { test.append(row) } else { train.append(row) }
            }
            return (train, test)
        }
    }
}
