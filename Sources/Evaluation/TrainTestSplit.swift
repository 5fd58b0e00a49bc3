// Train/test split: hold out a random part of the data to measure a model on
// rows it never saw (scikit-learn's train_test_split).
//
// Of n rows, n_test = ⌈testSize · n⌉ go to the test side and n_train = n − n_test
// to the training side. The rows are chosen by a seeded random permutation π:
//     test = π(0) … π(n_test − 1),   train = π(n_test) … π(n − 1).
// Stratified: each class k with c_k rows gives t_k test rows, where the t_k
// are the integers closest to the proportional shares n_test · c_k / n that sum
// to n_test (largest remainder: take ⌊share⌋, then hand the rows still missing
// to the classes with the largest fractional parts, ties to the larger class,
// then to the smaller label). The test set then holds each class in the same
// proportion as the whole set, as closely as whole rows allow.

import Tensor

/// Ways of dividing a data set into parts for evaluation (scikit-learn's `model_selection`).
public enum DataSplit {}

/// The two sides of a train/test split and the original row numbers each holds.
public struct TrainTestSplit: Sendable {
    /// Features and targets of each side: xTrain [n_train, d], xTest [n_test, d], yTrain [n_train], yTest [n_test].
    public let xTrain, xTest, yTrain, yTest: Tensor
    /// Row numbers of X (and y) on each side, in the order of the rows of `xTrain` and `xTest`.
    public let trainIndices, testIndices: [Int]
}

extension DataSplit {
    /// Splits (X, y) at random into a training and a test part.
    ///
    /// - Parameters:
    ///   - x: features [n, d] (any tensor whose first axis is the sample axis).
    ///   - y: targets with n values along the first axis.
    ///   - testSize: the fraction of rows held out, in (0, 1); the test side gets ⌈testSize · n⌉ rows.
    ///   - stratify: keep the class proportions of y on both sides (y holds class labels).
    ///   - seed: fixes the random choice of rows.
    /// - Throws: `EstimatorError.invalidParameter` when `testSize` is outside (0, 1), when a side would
    ///   be empty, or when stratifying with a class of a single row (it cannot appear on both sides).
    public static func trainTestSplit(_ x: Tensor, _ y: Tensor, testSize: Double = 0.25,
                                      stratify: Bool = false, seed: UInt64 = 0) throws -> TrainTestSplit {
        precondition(x.rank >= 1 && y.rank >= 1 && x.shape[0] == y.shape[0],
                     "trainTestSplit: X \(x.shape) and y \(y.shape) must have the same number of rows")
        let n = x.shape[0]
        guard testSize > 0 && testSize < 1 else {
            throw EstimatorError.invalidParameter(name: "testSize", value: "\(testSize)", expected: "a fraction in (0, 1)")
        }
        let testCount = Int((testSize * Double(n)).rounded(.up))
        guard testCount >= 1 && testCount < n else {
            throw EstimatorError.invalidParameter(
                name: "testSize", value: "\(testSize)",
                expected: "a fraction that leaves both sides non-empty (\(n) rows give \(testCount) test rows)")
        }
        var generator = RandomGenerator(seed: seed)
        var test: [Int] = []
        var train: [Int] = []
        if stratify {
            let groups = ClassGroups(y)
            if let lonely = groups.members.firstIndex(where: { $0.count < 2 }) {
                throw EstimatorError.invalidParameter(
                    name: "stratify", value: "true",
                    expected: "at least 2 rows per class (class \(groups.labels[lonely]) has 1)")
            }
            let shares = proportionalShares(total: testCount, counts: groups.members.map(\.count))
            for (members, share) in zip(groups.members, shares) {
                var order = members
                generator.shuffle(&order)
                test += order[..<share]
                train += order[share...]
            }
            // Mix the classes so that neither side is ordered by class.
            generator.shuffle(&test)
            generator.shuffle(&train)
        } else {
            let order = generator.permutation(n)
            test = Array(order[..<testCount])
            train = Array(order[testCount...])
        }
        return TrainTestSplit(xTrain: x.gathering(train), xTest: x.gathering(test),
                              yTrain: y.gathering(train), yTest: y.gathering(test),
                              trainIndices: train, testIndices: test)
    }

    /// Integers t_k summing to `total`, closest to total · c_k / Σc (largest remainder method).
    static func proportionalShares(total: Int, counts: [Int]) -> [Int] {
        let n = counts.reduce(0, +)
        var shares = counts.map { total * $0 / n }
        let missing = total - shares.reduce(0, +)
        // Fractional part of each share, as the exact remainder (total · c_k) mod n.
        let order = counts.indices.sorted { a, b in
            let ra = (total * counts[a]) % n, rb = (total * counts[b]) % n
            if ra != rb { return ra > rb }
            if counts[a] != counts[b] { return counts[a] > counts[b] }
            return a < b
        }
        for k in order.prefix(missing) { shares[k] += 1 }
        return shares
    }
}

/// The rows of each class of a label vector, classes in increasing label order.
struct ClassGroups {
    /// The distinct labels, increasing.
    let labels: [Float]
    /// `members[k]`: the row numbers holding `labels[k]`, increasing.
    let members: [[Int]]

    init(_ y: Tensor) {
        var rows: [Float: [Int]] = [:]
        y.withUnsafeBufferPointer { values in
            for (i, value) in values.enumerated() { rows[value, default: []].append(i) }
        }
        labels = rows.keys.sorted()
        members = labels.map { rows[$0]! }
    }
}
