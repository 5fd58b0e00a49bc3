// The text lab-gpt and lab-finetune learn from, as characters: tiny Shakespeare from
// MLLAB_DATA, or else the project's own README, docs and Swift sources (found
// from this file's place in the package), the first 90% for training and the
// rest for validation (W12's split). The vocabulary (the sorted characters)
// and which of the two texts it came from are stored in the checkpoint, so
// sampling and evaluation read the same ids, and a model pre-trained on one
// text is never scored or fine-tuned as if it had learnt the other.
import Foundation
import LabKit

/// The text lab-gpt and lab-finetune learn from, as character ids, split into training and validation.
///
/// ``load(vocabulary:)`` reads tiny Shakespeare from MLLAB_DATA when it is there, else the package's own
/// README, docs and Swift sources (``builtInText()``); the first 90% of the ids train, the rest validate.
public struct CharCorpus: Sendable {
    /// Where the text came from: the path of tiny Shakespeare's file, or ``builtInName``.
    public let source: String
    /// The whole text.
    public let text: String
    /// The characters of the text, sorted by code point; character i has id i (Tokenizers' `CharVocabulary`).
    public let vocabulary: CharVocabulary
    /// The ids of the text's first 90% (`train`) and of the last 10% (`validation`), in order.
    public let train: [Int], validation: [Int]

    /// Shakespeare's "ROMEO:" when the text has it, else the corpus's first line.
    public var defaultPrompt: String {
        text.contains("ROMEO:") ? "ROMEO:" : String(text.prefix { $0 != "\n" }.prefix(24))
    }

    /// A sentence to draw the attention of, from the corpus.
    public var defaultSentence: String {
        let candidate = "ROMEO: But soft, what light through yonder window breaks?"
        if (try? vocabulary.encode(candidate)) != nil && source != Self.builtInName { return candidate }
        return "The model reads the code and learns to write it."
    }

    /// The ``source`` of the built-in corpus, as it is printed and stored.
    public static let builtInName = "built-in corpus (the project's documentation and sources)"

    /// Which text a corpus is: the choice depends on whether MLLAB_DATA holds tiny Shakespeare.
    public enum Kind: String, Sendable, CaseIterable {
        /// Tiny Shakespeare (Karpathy's `input.txt`, about 1.1 M characters), found under MLLAB_DATA.
        case tinyShakespeare = "tinyshakespeare"
        /// The package's README, docs and Swift sources, used when tiny Shakespeare is not found.
        case builtIn = "builtin"
    }

    /// Where tiny Shakespeare sits under MLLAB_DATA.
    static let shakespeareFile = "tinyshakespeare/input.txt"

    /// The text `load()` reads on this machine now.
    public static var availableKind: Kind {
        DataLocator.standard.file(shakespeareFile) == nil ? .builtIn : .tinyShakespeare
    }

    /// Which of the two texts this corpus is.
    public var kind: Kind { source == Self.builtInName ? .builtIn : .tinyShakespeare }

    /// The corpus; `vocabulary` (from a checkpoint) replaces the one read off the text.
    public static func load(vocabulary saved: CharVocabulary? = nil) throws -> CharCorpus {
        let source: String, text: String
        if let path = DataLocator.standard.file(shakespeareFile) {
            (source, text) = (path, try CharVocabulary.readText(path: path))
            Log.info("data: tiny Shakespeare (\(path)), \(text.unicodeScalars.count) characters")
        } else {
            (source, text) = (builtInName, try builtInText())
            Log.info("data: \(builtInName), \(text.unicodeScalars.count) characters (tinyshakespeare/input.txt not found; set MLLAB_DATA to use it)")
        }
        let vocabulary = saved ?? CharVocabulary(text: text)
        let (train, validation) = CharVocabulary.split(try vocabulary.encode(text))
        return CharCorpus(source: source, text: text, vocabulary: vocabulary, train: train, validation: validation)
    }

    /// README.md, docs/*.md and every Sources/**/*.swift of the package, in path order.
    public static func builtInText() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var files = [root.appendingPathComponent("README.md")]
        for folder in ["docs", "Sources"] {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where ["md", "swift"].contains(url.pathExtension) { files.append(url) }
        }
        let texts = try files.filter { FileManager.default.fileExists(atPath: $0.path) }
            .sorted { $0.path < $1.path }
            .map { try String(contentsOf: $0, encoding: .utf8) }
        guard texts.count > 1 else {
            throw CharCorpusError("no built-in corpus: the package's sources are not beside this executable (\(root.path)); set MLLAB_DATA to a folder with tinyshakespeare/input.txt")
        }
        return texts.joined(separator: "\n")
    }

    /// The vocabulary as checkpoint metadata: its characters in id order, and the text's kind when known.
    public static func metadata(_ vocabulary: CharVocabulary, kind: Kind? = nil) -> [String: String] {
        var extra = ["vocabulary": String(String.UnicodeScalarView(vocabulary.characters))]
        extra["corpus"] = kind?.rawValue
        return extra
    }

    /// This corpus's vocabulary and kind as checkpoint metadata.
    public var metadata: [String: String] { Self.metadata(vocabulary, kind: kind) }

    /// The corpus a checkpoint was trained on, read with its saved vocabulary. Throws when the
    /// checkpoint names the other text than the one found now (MLLAB_DATA set for one and not the other).
    public static func load(forCheckpoint extra: [String: String], path: String) throws -> CharCorpus {
        let vocabulary = try vocabulary(from: extra, path: path)
        if let saved = extra["corpus"], saved != availableKind.rawValue {
            throw CharCorpusError("\(path) was trained on the \(saved) corpus, but the corpus found now is \(availableKind.rawValue)"
                                  + (availableKind == .builtIn ? " (set MLLAB_DATA to the folder holding tinyshakespeare/input.txt)"
                                                               : " (unset MLLAB_DATA to use the built-in corpus)"))
        }
        return try load(vocabulary: vocabulary)
    }

    /// The vocabulary stored by `metadata(_:)`.
    public static func vocabulary(from extra: [String: String], path: String) throws -> CharVocabulary {
        guard let characters = extra["vocabulary"], !characters.isEmpty else {
            throw CharCorpusError("\(path): the checkpoint has no character vocabulary (not written by lab-gpt or lab-finetune)")
        }
        return CharVocabulary(characters: Array(characters.unicodeScalars))
    }
}

/// The corpus cannot be found or a checkpoint carries no vocabulary.
public struct CharCorpusError: Error, CustomStringConvertible {
    /// What is missing, and what to set to fix it.
    public let description: String
    init(_ description: String) { self.description = description }
}
