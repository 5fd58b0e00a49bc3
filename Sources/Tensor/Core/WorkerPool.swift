// WorkerPool: threads that stay awake between parallel loops.
//
// Handing a loop to the system's thread pool (DispatchQueue.concurrentPerform)
// costs little on average, but on this 2-core machine the second core often
// joins late: in half of the 0.5 ms loops it arrived after the first core had
// finished alone. A matrix product of 256×256 takes 0.2 ms, so it gained
// nothing from the second core. OpenBLAS and PyTorch avoid that with worker
// threads that spin for a while after each job, ready for the next one; this
// pool does the same.
//
// One job at a time: the caller publishes the job (a loop body and a count),
// bumps the generation number and wakes any parked worker. Every thread,
// caller included, then claims iteration numbers from a shared counter until
// none are left, and the caller waits until every claimed iteration has
// finished (spinning, then sleeping until the last iteration signals).
// A worker that finds no new job spins for `spinTime`, then parks on a
// semaphore. Both waits are measured in time, not in loop turns, and each turn
// issues the CPU's spin hint (CPlatform's mllab_spin_pause). Why spin that long:
// a recurrent layer runs one parallel product per time step, 120 µs apart with
// 25 µs of serial work between them. A parked worker is woken through the
// kernel (futex), which on these virtual machines takes tens of microseconds,
// and the caller that went to sleep waiting for it pays the same again: with a
// spin of a few microseconds, W11 at 2 threads kept 1.35 cores busy and ran
// only 1.12× faster than on one. OpenMP's default (GOMP_SPINCOUNT) spins for
// a comparable time for the same reason.
// A loop started inside a job (or while another thread's job runs) does not
// wait for the pool: it runs on Dispatch instead.

import CPlatform
import Dispatch
import Foundation
import Synchronization

/// One parallel loop: the body and the counters that share its iterations out.
final class PoolJob: @unchecked Sendable {
    /// The loop body; cleared by the caller once every iteration is done.
    var body: ((Int) -> Void)?
    let iterations: Int
    let nextIteration = Atomic<Int>(0)
    let finishedIterations = Atomic<Int>(0)
    /// Signalled by whichever thread finishes the last iteration.
    let allFinished = DispatchSemaphore(value: 0)

    init(body: @escaping (Int) -> Void, iterations: Int) {
        self.body = body
        self.iterations = iterations
    }

    /// Runs iterations until none are left to claim.
    func participate() {
        while true {
            let i = nextIteration.wrappingAdd(1, ordering: .relaxed).oldValue
            if i >= iterations { return }
            body!(i)
            if finishedIterations.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == iterations {
                allFinished.signal()
            }
        }
    }
}

/// A fixed set of worker threads shared by every parallel loop of the process.
final class WorkerPool: @unchecked Sendable {
    /// One worker per core beyond the caller's.
    static let shared = WorkerPool(workers: Swift.max(ProcessInfo.processInfo.activeProcessorCount - 1, 0))

    private final class Worker: @unchecked Sendable {
        let wakeUp = DispatchSemaphore(value: 0)
        let parked = Atomic<Bool>(false)
    }

    private let workers: [Worker]
    private let generation = Atomic<Int>(0)
    private let current = PthreadLock<PoolJob?>(nil)   // not Mutex: see PthreadLock.swift
    private let busy = Atomic<Bool>(false)
    /// How long an idle worker polls for the next job before parking, and how long the caller
    /// polls for the last iteration before sleeping.
    private static let spinTime: UInt64 = 1_000_000   // nanoseconds

    /// Number of worker threads (the caller makes one more).
    var workerCount: Int { workers.count }

    private init(workers count: Int) {
        workers = (0..<count).map { _ in Worker() }
        for worker in workers {
            let thread = Thread { [unowned self] in self.serve(worker) }
            thread.name = "mllab-worker"
            thread.start()
        }
    }

    /// The loop each worker thread runs forever.
    private func serve(_ worker: Worker) {
        var seen = 0
        while true {
            if !Self.spin(until: { self.generation.load(ordering: .acquiring) != seen }) {
                // Park, unless a job was published meanwhile (the caller reads `parked` after
                // bumping the generation, so one of the two always sees the other).
                worker.parked.store(true, ordering: .sequentiallyConsistent)
                if generation.load(ordering: .sequentiallyConsistent) == seen { worker.wakeUp.wait() }
                worker.parked.store(false, ordering: .sequentiallyConsistent)
                continue
            }
            seen = generation.load(ordering: .acquiring)
            if let job = current.withLock({ $0 }) { job.participate() }
        }
    }

    /// Polls `condition` with the CPU's spin hint for up to `spinTime`; returns whether it became true.
    @inline(__always)
    private static func spin(until condition: () -> Bool) -> Bool {
        let deadline = DispatchTime.now().uptimeNanoseconds + spinTime
        var turns = 0
        while !condition() {
            mllab_spin_pause()
            turns += 1
            // Read the clock every 64 turns (~2 µs): it costs more than a turn.
            if turns & 63 == 0 && DispatchTime.now().uptimeNanoseconds > deadline { return false }
        }
        return true
    }

    /// Runs `body(i)` for i in 0..<iterations on the caller and the workers; returns when all are done.
    /// Returns false without running anything when the pool is already busy with another loop.
    func run(_ iterations: Int, _ body: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { escapable in
            let job = PoolJob(body: escapable, iterations: iterations)
            current.withLock { $0 = job }
            generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
            for worker in workers where worker.parked.load(ordering: .sequentiallyConsistent) {
                worker.wakeUp.signal()
            }
            job.participate()
            // Short jobs end while we spin; a long one (a worker still busy) is waited for
            // without holding the core.
            if !Self.spin(until: { job.finishedIterations.load(ordering: .acquiring) == iterations }) {
                job.allFinished.wait()
                // The semaphore orders the workers' writes before what follows, but inside
                // libdispatch, where ThreadSanitizer cannot see it; this acquiring load of the count
                // the last iteration released says the same thing in a way it can check.
                precondition(job.finishedIterations.load(ordering: .acquiring) == iterations)
            }
            // No thread can call the body any more: every iteration was claimed and has finished.
            current.withLock { $0 = nil }
            job.body = nil
        }
        return true
    }
}
