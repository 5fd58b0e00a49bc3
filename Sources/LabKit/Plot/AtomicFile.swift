// AtomicFile: replace a file in one step, so that a reader never sees half of it.
//
// The bytes go to a temporary file in the destination's own folder, and then
// rename(2) swaps it in. POSIX guarantees rename within one file system is
// atomic: anyone opening the path sees the old file or the new one, never a
// partial write, even if the program is killed mid-way. The temporary file is
// in the same folder because rename cannot cross file systems. On any failure
// the temporary file is removed, so nothing is left behind.
//
// Shared by the PNG writer (Plot/) and the JSON report (Report/).

import Foundation

/// Writes whole files atomically (temporary file + rename), creating missing folders.
enum AtomicFile {
    /// Why an atomic write failed; the callers turn it into their own typed errors.
    enum Failure: Error {
        /// The destination's folder is missing and could not be created.
        case folder(reason: String)
        /// The temporary file could not be written or renamed into place.
        case file(reason: String)
    }

    /// Writes `data` to `url`, replacing any existing file in one step.
    static func write(_ data: Data, to url: URL) throws(Failure) {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .folder(reason: reason(of: error))
        }
        // A name no other writer will pick: hidden, with the process id and a random part.
        let temporary = folder.appendingPathComponent(
            ".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw .file(reason: reason(of: error))
        }
        if rename(temporary.path, url.path) != 0 {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw .file(reason: message)
        }
    }

    /// The most specific human-readable reason Foundation gives (the POSIX one when present).
    private static func reason(of error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return nsError.localizedDescription
    }
}
