// Fuzzes the LoRA adapter-file loader on bytes, into adapters on a tiny GPT's query projections.
import FineTuning
import Foundation
import FuzzSupport
import GPT
import LabKit

/// Adapters (rank 2, α 4) on the query projections of a tiny GPT.
func makeAdapters() throws -> LoRA {
    let model = GPTModel(GPTConfiguration(vocabularySize: 5, blockSize: 4, layerCount: 1, headCount: 1, embeddingSize: 4), seed: 1)
    return try LoRA(attachingTo: model, targets: [try LoRATarget.gpt("query", embeddingSize: 4)],
                    configuration: LoRAConfiguration(rank: 2, alpha: 4), seed: 3)
}

/// Built once (building a GPT for every input would triple the time): a load either changes
/// nothing or replaces every A and B with same-shaped ones, so no input depends on the one before.
let adapters = try! makeAdapters()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAdapter(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzInput(bytes, size) { data in try adapters.load(data, path: "fuzz.safetensors") }
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
    writeSeedsIfAsked {
        let adapters = try makeAdapters()
        return [("query-rank-2.safetensors", try bytesWritten { try adapters.save(to: $0) })]
    }
}
