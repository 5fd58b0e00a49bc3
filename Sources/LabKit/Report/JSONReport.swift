// JSONReport: the report.json every lab writes, and the JSON values it is made of.
//
// JSON (RFC 8259) has six kinds of value: null, true/false, numbers, strings,
// arrays and objects. `JSONValue` is exactly that, with one choice of ours:
// an object is a list of (key, value) pairs, not a dictionary, so keys come
// out in the order they went in. A report always starts with lab, mode, seed,
// data, seconds and metrics, in that order, and a benchmark line always reads
// workload, impl, threads, …; a Swift Dictionary would shuffle them.
//
// Encoding rules (written out here rather than left to JSONSerialization,
// which neither keeps key order nor prints numbers the way we want):
//   strings  " and \ are escaped as \" and \\; the control characters U+0000…
//            U+001F as \b \f \n \r \t or \u00XX; everything else, including
//            non-ASCII text, is written as UTF-8 unchanged (valid JSON).
//   numbers  an integral value below 10^15 in magnitude prints as an integer
//            ("1024", not "1024.0"); any other finite value prints in Swift's
//            shortest form that reads back to the same Double ("0.0123",
//            "1e-05"). NaN and ±∞ have no JSON spelling: by default they become
//            null; with `.strings` they become "NaN", "Infinity", "-Infinity"
//            (the names Python's json module uses), so a reader can tell them
//            apart from a missing value.
//   layout   `compactString` is one line with ", " and ": " separators (the
//            benchmark format, one object per line); `prettyString` indents by
//            two spaces, one key per line, and keeps arrays of plain values on
//            one line ("history": [0.9, 0.5, 0.31]).

import Foundation

/// A JSON value whose objects keep their keys in insertion order.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// An exact integer (printed without a decimal point).
    case integer(Int)
    /// A floating-point number; integral values below 10^15 print without a decimal point.
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Key–value pairs in the order they are written.
    case object([(String, JSONValue)])

    /// What to write for NaN and ±∞, which JSON cannot spell.
    public enum NonFiniteNumbers: Sendable {
        /// `null`.
        case null
        /// The strings "NaN", "Infinity" and "-Infinity".
        case strings
    }

    /// A number from a `Float`, by its shortest decimal form (0.1 as 0.1, not 0.10000000149011612).
    public init(_ value: Float) {
        self = value.isFinite ? .number(Double(value.description) ?? Double(value)) : .number(Double(value))
    }

    /// A number.
    public init(_ value: Double) { self = .number(value) }
    /// An integer.
    public init(_ value: Int) { self = .integer(value) }
    /// An integer (a number when it does not fit in `Int`).
    public init(_ value: UInt64) { self = value <= UInt64(Int.max) ? .integer(Int(value)) : .number(Double(value)) }
    /// A string.
    public init(_ value: String) { self = .string(value) }
    /// A boolean.
    public init(_ value: Bool) { self = .bool(value) }
    /// An array of numbers.
    public init(_ values: [Double]) { self = .array(values.map { .number($0) }) }
    /// An array of numbers, each by its shortest decimal form.
    public init(_ values: [Float]) { self = .array(values.map { JSONValue($0) }) }
    /// An array of integers.
    public init(_ values: [Int]) { self = .array(values.map { .integer($0) }) }
    /// An array of strings.
    public init(_ values: [String]) { self = .array(values.map { .string($0) }) }

    /// The value for `key` when this is an object holding it (the first one if repeated).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    // MARK: Encoding

    /// The value on one line: `{"a": 1, "b": [true, null]}`.
    public var compactString: String { encoded(pretty: false) }

    /// The value indented by two spaces per level, one key per line.
    public var prettyString: String { encoded(pretty: true) }

    /// The JSON text, on one line or pretty printed, with non-finite numbers spelled as chosen.
    public func encoded(pretty: Bool, nonFinite: NonFiniteNumbers = .null) -> String {
        var out = ""
        write(to: &out, pretty: pretty, indent: 0, nonFinite: nonFinite)
        return out
    }

    /// Appends this value's JSON text to `out`; `indent` is the current depth (pretty printing).
    func write(to out: inout String, pretty: Bool, indent: Int, nonFinite: NonFiniteNumbers) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .number(let x): out += JSONValue.numberText(x, nonFinite: nonFinite)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            // Arrays of plain values stay on one line even when pretty printing.
            let inline = !pretty || items.allSatisfy { !$0.isContainer }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += inline ? ", " : "," }
                if !inline { out += "\n" + JSONValue.spaces(indent + 1) }
                item.write(to: &out, pretty: pretty, indent: indent + 1, nonFinite: nonFinite)
            }
            out += inline ? "]" : "\n" + JSONValue.spaces(indent) + "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (key, value)) in pairs.enumerated() {
                if i > 0 { out += pretty ? "," : ", " }
                if pretty { out += "\n" + JSONValue.spaces(indent + 1) }
                JSONValue.writeString(key, to: &out)
                out += ": "
                value.write(to: &out, pretty: pretty, indent: indent + 1, nonFinite: nonFinite)
            }
            out += pretty ? "\n" + JSONValue.spaces(indent) + "}" : "}"
        }
    }

    /// True for arrays and objects.
    var isContainer: Bool {
        switch self {
        case .array, .object: return true
        default: return false
        }
    }

    static func spaces(_ depth: Int) -> String { String(repeating: "  ", count: depth) }

    /// A number as JSON: integral values as integers, others in shortest round-trip form.
    static func numberText(_ x: Double, nonFinite: NonFiniteNumbers) -> String {
        guard x.isFinite else {
            switch nonFinite {
            case .null: return "null"
            case .strings: return x.isNaN ? "\"NaN\"" : (x > 0 ? "\"Infinity\"" : "\"-Infinity\"")
            }
        }
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }  // also turns -0.0 into 0
        return x.description  // Swift prints the shortest digits that read back to x: valid JSON
    }

    /// A string as JSON: quoted, with ", \ and control characters escaped.
    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension JSONValue: Equatable {
    /// Same kind and same contents; objects compare pairs in order (key order matters).
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.integer(let a), .integer(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b || (a.isNaN && b.isNaN)
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text.
    public var description: String { compactString }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByStringInterpolation,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object with the keys in the order written (a dictionary literal keeps its order here).
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
}

/// The report.json of a lab run: lab, mode, seed, data, seconds and metrics, then any extra keys, in that order.
///
///     var report = JSONReport(lab: "trees", mode: "forest", seed: 0, data: "built-in")
///     report.setMetric("accuracy", 0.9712)
///     report.set("n_trees", 100)
///     report.seconds = stopwatch.elapsed
///     try report.write(to: out.appendingPathComponent("report.json"))
public struct JSONReport: Sendable {
    /// The lab's name ("tensors", "trees").
    public var lab: String
    /// The mode the lab ran in.
    public var mode: String
    /// The seed of every random choice.
    public var seed: UInt64
    /// The data file used, or "built-in".
    public var data: String
    /// Wall-clock seconds the run took.
    public var seconds: Double
    /// Named results (scikit-learn / PyTorch names: accuracy, f1_macro, val_loss, …), in order.
    public var metrics: [(String, JSONValue)]
    /// Further keys after the fixed ones, in order.
    public private(set) var extra: [(String, JSONValue)] = []

    /// The keys every report starts with, in their order.
    public static let fixedKeys = ["lab", "mode", "seed", "data", "seconds", "metrics"]

    /// A report with the fixed keys filled in.
    public init(lab: String, mode: String, seed: UInt64, data: String = "built-in", seconds: Double = 0,
                metrics: [(String, JSONValue)] = []) {
        self.lab = lab
        self.mode = mode
        self.seed = seed
        self.data = data
        self.seconds = seconds
        self.metrics = metrics
    }

    /// Sets metric `name`, replacing an earlier value in its place or appending a new one.
    public mutating func setMetric(_ name: String, _ value: JSONValue) {
        JSONReport.set(name, value, in: &metrics)
    }

    /// Sets metric `name` to a number.
    public mutating func setMetric(_ name: String, _ value: Double) {
        setMetric(name, .number(value))
    }

    /// Sets an extra key after the fixed ones (replacing an earlier value in its place).
    /// The fixed keys are set through their properties instead.
    public mutating func set(_ key: String, _ value: JSONValue) {
        precondition(!JSONReport.fixedKeys.contains(key),
                     "JSONReport.set: '\(key)' is a fixed key; set the report's \(key) property instead")
        JSONReport.set(key, value, in: &extra)
    }

    /// The whole report as one JSON object.
    public var json: JSONValue {
        .object([
            ("lab", .string(lab)),
            ("mode", .string(mode)),
            ("seed", JSONValue(seed)),
            ("data", .string(data)),
            ("seconds", .number(seconds)),
            ("metrics", .object(metrics)),
        ] + extra)
    }

    /// The pretty-printed report followed by a newline (non-finite numbers as null).
    public var text: String { json.prettyString + "\n" }

    /// Writes the report to `url` atomically (temporary file + rename), creating missing folders.
    public func write(to url: URL) throws(DataError) {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw .ioFailure(path: url.path, reason: "cannot create its folder: \(error.localizedDescription)")
        }
        do {
            try DataFile.writeAtomically(Data(text.utf8), to: url.path)
        } catch let error as DataError {
            throw error
        } catch {
            throw .ioFailure(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Writes the report to the file at `path` (see `write(to: URL)`).
    public func write(to path: String) throws(DataError) {
        try write(to: URL(fileURLWithPath: path))
    }

    /// Replaces the value of `key` in `pairs` in its place, or appends it.
    static func set(_ key: String, _ value: JSONValue, in pairs: inout [(String, JSONValue)]) {
        if let i = pairs.firstIndex(where: { $0.0 == key }) {
            pairs[i].1 = value
        } else {
            pairs.append((key, value))
        }
    }
}

extension JSONReport {
    /// Ends a lab run the same way in every lab: sets `seconds` since `start` (a `Stopwatch.now()`),
    /// writes report.json into `folder`, and prints its path first, then the other files written.
    public mutating func finish(in folder: URL, startedAt start: Double, files: [String]) throws {
        seconds = Stopwatch.now() - start
        let url = folder.appendingPathComponent("report.json")
        try write(to: url)
        Log.info("\nWrote:")
        for file in [url.path] + files { Log.info("  \(file)") }
    }
}
