// Fuzzes the byte-level BPE vocabulary file reader on bytes, then encodes and decodes with what it read.
import Foundation
import FuzzSupport
import Tokenizers

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBPEVocabulary(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzInput(bytes, size) { data in
        let tokenizer = try BytePairTokenizer.load(data, path: "fuzz-vocabulary.json")
        _ = tokenizer.decode(tokenizer.encode("the cat sat on the mat, ünïcode ✓"))
    }
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
    writeSeedsIfAsked {
        let trained = try BytePairTokenizer.train(on: "the cat sat on the mat; the rat sat on the cat", vocabularySize: 270)
        return [("trained.json", try bytesWritten { try trained.save(to: $0) }),
                ("no-merges.json", Data(#"{"format":"mllab-byte-bpe","merges":[],"version":1}"#.utf8)),
                ("chained.json", Data(#"{"format":"mllab-byte-bpe","merges":[[116,104],[256,101],[257,32]],"version":1}"#.utf8))]
    }
}
