// CharVocabulary: the simplest tokenizer, one token per character.
//
//   vocabulary = sorted(set(text))          (by Unicode code point, as Python sorts)
//   encode(s)  = [index of c in vocabulary for c in s]
//   decode(ids) = the characters at those indices, joined
// Characters here are Unicode scalars (Python's str elements), not Swift's
// grapheme clusters, so "\r\n" is two tokens and the counts match PyTorch's
// char-level scripts exactly. The corpus is split in order, the first 90% for
// training and the rest for validation (as nanoGPT and bench_deep.py do), so
// validation text is text the model never saw.

import Foundation

/// A character that a vocabulary does not contain, found while encoding.
public struct UnknownCharacterError: Error, CustomStringConvertible, Equatable {
    /// The character (a Unicode scalar) that is not in the vocabulary.
    public let character: Unicode.Scalar
    /// Its position in the encoded text, counted in Unicode scalars from 0.
    public let position: Int

    /// The character escaped as ASCII, its code point and its position.
    public var description: String {
        "CharVocabulary.encode: character \(character.escaped(asASCII: true)) (U+\(String(character.value, radix: 16, uppercase: true))) "
            + "at position \(position) is not in the vocabulary"
    }
}

/// A text file that could not be read as UTF-8 text.
public struct TextFileError: Error, CustomStringConvertible {
    /// The file.
    public let path: String
    /// What went wrong.
    public let reason: String

    /// "path: reason".
    public var description: String { "\(path): \(reason)" }
}

/// The sorted set of characters of a text, with the maps between characters and token ids.
public struct CharVocabulary: Sendable, Equatable {
    /// The characters in id order (sorted by code point).
    public let characters: [Unicode.Scalar]
    private let ids: [Unicode.Scalar: Int]

    /// The vocabulary of every distinct character in `text`, sorted by code point.
    public init(text: String) {
        self.init(characters: Array(Set(text.unicodeScalars)))
    }

    /// A vocabulary of the given characters (duplicates dropped), sorted by code point.
    public init(characters: [Unicode.Scalar]) {
        let sorted = Array(Set(characters)).sorted { $0.value < $1.value }
        self.characters = sorted
        ids = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
    }

    /// Number of distinct characters (the language model's vocabulary size).
    public var count: Int { characters.count }

    /// The id of every character of `text`; throws `UnknownCharacterError` at the first one not in the vocabulary.
    public func encode(_ text: String) throws -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(text.unicodeScalars.count)
        for (position, scalar) in text.unicodeScalars.enumerated() {
            guard let id = ids[scalar] else { throw UnknownCharacterError(character: scalar, position: position) }
            result.append(id)
        }
        return result
    }

    /// The text whose characters have these ids (each must be in 0..<count).
    public func decode<C: Collection>(_ tokens: C) -> String where C.Element == Int {
        var scalars = String.UnicodeScalarView()
        for id in tokens {
            precondition(id >= 0 && id < count, "CharVocabulary.decode: id \(id) is outside 0..<\(count)")
            scalars.append(characters[id])
        }
        return String(scalars)
    }

    /// The first `trainFraction` of `tokens` (int(fraction · n), as Python truncates) and the rest.
    public static func split(_ tokens: [Int], trainFraction: Double = 0.9) -> (train: [Int], validation: [Int]) {
        precondition(trainFraction > 0 && trainFraction < 1,
                     "CharVocabulary.split: trainFraction must be in (0, 1), got \(trainFraction)")
        let n = Int(trainFraction * Double(tokens.count))
        return (Array(tokens[..<n]), Array(tokens[n...]))
    }

    /// Reads a UTF-8 text file; throws `TextFileError` naming the file if it cannot be read or decoded.
    public static func readText(path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TextFileError(path: path, reason: "cannot be read (missing or not a file)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TextFileError(path: path, reason: "is not valid UTF-8 text")
        }
        return text
    }
}
