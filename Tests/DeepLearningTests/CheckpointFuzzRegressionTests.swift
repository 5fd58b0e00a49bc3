// Inputs on which the checkpoint fuzzer (Fuzz/Sources/fuzz-checkpoint) once crashed the loader,
// kept in Tests/Fixtures/fuzz-regressions/checkpoint/: each must now load or throw CheckpointError.
// They are loaded into the fuzzer's own model and optimizer, since a file only reaches the code
// that crashed when its tensors fit them.
import Foundation
import Testing
@testable import DeepLearning

@Suite("Checkpoint fuzz regressions")
struct CheckpointFuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz-regressions/checkpoint")

    static var inputs: [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test("The folder holds the inputs")
    func folderIsNotEmpty() {
        #expect(!Self.inputs.isEmpty, "no files in \(Self.folder.path)")
    }

    @Test("Each input loads or throws CheckpointError", arguments: inputs)
    func loadsOrThrows(_ input: URL) throws {
        let model = Sequential(Linear(3, 4, seed: 1), BatchNorm1d(4), Dropout(0.25, seed: 2), Linear(4, 2, seed: 3))
        let optimizer = Adam(model.parameters, learningRate: 0.01)
        do {
            _ = try CheckpointFile.load(from: input.path, into: model, optimizer: optimizer)
        } catch is CheckpointError {
        }
    }

    @Test("A step count beyond Int's range is refused with the step's name")
    func hugeStepCount() throws {
        let model = Sequential(Linear(2, 2, seed: 1))
        let adam = Adam(model.parameters, learningRate: 0.01)
        var state = adam.stateTensors()
        state["0.exp_avg"] = Tensor(shape: [2, 2], repeating: 0)
        state["0.exp_avg_sq"] = Tensor(shape: [2, 2], repeating: 0)
        state["0.step"] = Tensor(shape: [1], scalars: [1e30])
        #expect(throws: OptimizerStateError.badStepCount(source: "test", key: "0.step", value: 1e30)) {
            try adam.loadState(state, source: "test")
        }
    }
}
