// CSVReader: comma-separated text (RFC 4180) into typed columns.
//
// The grammar, read one byte at a time (the separator, quote and line ends are
// ASCII, so they can never be part of a multi-byte UTF-8 character):
//   file   = header (lineEnd record)* [lineEnd]
//   record = field (separator field)*
//   field  = '"' (any byte except '"' | '""')* '"'  |  (any byte except separator, '"'-opening, CR, LF)*
//   lineEnd = CRLF | LF | CR
// A quoted field may hold separators and line breaks; "" inside it is one ".
// A record's line number is the line (from 1) where it starts; completely blank
// lines are skipped. Every record must have as many fields as the header.
//
// Types are decided per column after reading: spaces and tabs around a cell
// are ignored; a cell equal to a missing marker ("", NA, N/A, NaN, nan, ?),
// or any other spelling of NaN (NAN, -nan), is missing; the column is numeric
// when every other cell parses as a finite Float, and categorical otherwise
// ("inf", or "1e39" beyond Float's range, is text, never a number).
//
// Size: the whole file is read into memory first (DataFile: a file larger
// than half the machine's memory is refused with `tooLarge` before reading),
// and parsing takes a few times its size again (the cells' text, their
// offsets, the columns). One record (a line, or several when a quoted field
// holds line breaks) may hold at most `maximumRecordLength` bytes, 16 MiB by
// default: past that the reader stops scanning and throws `tooLarge` naming
// the record's first line, so a 1 GB line never becomes a 1 GB cell.

import Foundation

/// Reads CSV files with a header row into a `CSVTable`.
public struct CSVReader: Sendable {
    /// The field separator: "," by default; ";" and "\t" are common too. Must be ASCII.
    public var separator: Character
    /// Cell texts that mean "no value".
    public var missingMarkers: Set<String>
    /// The most bytes one record may hold, not counting its line end.
    public var maximumRecordLength: Int

    /// The record length allowed unless told otherwise: 16 MiB, room for a million short cells.
    public static let defaultMaximumRecordLength = 1 << 24

    /// The missing markers used unless told otherwise.
    public static let defaultMissingMarkers: Set<String> = ["", "NA", "N/A", "NaN", "nan", "?"]

    /// A reader with a separator (ASCII, not a quote or a line break), missing markers and a record length limit.
    public init(separator: Character = ",", missingMarkers: Set<String> = CSVReader.defaultMissingMarkers,
                maximumRecordLength: Int = CSVReader.defaultMaximumRecordLength) {
        precondition(separator.isASCII && separator != "\"" && separator != "\n" && separator != "\r",
                     "CSVReader: the separator must be one ASCII character other than a quote or a line break, got \(separator.debugDescription)")
        precondition(maximumRecordLength > 0, "CSVReader: maximumRecordLength must be positive, got \(maximumRecordLength)")
        self.separator = separator
        self.missingMarkers = missingMarkers
        self.maximumRecordLength = maximumRecordLength
    }

    /// Reads the CSV file at `path` (gzip-compressed or not).
    public func read(contentsOf path: String) throws -> CSVTable {
        try parse(DataFile.readDecompressing(path), path: path)
    }

    /// Parses CSV bytes; `path` names them in errors.
    public func parse(_ data: Data, path: String) throws -> CSVTable {
        if data.isEmpty { throw DataError.emptyFile(path: path) }
        return try data.withUnsafeBytes { bytes in
            try CSVReader.validateUTF8(bytes, path: path)
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            let start = bytes.starts(with: bom) ? 3 : 0
            var tokenizer = CSVTokenizer(bytes: bytes, position: start, separator: separator.asciiValue!,
                                         maximumRecordLength: maximumRecordLength, path: path)

            guard let header = try tokenizer.nextRecord() else {
                throw DataError.badHeader(path: path, position: .line(1), reason: "there is no header row")
            }
            let names = (0..<header.fields).map { tokenizer.cellText($0) }
            try CSVReader.checkHeader(names, line: header.line, path: path)

            var rowLines: [Int] = []
            while let record = try tokenizer.nextRecord() {
                guard record.fields == names.count else {
                    throw DataError.raggedRow(path: path, line: record.line,
                                              expectedColumns: names.count, foundColumns: record.fields)
                }
                rowLines.append(record.line)
            }
            return makeTable(tokenizer, names: names, rowLines: rowLines, path: path)
        }
    }

    /// Decides each column's type and collects the missing cells.
    private func makeTable(_ tokenizer: CSVTokenizer, names: [String], rowLines: [Int], path: String) -> CSVTable {
        let columnCount = names.count
        var columns: [CSVColumn] = []
        var missing: [(row: Int, column: Int)] = []
        for column in 0..<columnCount {
            // Cell (row, column) is field (row + 1) · columnCount + column: the header is fields 0..<columnCount.
            let texts = rowLines.indices.map { tokenizer.cellText(($0 + 1) * columnCount + column) }
            var numbers = [Float](repeating: .nan, count: texts.count)
            var isMissing = [Bool](repeating: false, count: texts.count)
            var isNumeric = true
            for (row, text) in texts.enumerated() {
                let value = Float(text)
                if missingMarkers.contains(text) || value?.isNaN == true {
                    missing.append((row, column))
                    isMissing[row] = true
                } else if isNumeric, let value, value.isFinite {
                    numbers[row] = value
                } else {
                    isNumeric = false
                }
            }
            if isNumeric {
                columns.append(.numeric(numbers))
            } else {
                let values = texts.indices.map { isMissing[$0] ? nil : texts[$0] }
                columns.append(.categorical(values: values, categories: Set(values.compactMap { $0 }).sorted()))
            }
        }
        missing.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        let missingCells = missing.map { CSVMissingCell(line: rowLines[$0.row], column: names[$0.column]) }
        return CSVTable(path: path, columnNames: names, columns: columns, rowLines: rowLines, missingCells: missingCells)
    }

    /// The value of a cell that holds a finite number; nil for text, NaN and ±infinity.
    static func finiteNumber(_ text: String) -> Float? {
        guard let value = Float(text), value.isFinite else { return nil }
        return value
    }

    /// Header names must be non-empty and distinct.
    private static func checkHeader(_ names: [String], line: Int, path: String) throws {
        var firstColumn: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if name.isEmpty {
                throw DataError.badHeader(path: path, position: .line(line),
                                          reason: "column \(index + 1) of \(names.count) has an empty name")
            }
            if let earlier = firstColumn[name] {
                throw DataError.badHeader(path: path, position: .line(line),
                                          reason: "column \(index + 1) repeats the name '\(name)' of column \(earlier + 1)")
            }
            firstColumn[name] = index
        }
    }

    /// Throws `DataError.notUTF8` at the first byte sequence that is not UTF-8.
    static func validateUTF8(_ bytes: UnsafeRawBufferPointer, path: String) throws {
        var i = 0
        while i < bytes.count {
            if bytes[i] < 0x80 { i += 1; continue }          // ASCII: the common case
            var parser = Unicode.UTF8.ForwardParser()
            var iterator = UnsafeRawBufferPointer(rebasing: bytes[i..<min(bytes.count, i + 4)]).makeIterator()
            if case .valid(let scalar) = parser.parseScalar(from: &iterator) {
                i += scalar.count
            } else {
                let line = 1 + bytes[..<i].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                throw DataError.notUTF8(path: path, offset: i, line: line)
            }
        }
    }
}

/// Splits CSV bytes into records of fields; the fields' text (quotes removed) goes into one buffer.
struct CSVTokenizer {
    let bytes: UnsafeRawBufferPointer
    var position: Int
    let separator: UInt8
    let maximumRecordLength: Int
    let path: String
    /// The current line, from 1.
    var line = 1
    /// The line the current record starts on.
    private var recordLine = 1
    /// Where scanning of the current record stops: `maximumRecordLength` bytes after its start, or the file's end.
    private var recordEnd = 0
    /// The text of every field read so far, one after another.
    var text: [UInt8] = []
    /// Where each field's text ends in `text`; field i spans fieldEnds[i-1] ..< fieldEnds[i].
    var fieldEnds: [Int] = []

    private static let quote = UInt8(ascii: "\""), lineFeed = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    init(bytes: UnsafeRawBufferPointer, position: Int, separator: UInt8, maximumRecordLength: Int, path: String) {
        self.bytes = bytes
        self.position = position
        self.separator = separator
        self.maximumRecordLength = maximumRecordLength
        self.path = path
        text.reserveCapacity(bytes.count)
    }

    /// The text of field `index`, without surrounding spaces and tabs.
    func cellText(_ index: Int) -> String {
        var start = index == 0 ? 0 : fieldEnds[index - 1]
        var end = fieldEnds[index]
        while start < end && (text[start] == 0x20 || text[start] == 0x09) { start += 1 }
        while end > start && (text[end - 1] == 0x20 || text[end - 1] == 0x09) { end -= 1 }
        return String(decoding: text[start..<end], as: UTF8.self)
    }

    /// Reads the next record; returns the line it starts on and its number of fields, or nil at the end.
    mutating func nextRecord() throws -> (line: Int, fields: Int)? {
        while position < bytes.count && isLineEnd(bytes[position]) { skipLineEnd() }   // blank lines
        if position == bytes.count { return nil }
        recordLine = line
        recordEnd = bytes.count - position > maximumRecordLength ? position + maximumRecordLength : bytes.count
        var fields = 0
        while true {
            try readField(column: fields + 1)
            fields += 1
            // Past the limit, or at it with more than a line end to come.
            if position > recordEnd || (position == recordEnd && position < bytes.count && !isLineEnd(bytes[position])) {
                throw recordTooLong()
            }
            if position < bytes.count && bytes[position] == separator {
                position += 1
                continue
            }
            if position < bytes.count { skipLineEnd() }
            return (recordLine, fields)
        }
    }

    private func recordTooLong() -> DataError {
        .tooLarge(path: path, position: .line(recordLine), what: "the record starting on this line", limit: maximumRecordLength)
    }

    private func isLineEnd(_ byte: UInt8) -> Bool {
        byte == CSVTokenizer.lineFeed || byte == CSVTokenizer.carriageReturn
    }

    /// Steps over one CRLF, LF or CR.
    private mutating func skipLineEnd() {
        if bytes[position] == CSVTokenizer.carriageReturn,
           position + 1 < bytes.count, bytes[position + 1] == CSVTokenizer.lineFeed {
            position += 1
        }
        position += 1
        line += 1
    }

    /// Reads one field (quoted or not) and stops at the separator, a line end or the end of the file.
    private mutating func readField(column: Int) throws {
        if position < bytes.count && bytes[position] == CSVTokenizer.quote {
            let openingLine = line
            position += 1
            while true {
                guard position < recordEnd else {
                    if recordEnd < bytes.count { throw recordTooLong() }
                    throw DataError.unterminatedQuote(path: path, line: openingLine)
                }
                let byte = bytes[position]
                if byte == CSVTokenizer.quote {
                    if position + 1 < bytes.count && bytes[position + 1] == CSVTokenizer.quote {
                        text.append(CSVTokenizer.quote)         // "" is one quote
                        position += 2
                        continue
                    }
                    position += 1                               // the closing quote
                    break
                }
                if byte == CSVTokenizer.lineFeed
                    || (byte == CSVTokenizer.carriageReturn
                        && !(position + 1 < bytes.count && bytes[position + 1] == CSVTokenizer.lineFeed)) {
                    line += 1
                }
                text.append(byte)
                position += 1
            }
            if position < bytes.count && bytes[position] != separator && !isLineEnd(bytes[position]) {
                let found = String(decoding: bytes[position..<min(bytes.count, position + 4)], as: UTF8.self)
                throw DataError.badQuoting(path: path, line: line, column: column, found: String(found.prefix(1)))
            }
        } else {
            let start = position
            while position < recordEnd {
                let byte = bytes[position]
                if byte == separator || isLineEnd(byte) { break }
                position += 1
            }
            text.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
        }
        fieldEnds.append(text.count)
    }
}
