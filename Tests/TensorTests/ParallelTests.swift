import Dispatch
import Synchronization
import Testing
@testable import Tensor

@Suite struct ParallelTests {
    @Test func everyIterationRunsExactlyOnce() {
        // Each iteration bumps its own counter, so a lost or repeated iteration shows.
        for iterations in [2, 3, 17, 1000] {
            var hits = [Int](repeating: 0, count: iterations)
            hits.withUnsafeMutableBufferPointer { buffer in
                let p = buffer.baseAddress!
                for _ in 0..<200 { Parallel.forEachChunk(iterations) { p[$0] += 1 } }
            }
            #expect(hits.allSatisfy { $0 == 200 }, "iterations \(iterations)")
        }
    }

    @Test func nestedAndConcurrentLoopsFallBackAndStillFinish() {
        // A loop inside a loop, and several threads starting loops at once: the pool is busy
        // for all but one of them, which then run on Dispatch.
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            Parallel.forEachChunk(4) { _ in
                Parallel.forEachChunk(3) { _ in total.wrappingAdd(1, ordering: .relaxed) }
            }
        }
        #expect(total.load(ordering: .relaxed) == 4 * 4 * 3)
    }

    @Test func rangesCoverTheLoopWithoutOverlap() {
        var seen = [Int](repeating: 0, count: 1_000_003)
        seen.withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress!
            Parallel.forRanges(buffer.count, minimumPerThread: 1000, threads: 2) { r in
                for i in r { p[i] += 1 }
            }
        }
        #expect(seen.allSatisfy { $0 == 1 })
    }
}
