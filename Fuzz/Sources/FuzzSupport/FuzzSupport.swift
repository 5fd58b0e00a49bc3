// FuzzSupport: what every fuzz harness shares.
//
// libFuzzer calls a harness's LLVMFuzzerTestOneInput with one input at a time.
// The harness hands the bytes to a reader: a thrown error is the reader doing
// its job (the input is malformed), so it is ignored; a trap, a sanitizer
// report, a hang or a huge allocation is a bug that libFuzzer reports.
//
// Seed inputs: run a harness with MLLAB_FUZZ_WRITE_SEEDS=<folder> and its
// LLVMFuzzerInitialize writes the harness's small valid files there and exits
// (Fuzz/make-seeds.sh), so the seeds come from MLLab's own writers.

import Foundation

/// Runs `body` on the input bytes, ignoring any error it throws; returns libFuzzer's 0.
public func fuzzInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int, _ body: (Data) throws -> Void) -> CInt {
    let data = size == 0 || bytes == nil ? Data() : Data(bytes: bytes!, count: size)
    do { try body(data) } catch {}
    return 0
}

/// When MLLAB_FUZZ_WRITE_SEEDS names a folder, writes each (file name, bytes) of `seeds()` there and exits.
public func writeSeedsIfAsked(_ seeds: () throws -> [(String, Data)]) -> CInt {
    guard let folder = ProcessInfo.processInfo.environment["MLLAB_FUZZ_WRITE_SEEDS"] else { return 0 }
    do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, data) in try seeds() {
            try data.write(to: URL(fileURLWithPath: folder).appendingPathComponent(name))
        }
    } catch {
        FileHandle.standardError.write(Data("cannot write the seeds: \(error)\n".utf8))
        exit(1)
    }
    exit(0)
}

/// The bytes a writer that only writes to a path (a checkpoint's `save(to:)`) produces.
public func bytesWritten(by write: (String) throws -> Void) throws -> Data {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("mllab-fuzz-seed-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try write(path)
    return try Data(contentsOf: URL(fileURLWithPath: path))
}
