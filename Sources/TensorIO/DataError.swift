// DataError: what went wrong when reading or writing a data file.
//
// Every reader in TensorIO and LabKit throws this one error type. Each case names the file,
// the place in it (a byte offset for binary formats, a line and column for
// CSV) and what was expected against what was found, so that a lab can print
// `error.description` as one sentence and exit with a non-zero status:
//
//     do { let mnist = try MNIST.load(directory: folder) ... }
//     catch let error as DataError { print("error: \(error)"); exit(1) }
//
// Bad input from outside never stops the program; only programmer errors
// (asking for an impossible shape) do, through `precondition`.

import Tensor

/// A place inside a file.
public enum DataPosition: Sendable, Equatable, CustomStringConvertible {
    /// A byte offset from the start of the (decompressed) file, counting from 0.
    case byte(Int)
    /// A line of a text file, counting from 1.
    case line(Int)
    /// A cell of a CSV file: its line (from 1) and the name of its column.
    case cell(line: Int, column: String)
    /// An element of a stored array, by its row-major index from 0.
    case element(Int)

    public var description: String {
        switch self {
        case .byte(let offset): return "byte \(offset)"
        case .line(let line): return "line \(line)"
        case .cell(let line, let column): return "line \(line), column '\(column)'"
        case .element(let index): return "element \(index)"
        }
    }
}

/// An error found in a data file, naming the file, the place and what was expected.
public enum DataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No file (or a folder) at `path`.
    case fileNotFound(path: String)
    /// The file exists but could not be read or written (permissions, I/O error).
    case ioFailure(path: String, reason: String)
    /// The file holds no bytes at all.
    case emptyFile(path: String)
    /// The file ends at `available` bytes after `offset`, where `expected` bytes were needed.
    case truncated(path: String, offset: Int, expected: Int, available: Int)
    /// `count` bytes follow the end of the data at `offset`, where the file should end.
    case trailingBytes(path: String, offset: Int, count: Int)
    /// The first bytes are not the format's signature.
    case badMagic(path: String, found: String, expected: String)
    /// The header (binary header, JSON or CSV header row) cannot be understood.
    case badHeader(path: String, position: DataPosition, reason: String)
    /// A gzip stream is damaged or cut short.
    case corruptCompression(path: String, reason: String)
    /// A valid file that uses a feature TensorIO and LabKit do not read (a type code, dtype, layout).
    case unsupported(path: String, what: String)
    /// A CSV row with a different number of cells than the header.
    case raggedRow(path: String, line: Int, expectedColumns: Int, foundColumns: Int)
    /// A value that cannot be what it must be (a label out of range, a number that does not parse).
    case badValue(path: String, position: DataPosition, text: String, expected: String)
    /// A quoted CSV field that is never closed; `line` is where its opening quote is.
    case unterminatedQuote(path: String, line: Int)
    /// A closing quote in a CSV row followed by something other than a separator or the line end.
    case badQuoting(path: String, line: Int, column: Int, found: String)
    /// Bytes that are not UTF-8 text, at a byte offset on a line.
    case notUTF8(path: String, offset: Int, line: Int)
    /// A column name asked for that the table does not have.
    case unknownColumn(path: String, name: String, available: [String])
    /// One named entry of a container (a tensor in a safetensors file) is inconsistent.
    case badEntry(path: String, name: String, reason: String)
    /// The stored checksum of the data differs from the checksum of the bytes read: the file is damaged.
    case checksumMismatch(path: String, stored: String, computed: String)
    /// Something at `position` (the file, its inflated data, a CSV record) is longer than the reader's
    /// limit of `limit` bytes; refused before the memory for it is taken.
    case tooLarge(path: String, position: DataPosition, what: String, limit: Int)

    /// The case without its details, for tests and for code that branches on the kind of error.
    public enum Kind: Sendable, Equatable {
        case fileNotFound, ioFailure, emptyFile, truncated, trailingBytes, badMagic, badHeader
        case corruptCompression, unsupported, raggedRow, badValue, unterminatedQuote, badQuoting
        case notUTF8, unknownColumn, badEntry, checksumMismatch, tooLarge
    }

    /// Which case this is.
    public var kind: Kind {
        switch self {
        case .fileNotFound: return .fileNotFound
        case .ioFailure: return .ioFailure
        case .emptyFile: return .emptyFile
        case .truncated: return .truncated
        case .trailingBytes: return .trailingBytes
        case .badMagic: return .badMagic
        case .badHeader: return .badHeader
        case .corruptCompression: return .corruptCompression
        case .unsupported: return .unsupported
        case .raggedRow: return .raggedRow
        case .badValue: return .badValue
        case .unterminatedQuote: return .unterminatedQuote
        case .badQuoting: return .badQuoting
        case .notUTF8: return .notUTF8
        case .unknownColumn: return .unknownColumn
        case .badEntry: return .badEntry
        case .checksumMismatch: return .checksumMismatch
        case .tooLarge: return .tooLarge
        }
    }

    /// The file the error is about.
    public var path: String {
        switch self {
        case .fileNotFound(let path), .ioFailure(let path, _), .emptyFile(let path),
             .truncated(let path, _, _, _), .trailingBytes(let path, _, _), .badMagic(let path, _, _),
             .badHeader(let path, _, _), .corruptCompression(let path, _), .unsupported(let path, _),
             .raggedRow(let path, _, _, _), .badValue(let path, _, _, _), .unterminatedQuote(let path, _),
             .badQuoting(let path, _, _, _), .notUTF8(let path, _, _), .unknownColumn(let path, _, _),
             .badEntry(let path, _, _), .checksumMismatch(let path, _, _), .tooLarge(let path, _, _, _):
            return path
        }
    }

    /// One sentence a lab can print before it exits.
    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file"
        case .ioFailure(let path, let reason):
            return "\(path): cannot access the file: \(reason)"
        case .emptyFile(let path):
            return "\(path): the file is empty (0 bytes)"
        case .truncated(let path, let offset, let expected, let available):
            return "\(path): the file ends too soon: \(expected) bytes were expected from byte \(offset), only \(available) are there"
        case .trailingBytes(let path, let offset, let count):
            return "\(path): \(count) unexpected bytes follow the end of the data at byte \(offset)"
        case .badMagic(let path, let found, let expected):
            return "\(path): not the expected format: the file starts with \(found), expected \(expected)"
        case .badHeader(let path, let position, let reason):
            return "\(path), \(position): bad header: \(reason)"
        case .corruptCompression(let path, let reason):
            return "\(path): corrupt gzip data: \(reason)"
        case .unsupported(let path, let what):
            return "\(path): unsupported: \(what)"
        case .raggedRow(let path, let line, let expected, let found):
            return "\(path), line \(line): expected \(expected) columns (as in the header), found \(found)"
        case .badValue(let path, let position, let text, let expected):
            return "\(path), \(position): found '\(text)', expected \(expected)"
        case .unterminatedQuote(let path, let line):
            return "\(path), line \(line): a quoted field opens here and is never closed"
        case .badQuoting(let path, let line, let column, let found):
            return "\(path), line \(line), column \(column): expected a separator or the end of the line after a closing quote, found '\(found)'"
        case .notUTF8(let path, let offset, let line):
            return "\(path), line \(line) (byte \(offset)): the text is not valid UTF-8"
        case .unknownColumn(let path, let name, let available):
            let names = available.map { "'\($0)'" }.joined(separator: ", ")
            return "\(path): no column named '\(name)'; the columns are \(names)"
        case .badEntry(let path, let name, let reason):
            return "\(path): entry '\(name)': \(reason)"
        case .checksumMismatch(let path, let stored, let computed):
            return "\(path): the data's CRC-32 is \(computed), the file says \(stored): the file is damaged (an interrupted copy or a bad disk)"
        case .tooLarge(let path, let position, let what, let limit):
            return "\(path), \(position): \(what) is longer than the limit of \(limit) bytes"
        }
    }
}
