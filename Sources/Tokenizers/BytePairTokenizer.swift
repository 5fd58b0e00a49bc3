// BytePairTokenizer: byte-level byte-pair encoding, the tokenizer of GPT-2
// (Sennrich et al. 2016, "Neural Machine Translation of Rare Words with Subword
// Units"; Radford et al. 2019 for the byte-level variant).
//
// Tokens start as the 256 byte values, so every string, in any script, encodes
// (as its UTF-8 bytes) and decodes back exactly: decode(encode(s)) == s.
// Training learns merges, one per new token:
//   repeat vocabularySize − 256 times:
//     count every adjacent pair (a, b) of tokens in the corpus
//     the most frequent pair becomes a new token n = 256 + merge number;
//     every occurrence of a b is replaced by n
// Pairs never straddle two pieces of TextChunks (words with their leading
// space), so training counts each distinct piece once, times its frequency.
// Ties between equally frequent pairs go to the smaller (a, b), so training is
// deterministic. Each merge recounts the pairs of the distinct pieces: simple,
// and fast enough for the few hundred merges a corpus of a megabyte takes.
// Encoding a piece replays the merges in the order they were learned:
//   while some adjacent pair has been merged in training:
//     merge the pair that was learned first, everywhere in the piece
// A token's text is the bytes it stands for; a sequence of tokens that cuts a
// multi-byte character decodes with U+FFFD in its place (as GPT-2 does).
//
// Loading a vocabulary file checks, before building anything: the file exists
// and is no larger than DataFile's limit; it is JSON with format
// "mllab-byte-bpe" and version 1; each merge is two ids of tokens that exist
// before it and repeats no earlier merge; and the tokens' bytes add up to at
// most `maximumVocabularyBytes`. Each merge's token is its two parts joined,
// so merges that join a token with itself double it: 64 of them in a 1 KB
// file would ask for 2^64 bytes. Lengths are summed first, then bytes built.

import Foundation
import TensorIO

/// A byte-level BPE tokenizer: 256 byte tokens plus one token per learned merge.
public struct BytePairTokenizer: Tokenizer, Equatable {
    /// The merges in the order they were learned: merge i makes token 256 + i from the pair.
    public let merges: [TokenPair]
    /// The bytes each token stands for, by id.
    private let tokenBytes: [[UInt8]]
    /// The merge number of each merged pair (its rank: lower is applied first).
    private let ranks: [TokenPair: Int]

    /// The number of byte tokens every vocabulary starts from.
    public static let byteTokens = 256

    /// 256 + the number of merges: the byte tokens, then one token per merge.
    public var vocabularySize: Int { Self.byteTokens + merges.count }

    /// A tokenizer from merges already learned (each pair's ids must exist before it: < 256 + its index).
    /// - Throws: `TokenizerError.invalidMerge` for a merge naming a token that does not exist yet,
    ///   `TokenizerError.repeatedMerge` for a merge given twice.
    public init(merges: [TokenPair]) throws {
        var bytes = (0..<Self.byteTokens).map { [UInt8($0)] }
        var ranks: [TokenPair: Int] = [:]
        for (index, pair) in merges.enumerated() {
            let limit = Self.byteTokens + index
            guard (0..<limit).contains(pair.first), (0..<limit).contains(pair.second) else {
                throw TokenizerError.invalidMerge(index: index, pair: pair, tokensSoFar: limit)
            }
            guard ranks[pair] == nil else { throw TokenizerError.repeatedMerge(index: index, pair: pair) }
            ranks[pair] = index
            bytes.append(bytes[pair.first] + bytes[pair.second])
        }
        self.merges = merges
        self.tokenBytes = bytes
        self.ranks = ranks
    }

    /// Learns `vocabularySize − 256` merges on `corpus` (fewer when no pair occurs twice any more).
    ///
    /// Each merge is the most frequent adjacent pair inside the corpus's word-like pieces (never across
    /// two of them), the smaller pair winning a tie, so the same corpus always gives the same merges.
    /// - Throws: `TokenizerError.vocabularyTooSmall` when `vocabularySize` is below 256.
    public static func train(on corpus: String, vocabularySize: Int) throws -> BytePairTokenizer {
        guard vocabularySize >= byteTokens else { throw TokenizerError.vocabularyTooSmall(vocabularySize) }
        // The distinct pieces of the corpus as token sequences, with how often each occurs.
        var frequency: [Substring: Int] = [:]
        for piece in TextChunks.split(corpus) { frequency[piece, default: 0] += 1 }
        let pieces = frequency.keys.sorted()   // sorted: the same order in every run
        var words = pieces.map { $0.utf8.map(Int.init) }
        let counts = pieces.map { frequency[$0]! }
        var merges: [TokenPair] = []
        while byteTokens + merges.count < vocabularySize {
            var pairCounts: [TokenPair: Int] = [:]
            for (word, count) in zip(words, counts) where word.count > 1 {
                for p in 0..<(word.count - 1) { pairCounts[TokenPair(word[p], word[p + 1]), default: 0] += count }
            }
            // The most frequent pair; among equals, the smallest.
            guard let best = pairCounts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }), best.value >= 2 else { break }
            let newToken = byteTokens + merges.count
            merges.append(best.key)
            for w in words.indices where words[w].count > 1 {
                words[w] = merge(best.key, into: newToken, in: words[w])
            }
        }
        return try BytePairTokenizer(merges: merges)
    }

    /// `tokens` with every non-overlapping occurrence of `pair`, left to right, replaced by `token`.
    static func merge(_ pair: TokenPair, into token: Int, in tokens: [Int]) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(tokens.count)
        var i = 0
        while i < tokens.count {
            if i + 1 < tokens.count && tokens[i] == pair.first && tokens[i + 1] == pair.second {
                result.append(token)
                i += 2
            } else {
                result.append(tokens[i])
                i += 1
            }
        }
        return result
    }

    /// The tokens of `text`: its UTF-8 bytes, merged piece by piece in training order. Never throws.
    public func encode(_ text: String) -> [Int] {
        var cache: [Substring: [Int]] = [:]   // a text repeats its words: encode each distinct piece once
        var result: [Int] = []
        for piece in TextChunks.split(text) {
            if let known = cache[piece] {
                result += known
                continue
            }
            let tokens = encode(piece: piece)
            cache[piece] = tokens
            result += tokens
        }
        return result
    }

    private func encode(piece: Substring) -> [Int] {
        var tokens = piece.utf8.map(Int.init)
        while tokens.count > 1 {
            // The adjacent pair merged earliest in training, if any.
            var bestRank = Int.max
            for p in 0..<(tokens.count - 1) {
                if let rank = ranks[TokenPair(tokens[p], tokens[p + 1])], rank < bestRank { bestRank = rank }
            }
            if bestRank == Int.max { break }
            tokens = Self.merge(merges[bestRank], into: Self.byteTokens + bestRank, in: tokens)
        }
        return tokens
    }

    /// The text of `tokens` (each in 0..<vocabularySize); bytes that are not valid UTF-8 become U+FFFD.
    public func decode(_ tokens: [Int]) -> String {
        var bytes: [UInt8] = []
        for id in tokens {
            precondition(id >= 0 && id < vocabularySize, "BytePairTokenizer.decode: id \(id) is outside 0..<\(vocabularySize)")
            bytes += tokenBytes[id]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes token `id` stands for (`id` in 0..<vocabularySize): one byte for ids below 256,
    /// the two parts of its merge joined for the others.
    public func bytes(of id: Int) -> [UInt8] { tokenBytes[id] }

    // MARK: Saving and loading

    /// The file layout: `{"format": "mllab-byte-bpe", "version": 1, "merges": [[a, b], …]}`.
    private struct File: Codable {
        var format: String
        var version: Int
        var merges: [[Int]]
    }

    private static let format = "mllab-byte-bpe"

    /// The most bytes all tokens of a loaded vocabulary may stand for together (64 MiB;
    /// GPT-2's 50,257 tokens stand for about 400 KB).
    public static let maximumVocabularyBytes = 1 << 26

    /// Writes the merges as JSON, atomically (a reader never sees half a file).
    public func save(to path: String) throws {
        let file = File(format: Self.format, version: 1, merges: merges.map { [$0.first, $0.second] })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            try encoder.encode(file).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TokenizerError.file(path: path, reason: "cannot be written: \(error.localizedDescription)")
        }
    }

    /// Reads a tokenizer saved by `save(to:)`; throws `TokenizerError` naming the file and the fault.
    public static func load(from path: String) throws -> BytePairTokenizer {
        let data: Data
        do {
            data = try DataFile.read(path)
        } catch let error as DataError {
            throw TokenizerError.file(path: path, reason: error.kind == .fileNotFound
                                      ? "cannot be read (missing or not a file)" : "cannot be read: \(error)")
        }
        return try load(data, path: path)
    }

    /// Reads the bytes of a tokenizer file; `path` names them in errors.
    public static func load(_ data: Data, path: String) throws -> BytePairTokenizer {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw TokenizerError.file(path: path, reason: "is not a tokenizer file (expected JSON with format, version, merges)")
        }
        guard file.format == format, file.version == 1 else {
            throw TokenizerError.file(path: path, reason: "has format \"\(file.format)\" version \(file.version), expected \"\(format)\" version 1")
        }
        var merges: [TokenPair] = []
        for (index, pair) in file.merges.enumerated() {
            guard pair.count == 2 else {
                throw TokenizerError.file(path: path, reason: "merge \(index) has \(pair.count) ids, expected 2")
            }
            merges.append(TokenPair(pair[0], pair[1]))
        }
        try checkTotalLength(of: merges, path: path)
        do {
            return try BytePairTokenizer(merges: merges)
        } catch let error as TokenizerError {
            throw TokenizerError.file(path: path, reason: error.description)
        }
    }

    /// Throws when the tokens the merges make would stand for more than `maximumVocabularyBytes` bytes.
    /// Stops quietly at a merge with an id that does not exist yet: `init(merges:)` reports it.
    private static func checkTotalLength(of merges: [TokenPair], path: String) throws {
        var lengths = [Int](repeating: 1, count: byteTokens)
        var total = byteTokens
        for (index, pair) in merges.enumerated() {
            guard lengths.indices.contains(pair.first), lengths.indices.contains(pair.second) else { return }
            let length = lengths[pair.first] + lengths[pair.second]   // each part <= total <= 2^26: no overflow
            total += length
            guard total <= maximumVocabularyBytes else {
                throw TokenizerError.file(path: path, reason: "merge \(index) \(pair) makes a token of \(length) bytes, and the tokens "
                                          + "so far stand for \(total) bytes, more than the limit of \(maximumVocabularyBytes)")
            }
            lengths.append(length)
        }
    }

    /// Two tokenizers are equal when they have the same merges in the same order (everything else follows).
    public static func == (lhs: BytePairTokenizer, rhs: BytePairTokenizer) -> Bool { lhs.merges == rhs.merges }
}

/// Two adjacent tokens, the unit a merge replaces.
public struct TokenPair: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The ids of the left and the right token.
    public let first: Int, second: Int

    /// The pair (`first`, `second`), in text order.
    public init(_ first: Int, _ second: Int) {
        self.first = first
        self.second = second
    }

    /// Ordered by `first`, then `second`: the order that breaks ties between equally frequent pairs in training.
    public static func < (lhs: TokenPair, rhs: TokenPair) -> Bool { (lhs.first, lhs.second) < (rhs.first, rhs.second) }

    /// "(first, second)".
    public var description: String { "(\(first), \(second))" }
}
