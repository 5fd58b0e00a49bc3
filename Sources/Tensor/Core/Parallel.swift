// Parallel: splitting a loop across cores, and the one thread-count setting.
//
// A loop over n items is cut into at most `threads` contiguous chunks and each
// chunk runs on its own core, on the threads of WorkerPool (which stay awake
// between loops) or, when that pool is busy, through Dispatch. Small
// loops stay on one core: starting a thread costs microseconds, more than
// adding a few thousand numbers. The same thread count is given to OpenBLAS,
// so that `--threads 1` means one core for our kernels and for BLAS alike.
import CBLAS
import Dispatch
import Foundation
import Synchronization

/// How many cores MLLab's kernels and OpenBLAS may use.
public enum ComputeThreads {
    private static let current = Atomic<Int>(ProcessInfo.processInfo.activeProcessorCount)

    /// The thread count in force (default: every core).
    public static var count: Int { current.load(ordering: .relaxed) }

    /// Sets the thread count for our own parallel loops and for OpenBLAS.
    public static func set(_ threads: Int) {
        precondition(threads >= 1, "ComputeThreads.set: thread count must be at least 1, got \(threads)")
        current.store(threads, ordering: .relaxed)
        openblas_set_num_threads(Int32(threads))
    }
}

/// Runs loops over index ranges on several cores.
public enum Parallel {
    /// Calls `body(range)` on disjoint ranges that cover `0..<count`, on up to `threads`
    /// cores, when there is at least `minimumPerThread` work per chunk; otherwise once, inline.
    @inlinable
    public static func forRanges(_ count: Int,
                                 minimumPerThread: Int = 32_768,
                                 threads: Int = ComputeThreads.count,
                                 _ body: (Range<Int>) -> Void) {
        if count <= 0 { return }
        let chunks = min(threads, max(1, count / max(minimumPerThread, 1)))
        if chunks <= 1 {
            body(0..<count)
            return
        }
        let step = (count + chunks - 1) / chunks
        forEachChunk(chunks) { chunk in
            let start = chunk * step
            let end = min(count, start + step)
            if start < end { body(start..<end) }
        }
    }

    /// Calls `body(i)` for i in 0..<iterations, concurrently, and returns when all are done.
    /// The callers own the memory they touch and write disjoint parts of it.
    public static func forEachChunk(_ iterations: Int, _ body: (Int) -> Void) {
        if iterations == 1 { body(0); return }
        if WorkerPool.shared.run(iterations, body) { return }
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: iterations) { box.value($0) }
        }
    }
}

/// Carries a value into a concurrent closure. Safe here because every chunk of
/// a parallel loop writes a disjoint range and the loop waits for all of them.
@usableFromInline
struct UncheckedSendable<Value>: @unchecked Sendable {
    @usableFromInline let value: Value
    @usableFromInline init(_ value: Value) { self.value = value }
}

/// A raw pointer carried into the chunks of a parallel loop that each write a disjoint part of it.
public struct ParallelWritePointer<Element>: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Element>
    public init(_ pointer: UnsafeMutablePointer<Element>) { self.pointer = pointer }
}
