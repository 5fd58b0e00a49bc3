// NPY: NumPy's array file format (numpy.lib.format, NEP 1).
//
// Layout:
//   bytes 0-5   magic "\x93NUMPY"  (93 4e 55 4d 50 59)
//   byte  6-7   format version major, minor (1.0, 2.0 or 3.0)
//   then        header length H: UInt16 little-endian (1.0) or UInt32 (2.0, 3.0)
//   then        H bytes of a Python dict literal, e.g.
//                 {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
//               padded with spaces and ended by '\n' so that the data starts at
//               a multiple of 64 bytes
//   then        the elements, count = product of shape (1 for shape ()), in
//               row-major order when fortran_order is False
// `descr` is a byte order ('<' little, '>' big, '|' not applicable, '=' this
// machine's) then a kind (f float, i signed, u unsigned, b bool) and a width.
// We read <f2 <f4 <f8 <i1 <i2 <i4 <i8 |u1 |i1 |b1 into Float, and write <f4.

import Foundation
import Tensor

/// Reads and writes NumPy `.npy` files.
public enum NPY {
    /// The first six bytes of every .npy file.
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// The array stored in the .npy file at `path`, converted to Float.
    public static func read(contentsOf path: String) throws -> Tensor {
        try decode(DataFile.read(path), path: path)
    }

    /// Writes `tensor` to `path` as a version 1.0 .npy file of dtype '<f4', atomically.
    public static func write(_ tensor: Tensor, to path: String) throws {
        try DataFile.writeAtomically(encode(tensor), to: path)
    }

    /// The bytes of a version 1.0 .npy file holding `tensor` as '<f4'
    /// (version 2.0 only if the header outgrows 65,535 bytes, which takes thousands of axes).
    public static func encode(_ tensor: Tensor) -> Data {
        let shape = tensor.shape
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        let lengthFieldWidth = header.utf8.count + 64 > Int(UInt16.max) ? 4 : 2
        let unpadded = magic.count + 2 + lengthFieldWidth + header.utf8.count + 1     // + 1 for the final '\n'
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"

        var data = Data(capacity: unpadded + 64 + 4 * tensor.count)
        data.append(contentsOf: magic)
        if lengthFieldWidth == 2 {
            data.append(contentsOf: [1, 0])
            data.appendLittleEndian(UInt16(header.utf8.count))
        } else {
            data.append(contentsOf: [2, 0])
            data.appendLittleEndian(UInt32(header.utf8.count))
        }
        data.append(contentsOf: Array(header.utf8))
        data.appendLittleEndianFloats(of: tensor)
        return data
    }

    /// The array held in .npy bytes; `path` names them in errors.
    public static func decode(_ data: Data, path: String) throws -> Tensor {
        if data.isEmpty { throw DataError.emptyFile(path: path) }
        return try data.withByteReader(path: path) { reader in
            let prefixLength = min(magic.count, reader.count)
            guard (0..<prefixLength).allSatisfy({ reader.bytes[$0] == magic[$0] }) else {
                throw DataError.badMagic(path: path, found: reader.hex(at: 0, length: 6),
                                         expected: "93 4e 55 4d 50 59 (\\x93NUMPY)")
            }
            let major = try reader.uint8(at: 6)
            let minor = try reader.uint8(at: 7)
            let headerStart: Int
            let headerLength: Int
            switch major {
            case 1:
                headerLength = Int(try reader.uint16LittleEndian(at: 8))
                headerStart = 10
            case 2, 3:
                headerLength = Int(try reader.uint32LittleEndian(at: 8))
                headerStart = 12
            default:
                throw DataError.unsupported(path: path, what: "npy format version \(major).\(minor) (expected 1.0, 2.0 or 3.0)")
            }
            try reader.require(headerLength, at: headerStart)
            let headerBytes = UnsafeRawBufferPointer(rebasing: reader.bytes[headerStart..<(headerStart + headerLength)])

            let header: NPYHeader
            do {
                header = try NPYHeader(parsing: headerBytes)
            } catch let error as NPYHeaderSyntaxError {
                throw DataError.badHeader(path: path, position: .byte(headerStart + error.offset), reason: error.reason)
            }
            let scalar = try storedScalar(descr: header.descr, path: path)
            if header.fortranOrder {
                throw DataError.unsupported(
                    path: path,
                    what: "Fortran-order (column-major) arrays; save a C-order copy with numpy.ascontiguousarray")
            }
            let dataStart = headerStart + headerLength
            guard let count = checkedProduct(header.shape),
                  case let (byteCount, overflow) = count.multipliedReportingOverflow(by: scalar.byteCount), !overflow else {
                throw DataError.badHeader(path: path, position: .byte(headerStart),
                                          reason: "the shape \(header.shape) describes more elements than memory can hold")
            }
            let available = reader.count - dataStart
            if available < byteCount {
                throw DataError.truncated(path: path, offset: dataStart, expected: byteCount, available: available)
            }
            if available > byteCount {
                throw DataError.trailingBytes(path: path, offset: dataStart + byteCount, count: available - byteCount)
            }
            let source = try reader.pointer(at: dataStart, length: byteCount)
            var tensor = Tensor(uninitializedShape: header.shape)
            tensor.withUnsafeMutableBufferPointer { out in
                if let base = out.baseAddress { scalar.decode(source, count: count, into: base) }
            }
            return tensor
        }
    }

    /// The element type named by a descr string such as '<f4'.
    private static func storedScalar(descr: String, path: String) throws -> StoredScalar {
        let characters = Array(descr)
        guard characters.count >= 3, "<>|=".contains(characters[0]) else {
            throw DataError.unsupported(path: path, what: "dtype '\(descr)' (expected a simple type such as '<f4')")
        }
        let kindAndWidth = String(characters[1...])
        if characters[0] == ">" && !["u1", "i1", "b1"].contains(kindAndWidth) {
            throw DataError.unsupported(path: path, what: "big-endian dtype '\(descr)'; convert with array.astype('<f4')")
        }
        switch kindAndWidth {
        case "f2": return .float16(.little)
        case "f4": return .float32(.little)
        case "f8": return .float64(.little)
        case "i1": return .int8
        case "i2": return .int16(.little)
        case "i4": return .int32(.little)
        case "i8": return .int64(.little)
        case "u1": return .uint8
        case "b1": return .bool
        default:
            throw DataError.unsupported(
                path: path, what: "dtype '\(descr)' (LabKit reads f2, f4, f8, i1, i2, i4, i8, u1 and b1)")
        }
    }
}

/// A syntax error in an .npy header: the offset within the header and what was wrong.
struct NPYHeaderSyntaxError: Error {
    let offset: Int
    let reason: String
}

/// The three entries of an .npy header dict, parsed from its Python literal text.
struct NPYHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// The Python values that can appear in a header.
    private enum Value {
        case string(String), bool(Bool), tuple([Int])
    }

    /// Parses `{'descr': …, 'fortran_order': …, 'shape': (…), }` followed by whitespace.
    init(parsing bytes: UnsafeRawBufferPointer) throws {
        var parser = Parser(bytes: bytes)
        var entries: [String: Value] = [:]
        parser.skipWhitespace()
        try parser.expect("{")
        parser.skipWhitespace()
        while !parser.consume("}") {
            let keyOffset = parser.position
            let key = try parser.string()
            parser.skipWhitespace()
            try parser.expect(":")
            parser.skipWhitespace()
            guard ["descr", "fortran_order", "shape"].contains(key) else {
                throw NPYHeaderSyntaxError(offset: keyOffset, reason: "unexpected key '\(key)' (expected descr, fortran_order, shape)")
            }
            entries[key] = try parser.value()
            parser.skipWhitespace()
            if !parser.consume(",") {
                parser.skipWhitespace()
                try parser.expect("}")
                break
            }
            parser.skipWhitespace()
        }
        parser.skipWhitespace()
        if parser.position < bytes.count {
            throw NPYHeaderSyntaxError(offset: parser.position, reason: "unexpected text after the closing '}'")
        }

        guard case .string(let descr)? = entries["descr"] else {
            throw NPYHeaderSyntaxError(offset: 0, reason: "'descr' is missing or is not a string")
        }
        guard case .bool(let fortranOrder)? = entries["fortran_order"] else {
            throw NPYHeaderSyntaxError(offset: 0, reason: "'fortran_order' is missing or is not True/False")
        }
        guard case .tuple(let shape)? = entries["shape"] else {
            throw NPYHeaderSyntaxError(offset: 0, reason: "'shape' is missing or is not a tuple of integers")
        }
        self.descr = descr
        self.fortranOrder = fortranOrder
        self.shape = shape
    }

    /// A cursor over the header text with one method per piece of the grammar.
    private struct Parser {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        private func failure(_ reason: String) -> NPYHeaderSyntaxError {
            let found = current.map { "'\(Character(Unicode.Scalar($0)))'" } ?? "the end of the header"
            return NPYHeaderSyntaxError(offset: position, reason: "\(reason), found \(found)")
        }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
        }

        /// Steps over `symbol` if it is next.
        mutating func consume(_ symbol: Character) -> Bool {
            guard current == symbol.asciiValue else { return false }
            position += 1
            return true
        }

        mutating func expect(_ symbol: Character) throws {
            guard consume(symbol) else { throw failure("expected '\(symbol)'") }
        }

        /// A quoted string, 'like this' or "like this".
        mutating func string() throws -> String {
            guard let quote = current, quote == 0x27 || quote == 0x22 else { throw failure("expected a quoted string") }
            position += 1
            let start = position
            while let byte = current, byte != quote {
                guard byte != 0x5C else { throw failure("escape sequences are not expected in a header string") }
                position += 1
            }
            guard current == quote else { throw failure("unterminated string") }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            position += 1
            return text
        }

        /// A string, True, False or a tuple of integers.
        mutating func value() throws -> Value {
            if current == 0x27 || current == 0x22 { return .string(try string()) }
            if try word("True") { return .bool(true) }
            if try word("False") { return .bool(false) }
            if consume("(") { return .tuple(try tupleRest()) }
            throw failure("expected a string, True, False or a tuple")
        }

        /// Steps over `text` if it is next.
        private mutating func word(_ text: String) throws -> Bool {
            let utf8 = Array(text.utf8)
            guard bytes.count - position >= utf8.count,
                  (0..<utf8.count).allSatisfy({ bytes[position + $0] == utf8[$0] }) else { return false }
            position += utf8.count
            return true
        }

        /// The integers of a tuple after its '(' : "3, 4)", "3,)", ")". Python 2's "3L" is accepted.
        private mutating func tupleRest() throws -> [Int] {
            var items: [Int] = []
            skipWhitespace()
            while !consume(")") {
                items.append(try integer())
                if current == UInt8(ascii: "L") { position += 1 }
                skipWhitespace()
                if !consume(",") {
                    try expect(")")
                    break
                }
                skipWhitespace()
            }
            return items
        }

        /// A non-negative decimal integer that fits in Int.
        private mutating func integer() throws -> Int {
            var value = 0
            var digits = 0
            while let byte = current, byte >= 0x30 && byte <= 0x39 {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - 0x30))
                guard !overflow1 && !overflow2 else { throw failure("a dimension too large") }
                value = sum
                digits += 1
                position += 1
            }
            guard digits > 0 else { throw failure("expected a non-negative integer") }
            return value
        }
    }
}
