// EpochOrder: the order in which one epoch visits the training samples.
//
// Epoch e of a run with seed s visits samples 0 … n−1 in the order of a
// permutation drawn (Fisher–Yates) from a generator seeded by (s, e) alone —
// not from a generator that has been running since the start. So the order of
// epoch 3 is the same whether training ran epochs 0–2 straight or stopped
// after epoch 1 and resumed from a checkpoint, which is what makes a resumed
// run equal a straight one. Batches are consecutive slices of the order; the
// last one is smaller when the batch size does not divide n (or dropped).
import Tensor

/// The per-epoch sample order of a shuffled (or sequential) pass over n samples, cut into batches.
public struct EpochOrder: Sendable, Equatable {
    /// Samples per epoch.
    public let count: Int
    /// Samples per batch.
    public let batchSize: Int
    /// The order of the samples in this epoch.
    public let indices: [Int]
    /// Whether a last batch smaller than `batchSize` is left out.
    public let dropLast: Bool

    /// The order of epoch `epoch` for `seed`; `shuffle` false visits 0 … n−1 in turn.
    public init(count: Int, batchSize: Int, epoch: Int, seed: UInt64, shuffle: Bool = true, dropLast: Bool = false) {
        precondition(count >= 0 && batchSize >= 1 && epoch >= 0,
                     "EpochOrder: needs count ≥ 0, batchSize ≥ 1 and epoch ≥ 0, got \(count), \(batchSize), \(epoch)")
        self.count = count
        self.batchSize = batchSize
        self.dropLast = dropLast
        if shuffle {
            var generator = RandomGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(epoch) &+ 0x5DEE_CE66)
            indices = generator.permutation(count)
        } else {
            indices = Array(0..<count)
        }
    }

    /// How many batches the epoch has.
    public var batchCount: Int { dropLast ? count / batchSize : (count + batchSize - 1) / batchSize }

    /// The sample indices of batch b (0 ..< batchCount).
    public func batch(_ b: Int) -> ArraySlice<Int> {
        precondition(b >= 0 && b < batchCount, "EpochOrder.batch: \(b) is outside 0..<\(batchCount)")
        return indices[b * batchSize ..< Swift.min(count, (b + 1) * batchSize)]
    }
}
