// CharVocabulary, the one-token-per-character tokenizer of phases 4 and 5.
import Tensor
import Testing
@testable import Tokenizers

@Suite("Character vocabulary")
struct CharVocabularyTests {
    @Test("Characters are sorted by code point and every text of them round-trips")
    func roundTrip() throws {
        let vocabulary = CharVocabulary(text: "hello, world!\nÉté")
        #expect(vocabulary.characters.map(\.value) == vocabulary.characters.map(\.value).sorted())
        #expect(vocabulary.count == Set("hello, world!\nÉté".unicodeScalars).count)
        #expect(vocabulary.characters.first == "\n")
        for text in ["hello", "world!\n", "Été, hello", ""] {
            #expect(vocabulary.decode(try vocabulary.encode(text)) == text)
        }
        #expect(try vocabulary.encode("dl") == [vocabulary.characters.firstIndex(of: "d")!, vocabulary.characters.firstIndex(of: "l")!])
    }

    @Test("A character outside the vocabulary is a typed error naming its position")
    func unknownCharacter() {
        let vocabulary = CharVocabulary(text: "abc")
        #expect(throws: UnknownCharacterError(character: "z", position: 2)) { try vocabulary.encode("abz") }
    }

    @Test("The split keeps order: the first int(0.9 n) tokens train, the rest validate")
    func split() {
        let tokens = Array(0..<1_115)
        let (train, validation) = CharVocabulary.split(tokens)
        #expect(train.count == 1_003 && validation.count == 112)
        #expect(train + validation == tokens)
    }

    @Test("An unreadable file is a typed error naming the file")
    func missingFile() {
        #expect(throws: TextFileError.self) { try CharVocabulary.readText(path: "/nonexistent/input.txt") }
    }
}
