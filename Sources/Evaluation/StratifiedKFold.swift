// Stratified k-fold splitting: every fold keeps the class proportions of the
// whole set, with the same assignment as scikit-learn's StratifiedKFold.
//
// Number the classes in order of first appearance in y (c = 0, 1, …). Sort
// the class numbers of all n rows and deal that sorted list to the k folds
// like cards (position p goes to fold p mod k): a_{f,c}, the count of class c
// dealt to fold f, is how many rows of class c fold f tests on. Each class's
// counts differ by at most 1 across folds, and so do the fold sizes.
// Then, class by class, the rows of class c in row order are cut into
// consecutive blocks of a_{0,c}, a_{1,c}, … rows for folds 0, 1, …: without
// shuffling, neighbouring rows of a class stay together (scikit-learn's
// choice, which keeps runs of related rows in one fold); with `shuffle` the
// fold labels within each class are permuted with `seed`.
// Cutting the folds exactly as scikit-learn does makes our cross-validation
// scores comparable with scikit-learn's fold for fold.

import Tensor

/// Stratified k-fold splits of labelled rows: each class is spread evenly over the folds.
public struct StratifiedKFold: Sendable {
    /// The number of folds k (at least 2).
    public var folds: Int
    /// Shuffle each class's fold assignment (with `seed`) instead of cutting it into blocks in row order.
    public var shuffle: Bool
    /// Fixes the shuffle.
    public var seed: UInt64

    /// Splits into `folds` folds; with `shuffle`, rows are assigned at random (fixed by `seed`).
    public init(folds: Int = 5, shuffle: Bool = true, seed: UInt64 = 0) {
        self.folds = folds
        self.shuffle = shuffle
        self.seed = seed
    }

    /// The k (train, test) row-number pairs for the class labels y [n]; both lists increasing.
    /// - Throws: `EstimatorError.invalidParameter` when `folds` is below 2 or above n.
    ///   A class with fewer rows than folds is allowed (some folds then lack it), as in scikit-learn.
    public func splits(labels: Tensor) throws -> [(train: [Int], test: [Int])] {
        let n = labels.count
        try KFold.checkFolds(folds, count: n)
        // Class numbers in order of first appearance, and each class's rows in row order.
        var number: [Float: Int] = [:]
        var members: [[Int]] = []
        for (row, label) in labels.scalars.enumerated() {
            if number[label] == nil { number[label] = members.count; members.append([]) }
            members[number[label]!].append(row)
        }
        // Deal the sorted class numbers round robin: allocation[f][c] rows of class c test in fold f.
        var allocation = [[Int]](repeating: [Int](repeating: 0, count: members.count), count: folds)
        var position = 0
        for (c, rows) in members.enumerated() {
            for _ in rows {
                allocation[position % folds][c] += 1
                position += 1
            }
        }
        var generator = RandomGenerator(seed: seed)
        var fold = [Int](repeating: 0, count: n)
        for (c, rows) in members.enumerated() {
            var foldsForClass = (0..<folds).flatMap { f in [Int](repeating: f, count: allocation[f][c]) }
            if shuffle { generator.shuffle(&foldsForClass) }
            for (row, f) in zip(rows, foldsForClass) { fold[row] = f }
        }
        return KFold.splits(fromFolds: fold, folds: folds)
    }
}
