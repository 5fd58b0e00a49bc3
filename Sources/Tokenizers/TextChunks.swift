// TextChunks: cutting text into word-like pieces before byte-pair merging.
//
// GPT-2's tokenizer never merges across a word boundary: it first splits the
// text with a pattern, then runs BPE inside each piece. That keeps "dog." and
// "dog!" sharing the token "dog", and lets training count each distinct word
// once with its frequency instead of walking the whole corpus per merge.
// Our pieces follow the same rules as GPT-2's pattern, minus its English
// contractions ('s, 't, …):
//   " ?letters+"      a run of letters, with at most one space before it
//   " ?digits+"       a run of digits, likewise
//   " ?other+"        a run of anything that is not a letter, digit or space
//   spaces+           a run of whitespace; when a word follows it, the run's last
//                     space is left to that word (so "a  b" → "a", " ", " b")
// The pieces, joined, give back the text exactly: nothing is dropped or added.

/// Splits text into the pieces that byte-pair encoding works inside.
enum TextChunks {
    /// The class of a Unicode scalar that decides where pieces end.
    private enum Kind: Equatable { case letter, digit, space, other }

    private static func kind(_ scalar: Unicode.Scalar) -> Kind {
        let properties = scalar.properties
        if properties.isWhitespace { return .space }
        if properties.isAlphabetic { return .letter }
        if properties.numericType != nil { return .digit }
        return .other
    }

    /// The pieces of `text`, in order; their concatenation is `text`.
    static func split(_ text: String) -> [Substring] {
        let scalars = text.unicodeScalars
        var pieces: [Substring] = []
        var start = scalars.startIndex
        while start < scalars.endIndex {
            var end = start
            let first = kind(scalars[start])
            if first == .space {
                // A run of whitespace.
                while end < scalars.endIndex, kind(scalars[end]) == .space { end = scalars.index(after: end) }
                let runLength = scalars.distance(from: start, to: end)
                let lastSpace = scalars.index(before: end)
                if end < scalars.endIndex, scalars[lastSpace] == " " {
                    // A word follows: its leading space belongs to it.
                    if runLength > 1 {
                        pieces.append(Substring(scalars[start..<lastSpace]))
                    }
                    start = lastSpace
                    end = scalars.index(after: lastSpace)
                    let wordKind = kind(scalars[end])
                    while end < scalars.endIndex, kind(scalars[end]) == wordKind { end = scalars.index(after: end) }
                }
            } else {
                while end < scalars.endIndex, kind(scalars[end]) == first { end = scalars.index(after: end) }
            }
            pieces.append(Substring(scalars[start..<end]))
            start = end
        }
        return pieces
    }
}
