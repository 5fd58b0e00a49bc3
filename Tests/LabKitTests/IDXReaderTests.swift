import Foundation
import Testing
@testable import LabKit
@testable import TensorIO

/// The bytes of an IDX file: 00 00, type code, rank, big-endian sizes, payload.
func idxBytes(type: UInt8, shape: [UInt32], payload: [UInt8]) -> [UInt8] {
    [0, 0, type, UInt8(shape.count)] + shape.flatMap { bigEndianBytes($0) } + payload
}

@Suite struct IDXReaderTests {
    @Test func readsUnsignedBytesWithTheirShape() throws {
        let folder = TemporaryFolder()
        let path = folder.write(idxBytes(type: 0x08, shape: [2, 2, 3], payload: (0..<12).map { UInt8($0) }), to: "a-idx3-ubyte")
        let tensor = try IDX.read(contentsOf: path)
        #expect(tensor.shape == [2, 2, 3])
        #expect(tensor.scalars == (0..<12).map(Float.init))
        #expect(tensor[1, 0, 2] == 8)
    }

    @Test func readsEveryTypeCodeBigEndian() throws {
        let signed = try IDX.decode(Data(idxBytes(type: 0x09, shape: [3], payload: [0xFF, 0x80, 0x7F])), path: "i8")
        #expect(signed.scalars == [-1, -128, 127])

        let shorts = try IDX.decode(Data(idxBytes(type: 0x0B, shape: [2],
                                                  payload: bigEndianBytes(Int16(-300)) + bigEndianBytes(Int16(1234)))), path: "i16")
        #expect(shorts.scalars == [-300, 1234])

        let ints = try IDX.decode(Data(idxBytes(type: 0x0C, shape: [2],
                                                payload: bigEndianBytes(Int32(-70_000)) + bigEndianBytes(Int32(16_777_216)))), path: "i32")
        #expect(ints.scalars == [-70_000, 16_777_216])

        let floats = try IDX.decode(Data(idxBytes(type: 0x0D, shape: [1, 2],
                                                  payload: bigEndianBytes(Float(1.5).bitPattern) + bigEndianBytes(Float(-0.25).bitPattern))), path: "f32")
        #expect(floats.shape == [1, 2])
        #expect(floats.scalars == [1.5, -0.25])

        let doubles = try IDX.decode(Data(idxBytes(type: 0x0E, shape: [2],
                                                   payload: bigEndianBytes(Double(2.75).bitPattern) + bigEndianBytes(Double(1e-3).bitPattern))), path: "f64")
        #expect(doubles.scalars == [2.75, Float(1e-3)])
    }

    @Test func gzipAndRawFilesGiveTheSameTensor() throws {
        let folder = TemporaryFolder()
        let bytes = idxBytes(type: 0x08, shape: [10, 28, 28], payload: (0..<7840).map { UInt8($0 % 256) })
        let raw = try IDX.read(contentsOf: folder.write(bytes, to: "raw"))
        let compressed = try IDX.read(contentsOf: folder.write(Gzip.compress(Data(bytes)), to: "packed.gz"))
        #expect(raw == compressed)
        #expect(raw.shape == [10, 28, 28])
    }

    @Test func largeFileConvertsEveryByte() throws {
        // Big enough for the conversion to be split across cores.
        let count = 3_000_000
        let payload = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let tensor = try IDX.decode(Data(idxBytes(type: 0x08, shape: [UInt32(count)], payload: payload)), path: "big", dividingBy: 2)
        tensor.withUnsafeBufferPointer { values in
            var mismatches = 0
            for i in 0..<count where values[i] != Float(payload[i]) / 2 { mismatches += 1 }
            #expect(mismatches == 0)
        }
    }

    // MARK: Malformed files

    @Test func wrongMagicIsReported() {
        expectDataError(.badMagic) { try IDX.decode(Data([0x1f, 0x00, 0x08, 0x01, 0, 0, 0, 0]), path: "m") }
    }

    @Test func truncatedHeaderIsReported() {
        let error = expectDataError(.truncated) {
            try IDX.decode(Data([0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0xEA, 0x60, 0x00]), path: "h")
        }
        if case .truncated(_, let offset, let expected, let available)? = error {
            #expect(offset == 8)        // the second size, which is cut after one byte
            #expect(expected == 4)
            #expect(available == 1)
        }
        expectDataError(.truncated) { try IDX.decode(Data([0x00, 0x00]), path: "h2") }
    }

    @Test func dataShorterThanTheDimensionsIsReported() {
        let error = expectDataError(.truncated) {
            try IDX.decode(Data(idxBytes(type: 0x08, shape: [3, 28, 28], payload: [UInt8](repeating: 1, count: 2000))), path: "d")
        }
        if case .truncated(_, let offset, let expected, let available)? = error {
            #expect(offset == 16)
            #expect(expected == 3 * 28 * 28)
            #expect(available == 2000)
        }
        // A wider type needs width × count bytes.
        expectDataError(.truncated) {
            try IDX.decode(Data(idxBytes(type: 0x0D, shape: [2], payload: [0, 0, 0, 0, 0, 0, 0])), path: "f")
        }
    }

    @Test func trailingGarbageIsReported() {
        let error = expectDataError(.trailingBytes) {
            try IDX.decode(Data(idxBytes(type: 0x08, shape: [2], payload: [1, 2, 3, 4, 5])), path: "t")
        }
        if case .trailingBytes(_, let offset, let count)? = error {
            #expect(offset == 10)
            #expect(count == 3)
        }
    }

    @Test func unsupportedTypeCodeIsReported() {
        let error = expectDataError(.unsupported) {
            try IDX.decode(Data(idxBytes(type: 0x0A, shape: [1], payload: [0])), path: "u")
        }
        #expect(error?.description.contains("0x0a") == true)
    }

    @Test func zeroDimensionsAndOverflowingDimensionsAreReported() {
        expectDataError(.badHeader) { try IDX.decode(Data([0, 0, 0x08, 0]), path: "r0") }
        expectDataError(.badHeader) {
            try IDX.decode(Data(idxBytes(type: 0x0E, shape: [.max, .max, .max], payload: [])), path: "huge")
        }
    }

    @Test func corruptGzipIsReported() {
        let folder = TemporaryFolder()
        let packed = Gzip.compress(Data(idxBytes(type: 0x08, shape: [1000], payload: [UInt8](repeating: 3, count: 1000))))
        let path = folder.write(packed.prefix(packed.count - 12), to: "cut.gz")
        expectDataError(.corruptCompression) { try IDX.read(contentsOf: path) }
    }

    @Test func missingFileAndDirectoryAreReported() {
        let folder = TemporaryFolder()
        let error = expectDataError(.fileNotFound) { try IDX.read(contentsOf: folder.file("absent")) }
        #expect(error?.description == "\(folder.file("absent")): no such file")
        expectDataError(.fileNotFound) { try IDX.read(contentsOf: folder.path) }
    }

    @Test func zeroLengthFileIsReported() {
        let folder = TemporaryFolder()
        let path = folder.write([UInt8](), to: "empty")
        expectDataError(.emptyFile) { try IDX.read(contentsOf: path) }
        // A gzip file that inflates to nothing is empty too.
        let packed = folder.write(Gzip.compress(Data()), to: "empty.gz")
        expectDataError(.emptyFile) { try IDX.read(contentsOf: packed) }
    }

    @Test func damagedFilesOnlyThrowDataErrors() {
        let original = Data(idxBytes(type: 0x0C, shape: [3, 4], payload: (0..<12).flatMap { bigEndianBytes(Int32($0)) }))
        let outcome = expectOnlyDataErrors(damagedCopies(of: original, count: 3000, seed: 11)) {
            _ = try IDX.decode($0, path: "damaged")
        }
        #expect(outcome.rejected > 1000)     // overwritten payload bytes still make a valid file
    }

    @Test func noPrefixOfAValidFileCrashes() throws {
        // Every cut of a valid file is an error, never a crash or a wrong tensor.
        let bytes = idxBytes(type: 0x0C, shape: [2, 3], payload: (0..<6).flatMap { bigEndianBytes(Int32($0)) })
        for length in 0..<bytes.count {
            #expect(throws: DataError.self) { try IDX.decode(Data(bytes.prefix(length)), path: "cut") }
        }
        #expect(try IDX.decode(Data(bytes), path: "whole").scalars == [0, 1, 2, 3, 4, 5])
    }
}
