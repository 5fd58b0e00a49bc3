// TreeTrainingSet: the training data laid out for growing trees.
//
// A split search reads one feature for all the rows of a node, so X [n, d]
// (row-major, one row per sample) is transposed once into columns:
//     column_j[i] = X[i, j],  stored as d blocks of n floats.
// Reading a feature is then a walk through one block. The target is kept
// beside it as a class index per row (classifier) or a value (regressor).
// A forest grows all its trees from one shared, read-only training set.
import Tensor

/// X transposed into columns plus the target, shared read-only by every tree grown from it.
final class TreeTrainingSet: @unchecked Sendable {
    let rowCount: Int
    let featureCount: Int
    /// K for a classifier, 0 for a regressor.
    let classCount: Int
    /// X column by column: feature j of row i at `columns[j * rowCount + i]`.
    let columns: UnsafeMutablePointer<Float>
    /// Class index of each row (classifier), else empty.
    let labels: UnsafeMutablePointer<Int32>
    /// Target value of each row (regressor), else empty.
    let targets: UnsafeMutablePointer<Float>

    /// A classification set: `labels[i]` ∈ 0..<classCount.
    convenience init(x: Tensor, labels: [Int], classCount: Int) {
        self.init(x: x, classCount: classCount)
        for (i, label) in labels.enumerated() { self.labels[i] = Int32(label) }
    }

    /// A regression set.
    convenience init(x: Tensor, targets: Tensor) {
        self.init(x: x, classCount: 0)
        targets.withUnsafeBufferPointer { t in self.targets.update(from: t.baseAddress!, count: rowCount) }
    }

    private init(x: Tensor, classCount: Int) {
        let (n, d) = (x.shape[0], x.shape[1])
        rowCount = n
        featureCount = d
        self.classCount = classCount
        columns = .allocate(capacity: Swift.max(1, n * d))
        labels = .allocate(capacity: classCount > 0 ? n : 1)
        targets = .allocate(capacity: classCount > 0 ? 1 : n)
        x.withUnsafeBufferPointer { xs in
            let source = xs.baseAddress!
            for i in 0..<n {
                let row = source + i * d
                for j in 0..<d { columns[j * n + i] = row[j] }
            }
        }
    }

    deinit {
        columns.deallocate()
        labels.deallocate()
        targets.deallocate()
    }
}
