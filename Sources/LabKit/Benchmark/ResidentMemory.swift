// ResidentMemory: how much physical memory this process holds right now, its
// resident set size (RSS): the pages of its heap, stacks, code and mapped files
// that are in RAM. Read from /proc/self/statm (Linux), whose second field is the
// resident page count: RSS = pages × page size. The memory tests train for
// thousands of steps and check that this stays flat (a graph or a buffer kept by
// mistake from one step to the next makes it grow by the same amount each step).
//
// RSS has three parts:
//
//     RSS = live heap + free heap kept by malloc + the rest (code, stacks, mapped buffers)
//
// A leak in our code grows the live heap (or the rest, for memory mapped
// directly). The free heap is malloc's business: MLLab tells glibc to keep
// freed blocks for reuse (HeapReuse.swift), and when a step's allocations and
// frees come in another order than last time (worker threads free blocks when
// they finish, and a busy machine reorders them), a large request may find no
// free hole big enough and extend the heap, leaving the hole free beside it.
// That is fragmentation: a few hundred KiB to a few MiB that RSS gains in
// jumps, not one step after another. `heap()` reads glibc's own count of both
// heap parts (mallinfo2), so a test can tell the two kinds of growth apart.

import CPlatform
import Foundation

public enum ResidentMemory {
    /// Whether this system reports it (Linux's /proc).
    public static var isAvailable: Bool { FileManager.default.fileExists(atPath: "/proc/self/statm") }

    /// The resident set size of this process in bytes (0 where /proc is missing).
    public static func bytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// What malloc's heap holds, in bytes.
    public struct Heap: Sendable, Equatable, Codable {
        /// Bytes in blocks the program has allocated and not freed. glibc counts the
        /// freed blocks each thread caches for its next requests (its tcache) here too.
        public var live: Int
        /// Bytes in blocks freed and kept by malloc for later requests.
        public var keptFree: Int
    }

    /// The heap as glibc counts it, or nil where malloc does not report it (another
    /// C library, a glibc older than 2.33, or a sanitizer's allocator, which reports zeros).
    public static func heap() -> Heap? {
        var live = 0, keptFree = 0
        guard mllab_heap_bytes(&live, &keptFree) != 0, live > 0 else { return nil }
        return Heap(live: live, keptFree: keptFree)
    }

    /// The resident size and the heap at one moment, to compare with another.
    public struct Snapshot: Sendable, Equatable, Codable {
        public var resident: Int
        public var heap: Heap?

        /// The resident size less the free blocks malloc keeps: what fragmentation does not move.
        public var residentLessKeptFree: Int? { heap.map { resident - $0.keptFree } }

        /// The figures now.
        public static func now() -> Snapshot { Snapshot(resident: ResidentMemory.bytes(), heap: ResidentMemory.heap()) }
    }
}
