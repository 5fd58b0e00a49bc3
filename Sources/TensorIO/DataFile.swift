// DataFile: getting a file's bytes in and out, safely.
//
// Reading: the whole file is read into memory at once (the data sets of the
// labs are at most a few hundred megabytes); a gzip file, recognised by its
// first two bytes 1f 8b rather than by its name, is inflated on the way.
// Both are bounded by `maximumSize` (default: half the machine's memory): a
// file whose size on disk is larger is refused before a byte is read, and
// inflating stops as soon as the output would pass it (a 1 MB gzip "bomb"
// can inflate to 1 GB), each with `DataError.tooLarge` instead of the
// out-of-memory kill that reading on would end in.
//
// Writing is atomic: the bytes go to a temporary file in the same folder,
// which is then renamed over the destination. rename(2) within one file system
// replaces the old file in a single step, so a reader (or a crash halfway
// through a checkpoint) sees either the old file or the new one, never half.
// The temporary file is flushed to the disk (fsync) before the rename, and the
// folder after it: without that, a power cut soon after can leave the new name
// pointing at blocks the disk never received. A writer killed mid-save leaves
// its temporary file behind; the next successful save of the same file removes
// such leftovers of writers that no longer run.

import Foundation
import Tensor

/// Reads and writes whole files, turning every failure into a `DataError`.
public enum DataFile {
    /// The most bytes `read` and `readDecompressing` hold unless told otherwise: half the physical memory.
    public static let defaultMaximumSize = Int(clamping: ProcessInfo.processInfo.physicalMemory / 2)

    /// The bytes of the file at `path`, exactly as stored; a file longer than `maximumSize` bytes is refused.
    public static func read(_ path: String, maximumSize: Int = defaultMaximumSize) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw DataError.fileNotFound(path: path)
        }
        // The size on disk, through symbolic links (0 for /proc files, which are then read to their end).
        var status = stat()
        let statted = stat(path, &status) == 0
        if statted, Int(status.st_size) > maximumSize {
            throw DataError.tooLarge(path: path, position: .byte(0), what: "the file (\(status.st_size) bytes)", limit: maximumSize)
        }
        // A size of 0 is an empty file or a /proc file (whose size says 0 whatever it holds). Foundation
        // reads both in 4 KiB chunks and leaks the first one when it ends empty or fails (AddressSanitizer's
        // leak check reports it), so a one-byte read settles those two cases here.
        if statted, status.st_mode & S_IFMT == S_IFREG, status.st_size == 0 {
            let descriptor = open(path, O_RDONLY)
            if descriptor >= 0 {
                defer { close(descriptor) }
                switch readOneByte(descriptor) {
                case 0: return Data()
                case -1: throw DataError.ioFailure(path: path, reason: String(cString: strerror(errno)))
                default: break   // a /proc file with contents: read it whole below
                }
            }
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DataError.ioFailure(path: path, reason: error.localizedDescription)
        }
    }

    /// The bytes of the file at `path`, inflated first when they are gzip-compressed.
    /// An empty file (before or after inflating) is an error: no format TensorIO or LabKit reads is empty.
    /// Neither the file nor its inflated bytes may be longer than `maximumSize`.
    public static func readDecompressing(_ path: String, maximumSize: Int = defaultMaximumSize) throws -> Data {
        let stored = try read(path, maximumSize: maximumSize)
        if stored.isEmpty { throw DataError.emptyFile(path: path) }
        guard Gzip.isCompressed(stored) else { return stored }
        let inflated = try Gzip.decompress(stored, path: path, maximumSize: maximumSize)
        if inflated.isEmpty { throw DataError.emptyFile(path: path) }
        return inflated
    }

    /// Writes `data` to `path` atomically: into a temporary file beside it, then renamed over it.
    public static func writeAtomically(_ data: Data, to path: String) throws {
        let destination = URL(fileURLWithPath: path)
        let folder = destination.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError.fileNotFound(path: folder.path)
        }
        // A name no other writer uses: hidden, with this process id and a random suffix.
        let temporary = folder.appendingPathComponent(
            ".\(destination.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw DataError.ioFailure(path: temporary.path, reason: "cannot create the file")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()   // fsync: the bytes are on the disk before the name moves
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw DataError.ioFailure(path: path, reason: "cannot write a temporary file: \(error.localizedDescription)")
        }
        if rename(temporary.path, destination.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw DataError.ioFailure(path: path, reason: "cannot rename the temporary file into place: \(reason)")
        }
        let folderDescriptor = open(folder.path, O_RDONLY)   // fsync the folder: the rename itself is on the disk
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
        removeLeftovers(of: destination.lastPathComponent, in: folder)
    }

    /// Removes the temporary files that earlier writers of `name` left behind when they were killed
    /// mid-save: ".NAME.PID-RANDOM.tmp" whose process PID no longer exists. A live writer's file
    /// (another process saving now, or this one) is left alone.
    static func removeLeftovers(of name: String, in folder: URL) {
        let prefix = ".\(name)."
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for entry in entries where entry.hasPrefix(prefix) && entry.hasSuffix(".tmp") {
            let idAndSuffix = entry.dropFirst(prefix.count).dropLast(".tmp".count)   // "PID-RANDOM"
            guard let dash = idAndSuffix.firstIndex(of: "-"), let writer = pid_t(idAndSuffix[..<dash]),
                  writer != getpid() else { continue }
            if kill(writer, 0) != 0 && errno == ESRCH {   // signal 0 only asks whether the process exists
                try? FileManager.default.removeItem(at: folder.appendingPathComponent(entry))
            }
        }
    }
}

/// read(2) of one byte from an open file: 1, 0 at its end, or -1 (errno set) on failure.
private func readOneByte(_ descriptor: Int32) -> Int {
    var byte: UInt8 = 0
    return read(descriptor, &byte, 1)
}
