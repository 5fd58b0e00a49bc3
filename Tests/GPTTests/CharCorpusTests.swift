// The character corpus a checkpoint names: its metadata carries the vocabulary
// and which text it came from, and reading a checkpoint made on the other text
// (tiny Shakespeare with MLLAB_DATA, the built-in one without) is a typed error
// instead of a model silently scored on text it never saw.
import Testing
import LabKit
@testable import GPT

@Suite("Character corpus")
struct CharCorpusTests {
    @Test("Metadata keeps the vocabulary in id order and the corpus's kind")
    func metadataRoundTrip() throws {
        let vocabulary = CharVocabulary(text: "to be, or not")
        let extra = CharCorpus.metadata(vocabulary, kind: .builtIn)
        #expect(extra["corpus"] == "builtin")
        #expect(try CharCorpus.vocabulary(from: extra, path: "x") == vocabulary)
        #expect(CharCorpus.metadata(vocabulary)["corpus"] == nil)
    }

    @Test("A checkpoint from the corpus found now, or one that names none, loads with its own vocabulary")
    func sameCorpusLoads() throws {
        let found = try CharCorpus.load()
        #expect(found.kind == CharCorpus.availableKind)
        let named = try CharCorpus.load(forCheckpoint: found.metadata, path: "base.safetensors")
        #expect(named.vocabulary == found.vocabulary && named.train == found.train && named.kind == found.kind)
        let unnamed = try CharCorpus.load(forCheckpoint: CharCorpus.metadata(found.vocabulary), path: "old.safetensors")
        #expect(unnamed.validation == found.validation)
    }

    @Test("A checkpoint from the other corpus is an error that names both")
    func otherCorpusFails() throws {
        let found = try CharCorpus.load()
        let other = CharCorpus.Kind.allCases.first { $0 != CharCorpus.availableKind }!
        do {
            _ = try CharCorpus.load(forCheckpoint: CharCorpus.metadata(found.vocabulary, kind: other), path: "base.safetensors")
            Issue.record("loading a \(other.rawValue) checkpoint with the \(found.kind.rawValue) corpus did not throw")
        } catch let error as CharCorpusError {
            #expect(error.description.contains("base.safetensors was trained on the \(other.rawValue) corpus"))
            #expect(error.description.contains("found now is \(found.kind.rawValue)"))
        }
    }
}
