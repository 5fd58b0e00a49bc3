// Safetensors: Hugging Face's file format for named tensors (model weights).
//
// Layout:
//   bytes 0-7   N, the header length: UInt64 little-endian
//   bytes 8…    N bytes of UTF-8 JSON, for example
//                 {"__metadata__": {"step": "1000"},
//                  "fc.bias":   {"dtype": "F32", "shape": [3],    "data_offsets": [0, 12]},
//                  "fc.weight": {"dtype": "F32", "shape": [3, 2], "data_offsets": [12, 36]}}
//   then        the byte buffer: tensor t is bytes [begin, end) counted from the
//               buffer's start, little-endian, row-major.
// Rules checked on reading: end − begin = (product of shape) × dtype width;
// the ranges, sorted, tile the whole buffer with no gap and no overlap.
// We read F32, F16, BF16, F64, I64, I32, I16, I8, U8 and BOOL into Float (PyTorch
// checkpoints are often F16 or BF16), and write F32, tensors in name order,
// the header padded with spaces to a multiple of 8 bytes so the data is aligned.
//
// Checksum: the files we write carry "mllab.crc32" in their metadata, the
// CRC-32 (zlib's, as in gzip and PNG) of the whole byte buffer, 8 hex digits.
// Reading recomputes it and throws `checksumMismatch` when they differ, so a
// checkpoint with flipped or zeroed bytes is refused instead of loaded as
// wrong weights. The header needs no checksum of its own: it is checked by
// its structure (the offsets must tile the buffer, shapes must match byte
// counts). Files from elsewhere have no such entry and are read as they are;
// the entry is not returned among the metadata.

import CZlib
import Foundation
import Tensor

/// The contents of a safetensors file: named tensors and free-form string metadata.
public struct SafetensorsFile: Sendable {
    /// The tensors by name.
    public var tensors: [String: Tensor]
    /// The "__metadata__" entry: string keys and values (empty when absent).
    public var metadata: [String: String]

    /// A file's contents from tensors and metadata.
    public init(tensors: [String: Tensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }
}

/// Reads and writes `.safetensors` files.
public enum Safetensors {
    /// The reserved header key of the metadata.
    public static let metadataKey = "__metadata__"
    /// The metadata key of the buffer's CRC-32, written by `encode` and checked by `decode`.
    public static let checksumKey = "mllab.crc32"

    /// The tensors and metadata stored in the safetensors file at `path`.
    public static func read(contentsOf path: String) throws -> SafetensorsFile {
        try decode(DataFile.read(path), path: path)
    }

    /// Writes `tensors` (as F32) and `metadata` to `path`, atomically.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to path: String) throws {
        try DataFile.writeAtomically(encode(tensors, metadata: metadata), to: path)
    }

    /// The bytes of a safetensors file holding `tensors` as F32, in sorted name order, and `metadata`.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) -> Data {
        precondition(tensors[metadataKey] == nil, "Safetensors.encode: '\(metadataKey)' is reserved and cannot name a tensor")
        let names = tensors.keys.sorted()
        var header: [String: Any] = [:]
        var offset = 0
        for name in names {
            let tensor = tensors[name]!
            header[name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + 4 * tensor.count]] as [String: Any]
            offset += 4 * tensor.count
        }
        precondition(metadata[checksumKey] == nil, "Safetensors.encode: the metadata key '\(checksumKey)' is reserved")
        var buffer = Data(capacity: offset)
        for name in names { buffer.appendLittleEndianFloats(of: tensors[name]!) }
        header[metadataKey] = metadata.merging([checksumKey: crc32Text(buffer)]) { $1 }
        // Dictionaries of strings, numbers and arrays always serialise.
        var json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes])
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))

        var data = Data(capacity: 8 + json.count + offset)
        data.appendLittleEndian(UInt64(json.count))
        data.append(json)
        data.append(buffer)
        return data
    }

    /// The tensors and metadata held in safetensors bytes; `path` names them in errors.
    public static func decode(_ data: Data, path: String) throws -> SafetensorsFile {
        if data.isEmpty { throw DataError.emptyFile(path: path) }
        return try data.withByteReader(path: path) { reader in
            let declared = try reader.uint64LittleEndian(at: 0)
            guard declared <= UInt64(reader.count - 8) else {
                throw DataError.truncated(path: path, offset: 8, expected: Int(clamping: declared), available: reader.count - 8)
            }
            let headerLength = Int(declared)
            let bufferStart = 8 + headerLength
            let bufferLength = reader.count - bufferStart
            let json = Data(UnsafeRawBufferPointer(rebasing: reader.bytes[8..<bufferStart]))

            let parsed: Any
            do {
                parsed = try JSONSerialization.jsonObject(with: json)
            } catch {
                throw DataError.badHeader(path: path, position: .byte(8), reason: "the header is not valid JSON")
            }
            guard let entries = parsed as? [String: Any] else {
                throw DataError.badHeader(path: path, position: .byte(8), reason: "the header is not a JSON object")
            }

            var metadata: [String: String] = [:]
            if let rawMetadata = entries[metadataKey] {
                guard let strings = rawMetadata as? [String: String] else {
                    throw DataError.badEntry(path: path, name: metadataKey, reason: "expected an object of string values")
                }
                metadata = strings
            }

            var layouts: [TensorLayout] = []
            for (name, value) in entries where name != metadataKey {
                layouts.append(try TensorLayout(name: name, entry: value, path: path))
            }
            try checkTiling(layouts, bufferStart: bufferStart, bufferLength: bufferLength, path: path)

            if let stored = metadata.removeValue(forKey: checksumKey) {
                let computed = crc32Text(UnsafeRawBufferPointer(rebasing: reader.bytes[bufferStart...]))
                guard stored.lowercased() == computed else {
                    throw DataError.checksumMismatch(path: path, stored: stored, computed: computed)
                }
            }

            var tensors: [String: Tensor] = [:]
            for layout in layouts {
                let source = try reader.pointer(at: bufferStart + layout.begin, length: layout.end - layout.begin)
                var tensor = Tensor(uninitializedShape: layout.shape)
                tensor.withUnsafeMutableBufferPointer { out in
                    if let base = out.baseAddress { layout.scalar.decode(source, count: out.count, into: base) }
                }
                tensors[layout.name] = tensor
            }
            return SafetensorsFile(tensors: tensors, metadata: metadata)
        }
    }

    /// zlib's CRC-32 of `bytes` as 8 lower-case hex digits.
    static func crc32Text<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
        var crc = CZlib.crc32(0, nil, 0)
        for region in bytes.regions {
            region.withUnsafeBytes { raw in
                var start = 0
                while start < raw.count {   // zlib takes a UInt32 length: feed it in pieces of at most 1 GiB
                    let length = Swift.min(raw.count - start, 1 << 30)
                    crc = CZlib.crc32(crc, raw.baseAddress!.advanced(by: start).assumingMemoryBound(to: Bytef.self), uInt(length))
                    start += length
                }
            }
        }
        return String(format: "%08x", UInt32(truncatingIfNeeded: crc))
    }

    /// Checks that the byte ranges, sorted by start, cover the buffer [0, bufferLength) exactly once.
    private static func checkTiling(_ layouts: [TensorLayout], bufferStart: Int, bufferLength: Int, path: String) throws {
        var covered = 0
        for layout in layouts.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            if layout.begin < covered {
                throw DataError.badEntry(path: path, name: layout.name,
                                         reason: "data_offsets [\(layout.begin), \(layout.end)] overlap the previous tensor, which ends at \(covered)")
            }
            if layout.begin > covered {
                throw DataError.badEntry(path: path, name: layout.name,
                                         reason: "data_offsets [\(layout.begin), \(layout.end)] leave bytes \(covered)..<\(layout.begin) of the buffer unused")
            }
            if layout.end > bufferLength {
                throw DataError.truncated(path: path, offset: bufferStart + layout.begin, expected: layout.end - layout.begin,
                                          available: max(0, bufferLength - layout.begin))
            }
            covered = layout.end
        }
        if covered < bufferLength {
            throw DataError.trailingBytes(path: path, offset: bufferStart + covered, count: bufferLength - covered)
        }
    }

    /// The element type named by a safetensors dtype string.
    private static func storedScalar(dtype: String) -> StoredScalar? {
        switch dtype {
        case "F32": return .float32(.little)
        case "F16": return .float16(.little)
        case "BF16": return .bfloat16(.little)
        case "F64": return .float64(.little)
        case "I64": return .int64(.little)
        case "I32": return .int32(.little)
        case "I16": return .int16(.little)
        case "I8": return .int8
        case "U8": return .uint8
        case "BOOL": return .bool
        default: return nil
        }
    }

    /// One tensor's header entry, checked: its type, shape and byte range.
    private struct TensorLayout {
        let name: String
        let scalar: StoredScalar
        let shape: [Int]
        let begin: Int
        let end: Int

        init(name: String, entry: Any, path: String) throws {
            func fail(_ reason: String) -> DataError { .badEntry(path: path, name: name, reason: reason) }
            guard let fields = entry as? [String: Any] else { throw fail("expected an object with dtype, shape and data_offsets") }
            guard let dtype = fields["dtype"] as? String else { throw fail("'dtype' is missing or is not a string") }
            guard let scalar = Safetensors.storedScalar(dtype: dtype) else {
                throw DataError.unsupported(path: path, what: "dtype '\(dtype)' of tensor '\(name)' (LabKit reads F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL)")
            }
            guard let shape = Safetensors.naturalNumbers(fields["shape"]) else {
                throw fail("'shape' is missing or is not a list of non-negative integers")
            }
            guard let offsets = Safetensors.naturalNumbers(fields["data_offsets"]), offsets.count == 2, offsets[0] <= offsets[1] else {
                throw fail("'data_offsets' must be two non-negative integers [begin, end] with begin <= end")
            }
            let held = offsets[1] - offsets[0]
            guard let count = checkedProduct(shape),
                  case let (needed, overflow) = count.multipliedReportingOverflow(by: scalar.byteCount), !overflow else {
                throw fail("shape \(shape) describes more elements than memory can hold")
            }
            guard needed == held else {
                throw fail("shape \(shape) of \(dtype) needs \(needed) bytes, but data_offsets [\(offsets[0]), \(offsets[1])] hold \(held)")
            }
            self.name = name
            self.scalar = scalar
            self.shape = shape
            self.begin = offsets[0]
            self.end = offsets[1]
        }
    }

    /// A JSON array of non-negative integers, or nil.
    private static func naturalNumbers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        for item in array {
            guard let number = item as? Int, number >= 0 else { return nil }
            result.append(number)
        }
        return result
    }
}
