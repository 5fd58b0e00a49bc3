// Saving and loading parameters: PyTorch names, round trip, strict loading errors.
import Foundation
import Testing
import NN
import Autograd
import Tensor

@Suite struct StateDictTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("nn-\(UUID().uuidString)-\(name)").path
    }

    func model(seed: UInt64, hidden: Int = 8) -> Sequential {
        Sequential(Linear(4, hidden, seed: seed), BatchNorm1d(hidden), ReLU(), Linear(hidden, 2, seed: seed + 1))
    }

    @Test func namesFollowPyTorch() {
        #expect(model(seed: 0).stateDict().keys.sorted() == [
            "0.bias", "0.weight", "1.bias", "1.num_batches_tracked", "1.running_mean", "1.running_var",
            "1.weight", "3.bias", "3.weight",
        ])
    }

    @Test func saveThenLoadRestoresIdenticalOutputs() throws {
        let original = model(seed: 1)
        for seed in UInt64(2)...4 { _ = original(Variable(Tensor.normal([16, 4], seed: seed))) }   // move the running statistics
        original.eval()
        let x = Variable(Tensor.normal([5, 4], seed: 5))
        let expected = original(x).value

        let path = temporaryPath("model.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try original.saveParameters(to: path)

        let restored = model(seed: 9)
        restored.eval()
        #expect(restored(x).value != expected)
        try restored.loadParameters(from: path)
        #expect(restored(x).value == expected)
        #expect((restored.layers[1] as! BatchNorm1d).batchesTracked == 3)
    }

    @Test func loadErrorsNameTheKeyAndChangeNothing() throws {
        let path = temporaryPath("wide.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model(seed: 1, hidden: 8).saveParameters(to: path)

        let narrow = model(seed: 2, hidden: 6)
        let before = narrow.stateDict()
        #expect(throws: StateDictError.shapeMismatch(source: path, key: "0.weight", expected: [6, 4], found: [8, 4])) {
            try narrow.loadParameters(from: path)
        }
        #expect(narrow.stateDict() == before)

        // A file lacking a key, and a file with a key too many.
        var tensors = model(seed: 3).stateDict()
        tensors["1.running_var"] = nil
        #expect(throws: StateDictError.missingKey(source: "state dict", key: "1.running_var", expected: [8])) {
            try model(seed: 4).loadStateDict(tensors)
        }
        tensors = model(seed: 3).stateDict()
        tensors["4.weight"] = Tensor.zeros([2, 2])
        #expect(throws: StateDictError.unexpectedKey(source: "state dict", key: "4.weight", found: [2, 2])) {
            try model(seed: 4).loadStateDict(tensors)
        }
        // The message names the key and both shapes.
        let message = StateDictError.shapeMismatch(source: "m.safetensors", key: "0.weight", expected: [6, 4], found: [8, 4]).description
        #expect(message.contains("0.weight") && message.contains("[8, 4]") && message.contains("[6, 4]"))
        // A file that is not there is an error, not a crash.
        #expect(throws: (any Error).self) { try narrow.loadParameters(from: temporaryPath("absent.safetensors")) }
    }
}
