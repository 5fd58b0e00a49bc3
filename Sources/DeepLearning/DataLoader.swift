// DataLoader: a data set cut into (optionally shuffled, augmented) mini-batches.
//
// An epoch is one pass over the n samples. Mini-batch gradient descent takes
// one optimizer step per batch of B samples, the batches being consecutive
// slices of the epoch's order (EpochOrder: a permutation that depends only on
// the seed and the epoch number, so a resumed run sees the same batches as a
// straight one). Batch b gathers the rows order[bB ..< (b + 1)B] of the inputs
// [n, …] and targets [n] (or [n, …]) into tensors [B, …], then, for images,
// applies the random shift and rotation drawn for each sample
// (ImageAugmentation, seeded by seed, epoch and sample index).
//
// Prefetch (PyTorch's DataLoader workers, reduced to one): while the network
// trains on batch b, a background thread gathers and augments batch b + 1
// into a one-slot buffer; `next()` waits on a semaphore until the slot is full,
// takes the batch and starts the following one. Gathering then costs almost
// nothing on the training thread. Every random choice is a function of
// (seed, epoch, sample), never of which thread ran when, so the batches are
// identical with prefetch on or off.

import Dispatch
import Tensor

/// Mini-batches of (inputs, targets) rows, shuffled per epoch with a seed, optionally augmented
/// and prefetched on a background thread (PyTorch's `DataLoader`).
public struct DataLoader: Sendable {
    /// One mini-batch: inputs [B, …] and targets [B] or [B, …].
    public typealias Batch = (inputs: Tensor, targets: Tensor)

    /// All inputs, [n, …].
    public let inputs: Tensor
    /// All targets, [n] or [n, …] (class indices stored as Float for classifiers).
    public let targets: Tensor
    /// B: samples per batch.
    public let batchSize: Int
    /// Whether each epoch visits the samples in a fresh random order.
    public let shuffle: Bool
    /// Seeds the orders and the augmentation.
    public let seed: UInt64
    /// Whether a last batch smaller than `batchSize` is left out.
    public let dropLast: Bool
    /// Random shifts and rotations applied to image inputs, or nil.
    public let augmentation: ImageAugmentation?
    /// Whether the next batch is prepared on a background thread while the current one is used.
    public let prefetch: Bool

    /// Creates a loader over `inputs` [n, …] and `targets` [n] or [n, …].
    public init(inputs: Tensor, targets: Tensor, batchSize: Int, shuffle: Bool = true, seed: UInt64 = 0,
                dropLast: Bool = false, augmentation: ImageAugmentation? = nil, prefetch: Bool = true) {
        precondition(inputs.rank >= 1 && targets.rank >= 1 && inputs.shape[0] == targets.shape[0],
                     "DataLoader: inputs \(inputs.shape) and targets \(targets.shape) need the same number of rows")
        precondition(batchSize >= 1, "DataLoader: batchSize must be ≥ 1, got \(batchSize)")
        precondition(augmentation == nil || inputs.rank == 3 || inputs.rank == 4,
                     "DataLoader: augmentation needs images [n, H, W] or [n, C, H, W], inputs are \(inputs.shape)")
        self.inputs = inputs
        self.targets = targets
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
        self.dropLast = dropLast
        self.augmentation = augmentation
        self.prefetch = prefetch
    }

    /// n: number of samples.
    public var count: Int { inputs.shape[0] }

    /// Batches per epoch.
    public var batchCount: Int { dropLast ? count / batchSize : (count + batchSize - 1) / batchSize }

    /// Samples per epoch (fewer than `count` when `dropLast` drops a partial batch).
    public var samplesPerEpoch: Int { dropLast ? batchCount * batchSize : count }

    /// The sample order of `epoch`.
    public func order(epoch: Int) -> EpochOrder {
        EpochOrder(count: count, batchSize: batchSize, epoch: epoch, seed: seed, shuffle: shuffle, dropLast: dropLast)
    }

    /// Batch `index` of `order` (which must be `order(epoch: epoch)`): rows gathered, then augmented.
    public func batch(_ index: Int, of order: EpochOrder, epoch: Int) -> Batch {
        let samples = Array(order.batch(index))
        var batchInputs = inputs.gathering(samples, axis: 0)                 // [B, …]
        let batchTargets = targets.gathering(samples, axis: 0)               // [B] or [B, …]
        if let augmentation {
            batchInputs = augmentation.apply(to: batchInputs, samples: samples, epoch: epoch, seed: seed)
        }
        return (batchInputs, batchTargets)
    }

    /// The batches of epoch `epoch`, in order.
    public func batches(epoch: Int) -> Batches {
        Batches(loader: self, epoch: epoch)
    }

    /// The batches of one epoch; each iteration starts its own pass (and its own prefetching).
    public struct Batches: Sequence, Sendable {
        /// The loader the batches come from.
        public let loader: DataLoader
        /// The epoch whose order and augmentation are used.
        public let epoch: Int

        public func makeIterator() -> Iterator {
            Iterator(loader: loader, epoch: epoch)
        }

        public var underestimatedCount: Int { loader.batchCount }

        /// Hands out the batches one by one, the next one prepared in the background when prefetching.
        public struct Iterator: IteratorProtocol {
            private let source: BatchSource
            private let batchCount: Int
            private let prefetcher: BatchPrefetcher?
            private var nextIndex = 0

            init(loader: DataLoader, epoch: Int) {
                source = BatchSource(loader: loader, order: loader.order(epoch: epoch), epoch: epoch)
                batchCount = source.order.batchCount
                prefetcher = loader.prefetch && batchCount > 0 ? BatchPrefetcher(source: source) : nil
                prefetcher?.start(0)
            }

            public mutating func next() -> Batch? {
                guard nextIndex < batchCount else { return nil }
                let index = nextIndex
                nextIndex += 1
                guard let prefetcher else { return source.batch(index) }
                let batch = prefetcher.take()
                if nextIndex < batchCount { prefetcher.start(nextIndex) }
                return batch
            }
        }
    }
}

/// What is needed to make any batch of one epoch (immutable, so it can go to another thread).
struct BatchSource: Sendable {
    let loader: DataLoader
    let order: EpochOrder
    let epoch: Int

    func batch(_ index: Int) -> DataLoader.Batch { loader.batch(index, of: order, epoch: epoch) }
}

/// A one-slot producer: `start(b)` makes batch b on a background thread, `take()` waits for it.
/// The iterator alternates start and take, so at most one batch is ever in flight.
final class BatchPrefetcher: Sendable {
    private let source: BatchSource
    private let slot = PthreadLock<DataLoader.Batch?>(nil)   // not Mutex: see Tensor's PthreadLock.swift
    private let filled = DispatchSemaphore(value: 0)

    init(source: BatchSource) { self.source = source }

    /// Starts making batch `index` in the background.
    func start(_ index: Int) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let batch = source.batch(index)
            slot.withLock { $0 = batch }
            filled.signal()
        }
    }

    /// Waits until the batch started last is ready and takes it out of the slot.
    func take() -> DataLoader.Batch {
        filled.wait()
        return slot.withLock { value in
            let batch = value!
            value = nil
            return batch
        }
    }
}
