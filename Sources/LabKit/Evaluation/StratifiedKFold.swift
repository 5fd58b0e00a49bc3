// Stratified k-fold splitting: every fold keeps the class proportions of the
// whole set (scikit-learn's StratifiedKFold).
//
// List the rows class by class (classes in increasing label order; within a
// class in row order, or in a seeded random order when `shuffle` is on) and
// deal them to the folds like cards: the row at position p of that list goes
// to fold p mod k. Each class's rows are then spread over the folds with
// counts differing by at most 1, and, because the dealing runs on across
// classes, the fold sizes also differ by at most 1.

/// Stratified k-fold splits of labelled rows: each class is spread evenly over the folds.
public struct StratifiedKFold: Sendable {
    /// The number of folds k (at least 2).
    public var folds: Int
    /// Shuffle each class's rows (with `seed`) before dealing them to folds.
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
        var generator = RandomGenerator(seed: seed)
        var fold = [Int](repeating: 0, count: n)
        var position = 0
        for members in ClassGroups(labels).members {
            var order = members
            if shuffle { generator.shuffle(&order) }
            for row in order {
                fold[row] = position % folds
                position += 1
            }
        }
        return KFold.splits(fromFolds: fold, folds: folds)
    }
}
