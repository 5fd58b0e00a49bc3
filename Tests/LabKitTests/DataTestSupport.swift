// Shared by the data reader tests: temporary folders, error checks, and the
// conditions that enable the tests needing real data sets or NumPy.
import Foundation
import Testing
@testable import LabKit

/// A fresh folder under the system's temporary folder, deleted when released.
final class TemporaryFolder {
    let path: String

    init() {
        path = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("labkit-tests-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The path of `name` inside the folder (the file need not exist).
    func file(_ name: String) -> String {
        URL(fileURLWithPath: path).appendingPathComponent(name).path
    }

    /// Writes bytes to `name` and returns its path.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String) -> String {
        write(Data(bytes), to: name)
    }

    /// Writes data to `name` and returns its path.
    @discardableResult
    func write(_ data: Data, to name: String) -> String {
        let path = file(name)
        try! data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Writes UTF-8 text to `name` and returns its path.
    @discardableResult
    func write(text: String, to name: String) -> String {
        write(Data(text.utf8), to: name)
    }

    /// The names of the files in the folder, sorted.
    func contents() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }
}

/// Expects `body` to throw a `DataError` of `kind`, and returns the error for further checks.
@discardableResult
func expectDataError<R>(_ kind: DataError.Kind,
                        sourceLocation: SourceLocation = #_sourceLocation,
                        _ body: () throws -> R) -> DataError? {
    let error = #expect(throws: DataError.self, sourceLocation: sourceLocation) { _ = try body() }
    #expect(error?.kind == kind, "expected \(kind), got \(error.map { "\($0)" } ?? "no DataError")",
            sourceLocation: sourceLocation)
    return error
}

/// Bytes of a number stored most significant byte first.
func bigEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.bigEndian) { Array($0) }
}

/// Bytes of a number stored least significant byte first.
func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

/// Conditions for the tests that need something outside the repository.
enum TestEnvironment {
    /// `MLLAB_DATA`, when it is set.
    static let dataRoot: String? = ProcessInfo.processInfo.environment["MLLAB_DATA"].flatMap { $0.isEmpty ? nil : $0 }

    /// The folder of a real MNIST-layout data set under `MLLAB_DATA`, when present.
    static func realDataSet(_ name: String) -> String? {
        guard let root = dataRoot else { return nil }
        return MNIST.locate(name, using: DataLocator(roots: [root]))
    }

    /// A real file under `MLLAB_DATA`, when present.
    static func realFile(_ relativePath: String) -> String? {
        guard let root = dataRoot else { return nil }
        return DataLocator(roots: [root]).file(relativePath)
    }

    /// True when `python3 -c 'import numpy'` succeeds.
    static let hasNumPy: Bool = (try? runPython("import numpy")) != nil

    /// Runs a Python 3 program and returns its standard output; throws when it fails.
    static func runPython(_ program: String, arguments: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", program] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad)
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// `count` damaged copies of `original` from a fixed seed: some bytes overwritten,
/// the end cut off, or random bytes inserted. Used to check that readers only ever
/// throw `DataError` on bad input and never crash.
func damagedCopies(of original: Data, count: Int, seed: UInt64) -> [Data] {
    var random = RandomGenerator(seed: seed)
    return (0..<count).map { _ in
        var bytes = [UInt8](original)
        switch random.nextInt(below: 3) {
        case 0:
            for _ in 0...random.nextInt(below: 4) where !bytes.isEmpty {
                bytes[random.nextInt(below: bytes.count)] = UInt8(truncatingIfNeeded: random.next())
            }
        case 1:
            bytes.removeLast(random.nextInt(below: bytes.count + 1))
        default:
            let at = random.nextInt(below: bytes.count + 1)
            bytes.insert(contentsOf: (0...random.nextInt(below: 8)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
        }
        return Data(bytes)
    }
}

/// Runs `read` on every damaged copy and counts the outcomes; any error other than `DataError` is recorded as an issue.
func expectOnlyDataErrors(_ copies: [Data], sourceLocation: SourceLocation = #_sourceLocation,
                          _ read: (Data) throws -> Void) -> (accepted: Int, rejected: Int) {
    var accepted = 0, rejected = 0
    for copy in copies {
        do {
            try read(copy)
            accepted += 1
        } catch is DataError {
            rejected += 1
        } catch {
            Issue.record("unexpected error type: \(error)", sourceLocation: sourceLocation)
        }
    }
    return (accepted, rejected)
}
