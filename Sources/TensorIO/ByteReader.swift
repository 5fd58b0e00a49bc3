// ByteReader: bounds-checked reads of fixed-width numbers from a file's bytes.
//
// A binary header is a sequence of fields at known offsets. Before any load,
// the reader checks that offset + width <= file length (written as
// width <= length − offset, which cannot overflow), and otherwise throws
// `DataError.truncated` with the offset and what was missing. No input can
// make a load go past the end of the buffer.

import Foundation
import Tensor

/// Reads numbers from a byte buffer, throwing `DataError.truncated` instead of reading past its end.
struct ByteReader {
    /// The whole file.
    let bytes: UnsafeRawBufferPointer
    /// The file's path, for errors.
    let path: String

    /// Number of bytes in the file.
    var count: Int { bytes.count }

    /// Throws unless `length` bytes can be read at `offset`.
    func require(_ length: Int, at offset: Int) throws {
        guard offset >= 0, length >= 0, offset <= bytes.count, length <= bytes.count - offset else {
            throw DataError.truncated(path: path, offset: offset, expected: length,
                                      available: max(0, bytes.count - max(0, offset)))
        }
    }

    /// The address of byte `offset`, after checking that `length` bytes follow it.
    func pointer(at offset: Int, length: Int) throws -> UnsafeRawPointer {
        try require(length, at: offset)
        // A zero-length buffer may have no address; nothing is read from it then.
        return bytes.baseAddress.map { UnsafeRawPointer($0) + offset } ?? UnsafeRawPointer(bitPattern: 1)!
    }

    /// The byte at `offset`.
    func uint8(at offset: Int) throws -> UInt8 {
        try require(1, at: offset)
        return bytes[offset]
    }

    /// A 16-bit unsigned integer stored least significant byte first.
    func uint16LittleEndian(at offset: Int) throws -> UInt16 {
        try require(2, at: offset)
        return UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    /// A 32-bit unsigned integer stored least significant byte first.
    func uint32LittleEndian(at offset: Int) throws -> UInt32 {
        try require(4, at: offset)
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// A 32-bit unsigned integer stored most significant byte first.
    func uint32BigEndian(at offset: Int) throws -> UInt32 {
        try require(4, at: offset)
        return UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// A 64-bit unsigned integer stored least significant byte first.
    func uint64LittleEndian(at offset: Int) throws -> UInt64 {
        try require(8, at: offset)
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Up to `length` bytes from `offset` written as hex pairs ("93 4e 55"), for error messages.
    func hex(at offset: Int, length: Int) -> String {
        let end = min(bytes.count, offset + length)
        guard offset < end else { return "nothing (the file is shorter)" }
        return (offset..<end).map { String(format: "%02x", bytes[$0]) }.joined(separator: " ")
    }
}

extension Data {
    /// Runs `body` with a bounds-checked reader over these bytes.
    func withByteReader<Result>(path: String, _ body: (ByteReader) throws -> Result) throws -> Result {
        try withUnsafeBytes { try body(ByteReader(bytes: $0, path: path)) }
    }
}

/// The product of `sizes`, or nil when one is negative or the product overflows `Int`.
func checkedProduct(_ sizes: [Int]) -> Int? {
    var product = 1
    for size in sizes {
        guard size >= 0 else { return nil }
        let (next, overflow) = product.multipliedReportingOverflow(by: size)
        if overflow { return nil }
        product = next
    }
    return product
}

extension Data {
    /// Appends the tensor's Floats as little-endian IEEE 754 float32, the order .npy and safetensors use.
    mutating func appendLittleEndianFloats(of tensor: Tensor) {
        tensor.withUnsafeBufferPointer { values in
            if UInt32(1).littleEndian == 1 {
                append(values)                      // this machine is little-endian: the bytes as they are
            } else {
                for value in values { Swift.withUnsafeBytes(of: value.bitPattern.littleEndian) { append(contentsOf: $0) } }
            }
        }
    }

    /// Appends an unsigned integer's bytes, least significant first.
    mutating func appendLittleEndian<Integer: FixedWidthInteger>(_ value: Integer) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
