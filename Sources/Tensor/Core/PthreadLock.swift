// PthreadLock: a mutual-exclusion lock on a POSIX pthread mutex.
//
// The standard library's `Mutex` (Synchronization) would do, but on Linux it
// locks with atomics and futex calls inside the prebuilt standard library,
// which ThreadSanitizer does not see: a value handed from one thread to another
// through a `Mutex` looks to it like a data race (measured: a `Mutex<[Int]>`
// appended to from four threads gave 3-4 "Swift access race" reports per run,
// the same code under a pthread mutex none). ThreadSanitizer intercepts
// pthread_mutex_lock and unlock, so a lock built on them keeps its runs of the
// test suite quiet without hiding real races.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Guards a value of type `Value`: `withLock` gives one thread at a time access to it.
public final class PthreadLock<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` on the guarded value while holding the lock.
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
