// Fuzzes the GPT checkpoint readers on bytes: the header a resume starts from, then a
// full load into a tiny GPT and its trainer.
import Foundation
import FuzzSupport
import GPT
import LabKit

let configuration = GPTConfiguration(vocabularySize: 5, blockSize: 4, layerCount: 1, headCount: 1, embeddingSize: 4)

/// Built once (ten times faster than a GPT per input): a load either changes nothing or
/// replaces every tensor with a same-shaped one, so no input depends on the one before.
let trainer = GPTTrainer(model: GPTModel(configuration, seed: 1))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGPTCheckpoint(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzInput(bytes, size) { data in
        _ = try GPTCheckpoint.header(of: data, path: "fuzz.safetensors")
        _ = try trainer.load(data, path: "fuzz.safetensors")
    }
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
    writeSeedsIfAsked {
        var progress = GPTProgress(dataGenerator: RandomGenerator(seed: 2))
        let fresh = try bytesWritten { try trainer.save(to: $0, progress: progress, extra: ["tokenizer": "chars"]) }
        try trainer.train(on: [0, 1, 2, 3, 4, 3, 2, 1, 0, 1, 2, 3], batch: 2, progress: &progress)
        let trained = try bytesWritten { try trainer.save(to: $0, progress: progress) }
        return [("step-0.safetensors", fresh), ("step-1.safetensors", trained)]
    }
}
