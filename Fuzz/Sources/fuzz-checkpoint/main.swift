// Fuzzes the training-checkpoint loader (CheckpointFile) on bytes, into a small net with a
// buffer (BatchNorm) and a random generator (Dropout), and an Adam optimizer.
import DeepLearning
import Foundation
import FuzzSupport

/// A model and optimizer a checkpoint is loaded into.
func makeTarget() -> (Sequential, Adam) {
    let model = Sequential(Linear(3, 4, seed: 1), BatchNorm1d(4), Dropout(0.25, seed: 2), Linear(4, 2, seed: 3))
    return (model, Adam(model.parameters, learningRate: 0.01))
}

/// Built once (ten times faster than a net per input): a load either changes nothing or
/// replaces every tensor with a same-shaped one, so no input depends on the one before.
let (model, optimizer) = makeTarget()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzInput(bytes, size) { data in
        _ = try CheckpointFile.load(data, path: "fuzz.safetensors", into: model, optimizer: optimizer)
    }
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
    writeSeedsIfAsked {
        let (model, optimizer) = makeTarget()
        model.train()
        optimizer.zeroGrad()
        model(Variable(Tensor.normal([5, 3], seed: 4))).crossEntropy([0, 1, 1, 0, 1]).backward()
        optimizer.step()
        var progress = TrainingProgress(learningRate: 0.01, seed: 7, patience: 2)
        progress.epochsCompleted = 1
        progress.optimizerSteps = 1
        progress.earlyStopping.record(0.5)
        return [("adam-step-1.safetensors",
                 try bytesWritten { try CheckpointFile.save(to: $0, model: model, optimizer: optimizer, progress: progress) })]
    }
}
