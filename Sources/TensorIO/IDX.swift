// IDX: the file format of MNIST and Fashion-MNIST (LeCun et al., "The MNIST
// database of handwritten digits", 1998).
//
// Layout, every integer big-endian:
//   bytes 0-1    0x00 0x00
//   byte  2      type code: 08 unsigned byte, 09 signed byte, 0B int16,
//                0C int32, 0D float32, 0E float64
//   byte  3      number of dimensions r
//   bytes 4…     r sizes, each a UInt32:  d0, d1, …, d(r-1)
//   then         d0·d1·…·d(r-1) elements in row-major order
// So MNIST's training images start 00 00 08 03 | 60000 | 28 | 28 and then
// hold 60000·28·28 = 47,040,000 pixel bytes, and its labels start
// 00 00 08 01 | 60000. The file must end exactly after the last element.

import Foundation
import Tensor

/// Reads IDX files (gzip-compressed or raw) into tensors.
public enum IDX {
    /// The tensor stored in the IDX file at `path`, with the file's dimensions as its shape
    /// and its values converted to Float unchanged (MNIST pixels stay 0…255).
    /// The file may be gzip-compressed; this is detected from its first bytes, not its name.
    public static func read(contentsOf path: String) throws -> Tensor {
        try decode(DataFile.readDecompressing(path), path: path)
    }

    /// The tensor stored in the IDX bytes `data` (already decompressed); `path` names them in errors.
    public static func decode(_ data: Data, path: String) throws -> Tensor {
        try decode(data, path: path, dividingBy: 1)
    }

    /// Decodes with every value divided by `divisor` on the way (MNIST uses 255).
    package static func decode(_ data: Data, path: String, dividingBy divisor: Float) throws -> Tensor {
        if data.isEmpty { throw DataError.emptyFile(path: path) }
        return try data.withByteReader(path: path) { reader in
            try reader.require(4, at: 0)
            guard try reader.uint8(at: 0) == 0, try reader.uint8(at: 1) == 0 else {
                throw DataError.badMagic(path: path, found: reader.hex(at: 0, length: 4),
                                         expected: "00 00, a type code and a dimension count (IDX)")
            }
            let typeCode = try reader.uint8(at: 2)
            guard let scalar = storedScalar(typeCode: typeCode) else {
                throw DataError.unsupported(
                    path: path,
                    what: String(format: "IDX type code 0x%02x at byte 2 (expected 08, 09, 0b, 0c, 0d or 0e)", typeCode))
            }
            let rank = Int(try reader.uint8(at: 3))
            guard rank > 0 else {
                throw DataError.badHeader(path: path, position: .byte(3), reason: "the number of dimensions is 0")
            }
            var shape: [Int] = []
            for axis in 0..<rank {
                shape.append(Int(try reader.uint32BigEndian(at: 4 + 4 * axis)))
            }
            let dataOffset = 4 + 4 * rank
            guard let count = checkedProduct(shape),
                  case let (byteCount, overflow) = count.multipliedReportingOverflow(by: scalar.byteCount), !overflow else {
                throw DataError.badHeader(path: path, position: .byte(4),
                                          reason: "the dimensions \(shape) describe more elements than memory can hold")
            }
            let available = reader.count - dataOffset
            if available < byteCount {
                throw DataError.truncated(path: path, offset: dataOffset, expected: byteCount, available: available)
            }
            if available > byteCount {
                throw DataError.trailingBytes(path: path, offset: dataOffset + byteCount, count: available - byteCount)
            }
            let source = try reader.pointer(at: dataOffset, length: byteCount)
            var tensor = Tensor(uninitializedShape: shape)
            tensor.withUnsafeMutableBufferPointer { out in
                if let base = out.baseAddress { scalar.decode(source, count: count, into: base, dividingBy: divisor) }
            }
            return tensor
        }
    }

    /// The element type of an IDX type code; nil for codes the format does not define.
    private static func storedScalar(typeCode: UInt8) -> StoredScalar? {
        switch typeCode {
        case 0x08: return .uint8
        case 0x09: return .int8
        case 0x0B: return .int16(.big)
        case 0x0C: return .int32(.big)
        case 0x0D: return .float32(.big)
        case 0x0E: return .float64(.big)
        default: return nil
        }
    }
}
