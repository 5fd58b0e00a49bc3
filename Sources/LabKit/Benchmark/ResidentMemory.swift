// ResidentMemory: how much physical memory this process holds right now, its
// resident set size (RSS): the pages of its heap, stacks, code and mapped files
// that are in RAM. Read from /proc/self/statm (Linux), whose second field is the
// resident page count: RSS = pages × page size. The memory tests train for
// thousands of steps and check that this stays flat (a graph or a buffer kept by
// mistake from one step to the next makes it grow by the same amount each step).

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
}
