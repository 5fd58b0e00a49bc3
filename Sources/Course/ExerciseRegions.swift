// Exercises are regions of the library's source that a learner re-implements:
//
//   public static func generalized(…) -> AdvantageEstimates {
//       // BEGIN EXERCISE gae
//       …the reference body…
//       // END EXERCISE
//   }
//
// The student edition keeps the signature and replaces the lines between the
// markers with one statement that stops the program,
//       fatalError("exercise gae not implemented yet")
// which type-checks whatever the function returns (fatalError returns Never),
// so the package still builds. Regions do not nest, names are unique across
// the package, and each BEGIN has its END: anything else is an error with
// the file and line.
import Foundation

/// One marked region of one file.
public struct ExerciseRegion: Equatable, Sendable {
    public var name: String
    /// The file's path relative to the package root.
    public var file: String
    /// The lines of the markers, counted from 1.
    public var beginLine: Int, endLine: Int
}

public enum ExerciseError: Error, Equatable, CustomStringConvertible {
    case unterminated(name: String, file: String, line: Int)
    case endWithoutBegin(file: String, line: Int)
    case nested(name: String, file: String, line: Int)
    case badName(file: String, line: Int)
    case duplicate(name: String, first: String, second: String)

    public var description: String {
        switch self {
        case .unterminated(let name, let file, let line): return "\(file):\(line): exercise \(name) has no // END EXERCISE"
        case .endWithoutBegin(let file, let line): return "\(file):\(line): // END EXERCISE without a BEGIN"
        case .nested(let name, let file, let line): return "\(file):\(line): exercise \(name) begins inside another exercise"
        case .badName(let file, let line): return "\(file):\(line): an exercise name is letters, digits and '-', e.g. // BEGIN EXERCISE gae"
        case .duplicate(let name, let first, let second): return "exercise \(name) is marked twice: \(first) and \(second)"
        }
    }
}

public enum ExerciseRegions {
    static let begin = "// BEGIN EXERCISE "
    static let end = "// END EXERCISE"

    /// The regions of one file's text.
    public static func regions(in text: String, file: String) throws -> [ExerciseRegion] {
        var found: [ExerciseRegion] = [], open: (name: String, line: Int)?
        for (index, raw) in text.components(separatedBy: "\n").enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces), number = index + 1
            if line.hasPrefix(begin) {
                let name = String(line.dropFirst(begin.count)).trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                    throw ExerciseError.badName(file: file, line: number)
                }
                if open != nil { throw ExerciseError.nested(name: name, file: file, line: number) }
                open = (name, number)
            } else if line == end {
                guard let current = open else { throw ExerciseError.endWithoutBegin(file: file, line: number) }
                found.append(ExerciseRegion(name: current.name, file: file, beginLine: current.line, endLine: number))
                open = nil
            }
        }
        if let open { throw ExerciseError.unterminated(name: open.name, file: file, line: open.line) }
        return found
    }

    /// `text` with the body of every region replaced by the stub that stops with "exercise NAME not implemented yet".
    public static func stubbed(_ text: String, file: String) throws -> String {
        let regions = try regions(in: text, file: file)
        guard !regions.isEmpty else { return text }
        var lines = text.components(separatedBy: "\n")
        for region in regions.reversed() {
            let marker = lines[region.beginLine - 1]
            let indent = String(marker.prefix { $0 == " " || $0 == "\t" })
            lines.replaceSubrange(region.beginLine..<(region.endLine - 1),
                                  with: ["\(indent)fatalError(\"exercise \(region.name) not implemented yet\")"])
        }
        return lines.joined(separator: "\n")
    }

    /// The Swift files under `folder` (recursively), relative paths, sorted.
    public static func swiftFiles(under folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted()
    }

    /// Every region in the package's Sources/, checked for duplicates.
    public static func all(inPackage root: URL) throws -> [ExerciseRegion] {
        let sources = root.appendingPathComponent("Sources")
        var result: [ExerciseRegion] = []
        for path in swiftFiles(under: sources) {
            let text = try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)
            result += try regions(in: text, file: "Sources/" + path)
        }
        var seen: [String: ExerciseRegion] = [:]
        for region in result {
            if let first = seen[region.name] {
                throw ExerciseError.duplicate(name: region.name, first: "\(first.file):\(first.beginLine)",
                                              second: "\(region.file):\(region.beginLine)")
            }
            seen[region.name] = region
        }
        return result
    }
}
