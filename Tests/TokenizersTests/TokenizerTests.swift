// The tokenizers of phase 5: TextChunks' lossless split, byte-level BPE
// (round trips of random UTF-8, merges that shorten held-out text, the
// deterministic training order, save and load with typed errors), and the
// character vocabulary behind the same protocol.
import Foundation
import Testing
import Tensor
@testable import Tokenizers

/// A small corpus with repeated words, punctuation, digits, newlines and runs of spaces.
private let corpus = String(repeating: """
    First Citizen:
    Before we proceed any further, hear me speak.  All: Speak, speak.
    You are all resolved rather to die than to famish? 1601, 1602 and 1603.

    """, count: 30)

/// A random string of `length` Unicode scalars drawn from ASCII, accented Latin, Greek, CJK,
/// emoji and whitespace, seeded.
private func randomText(length: Int, seed: UInt64) -> String {
    var generator = RandomGenerator(seed: seed)
    let ranges: [ClosedRange<UInt32>] = [0x20...0x7E, 0xC0...0x17F, 0x391...0x3C9, 0x4E00...0x4FFF, 0x1F600...0x1F64F, 0x09...0x0A]
    var scalars = String.UnicodeScalarView()
    for _ in 0..<length {
        let range = ranges[Int(generator.next() % UInt64(ranges.count))]
        let value = range.lowerBound + UInt32(generator.next() % UInt64(range.count))
        scalars.append(Unicode.Scalar(value)!)
    }
    return String(scalars)
}

@Suite("Tokenizers")
struct TokenizerTests {
    @Test("TextChunks splits words with their leading space and loses nothing")
    func chunks() {
        #expect(TextChunks.split("Hello, world!  It's 2026.\n\nOK") ==
                ["Hello", ",", " world", "!", " ", " It", "'", "s", " 2026", ".", "\n\n", "OK"])
        for seed in 0..<20 as Range<UInt64> {
            let text = randomText(length: 200, seed: seed)
            #expect(TextChunks.split(text).joined() == text, "seed \(seed)")
        }
    }

    @Test("BPE: decode(encode(s)) == s for random UTF-8, with and without merges")
    func roundTrip() throws {
        let trained = try BytePairTokenizer.train(on: corpus, vocabularySize: 320)
        let bytesOnly = try BytePairTokenizer.train(on: corpus, vocabularySize: 256)
        #expect(bytesOnly.vocabularySize == 256)
        for seed in 0..<50 as Range<UInt64> {
            let text = randomText(length: 1 + Int(seed) * 7, seed: 100 + seed)
            for tokenizer in [trained, bytesOnly] {
                let tokens = tokenizer.encode(text)
                #expect(tokens.allSatisfy { (0..<tokenizer.vocabularySize).contains($0) })
                #expect(tokenizer.decode(tokens) == text, "seed \(seed)")
            }
        }
        #expect(trained.encode("").isEmpty && trained.decode([]) == "")
    }

    @Test("BPE: merges learned on the training text shorten held-out text, and more merges shorten it more")
    func mergesCompress() throws {
        let text = corpus + "Speak, citizens, speak! Before any of you proceed, hear me: resolve to speak.\n"
        let heldOut = "Citizens, hear me speak before you proceed any further; all are resolved.\n"
        let small = try BytePairTokenizer.train(on: text, vocabularySize: 270)
        let large = try BytePairTokenizer.train(on: text, vocabularySize: 400)
        let bytes = heldOut.utf8.count
        let smallCount = small.encode(heldOut).count, largeCount = large.encode(heldOut).count
        #expect(smallCount < bytes, "\(smallCount) tokens for \(bytes) bytes with 14 merges")
        #expect(largeCount < smallCount, "\(largeCount) tokens with 144 merges vs \(smallCount) with 14")
        #expect(Double(largeCount) < 0.6 * Double(bytes), "\(largeCount) tokens for \(bytes) bytes")
    }

    @Test("BPE: the first merge is the most frequent pair, and training is deterministic")
    func firstMergeAndDeterminism() throws {
        // Pieces "abab", " ab", " bcbc": the pair (a, b) occurs 3 times, (b, c) twice.
        let tokenizer = try BytePairTokenizer.train(on: "abab ab bcbc", vocabularySize: 257)
        #expect(tokenizer.merges == [TokenPair(97, 98)])
        #expect(tokenizer.encode("abab") == [256, 256])
        #expect(tokenizer.decode([256, 99]) == "abc")
        let again = try BytePairTokenizer.train(on: corpus, vocabularySize: 300)
        #expect(again == (try BytePairTokenizer.train(on: corpus, vocabularySize: 300)))
        // A pair never straddles two pieces: the space before "ab" belongs to " ab".
        #expect(!tokenizer.merges.contains(TokenPair(98, 32)))
    }

    @Test("BPE: training stops when no pair occurs twice")
    func stopsEarly() throws {
        let tokenizer = try BytePairTokenizer.train(on: "abcd", vocabularySize: 1000)
        #expect(tokenizer.merges.isEmpty)
        #expect(throws: TokenizerError.vocabularyTooSmall(100)) { try BytePairTokenizer.train(on: "abc", vocabularySize: 100) }
    }

    @Test("BPE: save and load give the same tokenizer; bad files are typed errors naming the file")
    func saveAndLoad() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mllab-bpe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("tokenizer.json").path
        let tokenizer = try BytePairTokenizer.train(on: corpus, vocabularySize: 300)
        try tokenizer.save(to: path)
        let loaded = try BytePairTokenizer.load(from: path)
        #expect(loaded == tokenizer)
        #expect(loaded.encode(corpus) == tokenizer.encode(corpus))

        func expectFileError(_ contents: String, mentioning words: String) {
            let bad = directory.appendingPathComponent("bad.json").path
            _ = FileManager.default.createFile(atPath: bad, contents: Data(contents.utf8))
            do {
                _ = try BytePairTokenizer.load(from: bad)
                Issue.record("\(contents) loaded")
            } catch let error as TokenizerError {
                #expect(error.description.hasPrefix(bad) && error.description.contains(words), "\(error)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        expectFileError("not json", mentioning: "not a tokenizer file")
        expectFileError(#"{"format": "other", "version": 1, "merges": []}"#, mentioning: "expected \"mllab-byte-bpe\"")
        expectFileError(#"{"format": "mllab-byte-bpe", "version": 1, "merges": [[97]]}"#, mentioning: "merge 0 has 1 ids")
        expectFileError(#"{"format": "mllab-byte-bpe", "version": 1, "merges": [[97, 256]]}"#, mentioning: "does not exist before it")
        expectFileError(#"{"format": "mllab-byte-bpe", "version": 1, "merges": [[97, 98], [97, 98]]}"#, mentioning: "repeats")
        #expect(throws: TokenizerError.self) { try BytePairTokenizer.load(from: directory.appendingPathComponent("missing.json").path) }
    }

    @Test("BPE: an empty, cut, non-UTF-8 or unreadable vocabulary, a wrong version, negative, huge or NaN ids, and merges that double a token are refused")
    func malformedVocabulary() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mllab-bpe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = directory.appendingPathComponent("bad.json").path
        func expectRefused(_ bytes: [UInt8], at path: String? = nil, mentioning words: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
            let target = path ?? bad
            if path == nil { _ = FileManager.default.createFile(atPath: bad, contents: Data(bytes)) }
            do {
                _ = try BytePairTokenizer.load(from: target)
                Issue.record("\(target) loaded", sourceLocation: sourceLocation)
            } catch let error as TokenizerError {
                #expect(error.description.hasPrefix(target) && error.description.contains(words), "\(error)", sourceLocation: sourceLocation)
            } catch {
                Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
            }
        }
        func json(_ text: String) -> [UInt8] { Array(text.utf8) }
        let notTokenizer = "not a tokenizer file"
        expectRefused([], mentioning: notTokenizer)                                                  // empty
        expectRefused(json(#"{"format": "mllab-byte-bpe", "version": 1, "merges": [[97, 9"#), mentioning: notTokenizer)   // cut
        expectRefused(json(#"{"format": "mllab-byte-bpe", "version": 2, "merges": []}"#), mentioning: "version 2")
        expectRefused(json(#"{"format": "mllab-"#) + [0xFF, 0xFE] + json(#"", "version": 1, "merges": []}"#), mentioning: notTokenizer)
        expectRefused(json(#"{"format": "mllab-byte-bpe", "version": 1, "merges": [[-1, 97]]}"#), mentioning: "does not exist before it")
        expectRefused(json(#"{"format": "mllab-byte-bpe", "version": 1, "merges": [[1e30, 97]]}"#), mentioning: notTokenizer)
        expectRefused(json(#"{"format": "mllab-byte-bpe", "version": 1, "merges": [[NaN, 97]]}"#), mentioning: notTokenizer)
        // Merge i joins token 255 + i with itself: token lengths 2, 4, 8, … would pass 2^64 bytes after
        // 64 merges of a 1 KB file; the sum of lengths stops it at the limit, before any token is built.
        let doubling = (0..<64).map { "[\($0 == 0 ? 97 : 255 + $0), \($0 == 0 ? 97 : 255 + $0)]" }.joined(separator: ", ")
        expectRefused(json(#"{"format": "mllab-byte-bpe", "version": 1, "merges": [\#(doubling)]}"#), mentioning: "more than the limit of 67108864")
        // A folder, a path through a regular file (ENOTDIR) and a file that exists but cannot be read (EIO): refused as root too.
        expectRefused([], at: directory.path, mentioning: "cannot be read")
        expectRefused([], at: bad + "/child", mentioning: "cannot be read")
        if FileManager.default.isReadableFile(atPath: "/proc/self/mem") {
            expectRefused([], at: "/proc/self/mem", mentioning: "cannot access the file")
        }
    }

    @Test("A token sequence that cuts a multi-byte character decodes with U+FFFD")
    func partialCharacter() {
        let tokenizer = try! BytePairTokenizer(merges: [])
        let bytes = tokenizer.encode("é")
        #expect(bytes == [0xC3, 0xA9])
        #expect(tokenizer.decode([0xC3]) == "\u{FFFD}")
    }

    @Test("Both tokenizers serve through the Tokenizer protocol")
    func protocolUse() throws {
        let tokenizers: [any Tokenizer] = [CharVocabulary(text: corpus), try BytePairTokenizer.train(on: corpus, vocabularySize: 300)]
        for tokenizer in tokenizers {
            let text = "Before we proceed, speak."
            #expect(tokenizer.decode(try tokenizer.encode(text)) == text)
        }
        #expect(tokenizers[0].vocabularySize == Set(corpus.unicodeScalars).count)
    }
}
