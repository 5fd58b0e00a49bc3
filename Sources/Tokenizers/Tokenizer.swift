// Tokenizer: text to token ids and back, the first and last step of a language model.
//
// Two kinds here: one token per character (CharVocabulary), whose
// vocabulary is the corpus's character set (65 for tiny shakespeare), and
// byte-level BPE (BytePairTokenizer), whose 256 byte tokens cover any text and
// whose learned merges make common words one token. Both decode what they
// encode: decode(encode(s)) == s.

/// Maps text to token ids in 0..<vocabularySize and back.
public protocol Tokenizer: Sendable {
    /// The number of distinct token ids (the model's embedding and output size).
    var vocabularySize: Int { get }
    /// The token ids of `text`; throws when the text holds something the tokenizer cannot represent.
    func encode(_ text: String) throws -> [Int]
    /// The text of `tokens`.
    func decode(_ tokens: [Int]) -> String
}

extension CharVocabulary: Tokenizer {
    /// The number of distinct characters, `count`: ids run from 0 to count − 1.
    public var vocabularySize: Int { count }
}

/// A tokenizer that cannot be built or read.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    /// A vocabulary smaller than the 256 byte tokens.
    case vocabularyTooSmall(Int)
    /// Merge `index` names a token that does not exist yet (ids must be below `tokensSoFar`).
    case invalidMerge(index: Int, pair: TokenPair, tokensSoFar: Int)
    /// Merge `index` repeats an earlier merge.
    case repeatedMerge(index: Int, pair: TokenPair)
    /// A tokenizer file that cannot be read or written, or is malformed.
    case file(path: String, reason: String)

    /// One sentence naming the merge or the file and what is wrong.
    public var description: String {
        switch self {
        case .vocabularyTooSmall(let size):
            "BytePairTokenizer: vocabularySize must be at least 256 (the byte tokens), got \(size)"
        case .invalidMerge(let index, let pair, let limit):
            "BytePairTokenizer: merge \(index) \(pair) names a token ≥ \(limit), which does not exist before it"
        case .repeatedMerge(let index, let pair):
            "BytePairTokenizer: merge \(index) \(pair) repeats an earlier merge"
        case .file(let path, let reason):
            "\(path): \(reason)"
        }
    }
}
