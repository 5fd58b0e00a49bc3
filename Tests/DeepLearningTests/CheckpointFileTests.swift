import Foundation
import Autograd
import Testing
@testable import DeepLearning

@Suite("Checkpoint file")
struct CheckpointFileTests {
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("mllab-\(name)-\(UUID().uuidString).safetensors").path
    }

    /// A small net with a buffer (BatchNorm's running statistics).
    static func makeModel(seed: UInt64, hidden: Int = 8) -> Sequential {
        Sequential(Linear(4, hidden, seed: seed), BatchNorm1d(hidden), ReLU(), Linear(hidden, 3, seed: seed + 1))
    }

    /// A few optimizer steps on random data, so parameters, buffers and optimizer state are all non-trivial.
    static func trainSteps(_ model: Sequential, _ optimizer: any StatefulOptimizer, steps: Int, seed: UInt64) {
        model.train()
        for step in 0..<steps {
            let x = Tensor.normal([16, 4], seed: seed &+ UInt64(step))
            let targets = (0..<16).map { ($0 + step) % 3 }
            optimizer.zeroGrad()
            let loss = model(Variable(x)).crossEntropy(targets)
            loss.backward()
            optimizer.step()
        }
    }

    static func progress(epochs: Int, learningRate: Float) -> TrainingProgress {
        var progress = TrainingProgress(learningRate: learningRate, seed: 42, patience: 3)
        progress.epochsCompleted = epochs
        progress.optimizerSteps = 17
        progress.earlyStopping.record(0.75)
        progress.earlyStopping.record(0.8)
        progress.history.epochs.append(EpochRecord(epoch: 1, trainLoss: 1.25, trainAccuracy: 0.5, validationLoss: 0.75,
                                                   validationAccuracy: 0.625, samplesPerSecond: 1000, learningRate: learningRate))
        return progress
    }

    static func makeOptimizers(_ model: Sequential) -> [any StatefulOptimizer] {
        [Adam(model.parameters, learningRate: 0.01, weightDecay: 0.001),
         AdamW(model.parameters, learningRate: 0.01),
         SGD(model.parameters, learningRate: 0.05, momentum: 0.9, nesterov: true),
         RMSProp(model.parameters, learningRate: 0.01, momentum: 0.5, centered: true)]
    }

    @Test("A round trip restores parameters, buffers, optimizer state and progress exactly, for every optimizer")
    func roundTrip() throws {
        for kind in 0..<4 {
            let model = Self.makeModel(seed: 1)
            let optimizer = Self.makeOptimizers(model)[kind]
            Self.trainSteps(model, optimizer, steps: 5, seed: 10)
            let path = Self.temporaryPath("roundtrip")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let saved = Self.progress(epochs: 2, learningRate: optimizer.learningRate)
            try CheckpointFile.save(to: path, model: model, optimizer: optimizer, progress: saved)

            let fresh = Self.makeModel(seed: 99)
            let freshOptimizer = Self.makeOptimizers(fresh)[kind]
            let loaded = try CheckpointFile.load(from: path, into: fresh, optimizer: freshOptimizer)
            #expect(loaded == saved)
            let (a, b) = (model.stateDict(), fresh.stateDict())
            #expect(Set(a.keys) == Set(b.keys))
            #expect(a.keys.contains("1.running_mean"))
            for (name, tensor) in a { #expect(b[name]!.scalars == tensor.scalars, "\(name)") }
            let (stateA, stateB) = (optimizer.stateTensors(), freshOptimizer.stateTensors())
            #expect(!stateA.isEmpty)
            #expect(Set(stateA.keys) == Set(stateB.keys))
            for (name, tensor) in stateA { #expect(stateB[name]!.scalars == tensor.scalars, "\(name)") }

            // The next steps are then the same too.
            Self.trainSteps(model, optimizer, steps: 3, seed: 50)
            Self.trainSteps(fresh, freshOptimizer, steps: 3, seed: 50)
            for (name, tensor) in model.stateDict() { #expect(fresh.stateDict()[name]!.scalars == tensor.scalars, "\(name)") }
        }
    }

    @Test("Adam's state has PyTorch's names and step counts")
    func adamStateNames() {
        let model = Self.makeModel(seed: 2)
        let adam = Adam(model.parameters)
        #expect(adam.stateTensors().isEmpty)
        Self.trainSteps(model, adam, steps: 4, seed: 1)
        let state = adam.stateTensors()
        #expect(state["0.exp_avg"]?.shape == [8, 4])
        #expect(state["0.exp_avg_sq"]?.shape == [8, 4])
        #expect(state["0.step"]?.scalars == [4])
        #expect(state.count == 3 * model.parameters.count)
    }

    @Test("Bad optimizer state is refused with the entry named, and nothing changes")
    func badOptimizerState() throws {
        let model = Self.makeModel(seed: 3)
        let adam = Adam(model.parameters)
        Self.trainSteps(model, adam, steps: 2, seed: 1)
        let good = adam.stateTensors()
        var missing = good
        missing["2.exp_avg_sq"] = nil
        #expect(throws: StateDictError.missingKey(source: "s", key: "2.exp_avg_sq", expected: [8])) {
            try adam.loadState(missing, source: "s")
        }
        var wrong = good
        wrong["0.exp_avg"] = Tensor.zeros([4, 8])
        #expect(throws: StateDictError.shapeMismatch(source: "s", key: "0.exp_avg", expected: [8, 4], found: [4, 8])) {
            try adam.loadState(wrong, source: "s")
        }
        var extra = good
        extra["99.exp_avg"] = Tensor.zeros([1])
        #expect(throws: StateDictError.self) { try adam.loadState(extra, source: "s") }
        var badStep = good
        badStep["1.step"] = Tensor([2.5])
        #expect(throws: OptimizerStateError.badStepCount(source: "s", key: "1.step", value: 2.5)) {
            try adam.loadState(badStep, source: "s")
        }
        let after = adam.stateTensors()
        for (name, tensor) in good { #expect(after[name]!.scalars == tensor.scalars) }
        let plain = SGD(model.parameters, learningRate: 0.1)
        #expect(throws: StateDictError.self) { try plain.loadState(["0.momentum_buffer": Tensor.zeros([8, 4])], source: "s") }
    }

    /// Writes a good checkpoint and returns its path.
    static func writeCheckpoint() throws -> (path: String, model: Sequential, optimizer: Adam) {
        let model = Self.makeModel(seed: 4)
        let adam = Adam(model.parameters, learningRate: 0.01)
        Self.trainSteps(model, adam, steps: 3, seed: 2)
        let path = Self.temporaryPath("corrupt")
        try CheckpointFile.save(to: path, model: model, optimizer: adam, progress: Self.progress(epochs: 1, learningRate: 0.01))
        return (path, model, adam)
    }

    /// Loads `path` into a fresh model and Adam, expects a CheckpointError, checks nothing changed.
    static func expectRefused(_ path: String, hidden: Int = 8,
                              _ check: (CheckpointError) -> Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        let model = Self.makeModel(seed: 77, hidden: hidden)
        let adam = Adam(model.parameters, learningRate: 0.5)
        let before = model.stateDict()
        do {
            _ = try CheckpointFile.load(from: path, into: model, optimizer: adam)
            Issue.record("loading \(path) should have failed", sourceLocation: sourceLocation)
        } catch let error as CheckpointError {
            #expect(check(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains(path), "the message should name the file: \(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected a CheckpointError, got \(error)", sourceLocation: sourceLocation)
        }
        for (name, tensor) in before { #expect(model.stateDict()[name]!.scalars == tensor.scalars, sourceLocation: sourceLocation) }
        #expect(adam.stateTensors().isEmpty && adam.learningRate == 0.5, sourceLocation: sourceLocation)
    }

    @Test("A truncated file, a garbage header or a missing file give a clear typed error")
    func unreadableFiles() throws {
        let (path, _, _) = try Self.writeCheckpoint()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))

        let truncated = Self.temporaryPath("truncated")
        defer { try? FileManager.default.removeItem(atPath: truncated) }
        try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: truncated))
        Self.expectRefused(truncated) { if case .unreadable(let e) = $0 { e.kind == .truncated } else { false } }

        let garbage = Self.temporaryPath("garbage")
        defer { try? FileManager.default.removeItem(atPath: garbage) }
        var scrambled = bytes
        for i in 8..<40 { scrambled[i] = 0x7B }              // '{' where the JSON header should be
        try scrambled.write(to: URL(fileURLWithPath: garbage))
        Self.expectRefused(garbage) { if case .unreadable(let e) = $0 { e.kind == .badHeader } else { false } }

        let noise = Self.temporaryPath("noise")
        defer { try? FileManager.default.removeItem(atPath: noise) }
        try Data("this is not a checkpoint at all".utf8).write(to: URL(fileURLWithPath: noise))
        Self.expectRefused(noise) { if case .unreadable = $0 { true } else { false } }

        let absent = Self.temporaryPath("absent")
        Self.expectRefused(absent) { if case .unreadable(let e) = $0 { e.kind == .fileNotFound } else { false } }
    }

    @Test("An empty file, a folder, an unreadable path, another format version, negative or huge counts are refused; NaN weights load")
    func malformedCheckpoints() throws {
        let (path, _, _) = try Self.writeCheckpoint()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try Safetensors.read(contentsOf: path)
        func unreadable(_ kind: DataError.Kind) -> (CheckpointError) -> Bool {
            { if case .unreadable(let e) = $0 { e.kind == kind } else { false } }
        }
        func variant(_ name: String, _ change: (inout [String: Tensor], inout [String: String]) -> Void) throws -> String {
            var (tensors, metadata) = (file.tensors, file.metadata)
            change(&tensors, &metadata)
            let variantPath = Self.temporaryPath(name)
            try Safetensors.write(tensors, metadata: metadata, to: variantPath)
            return variantPath
        }

        let empty = Self.temporaryPath("empty")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        Self.expectRefused(empty, unreadable(.emptyFile))
        Self.expectRefused(FileManager.default.temporaryDirectory.path, unreadable(.fileNotFound))   // a folder
        Self.expectRefused(path + "/child", unreadable(.fileNotFound))           // ENOTDIR: refused even for root
        if FileManager.default.isReadableFile(atPath: "/proc/self/mem") {
            Self.expectRefused("/proc/self/mem", unreadable(.ioFailure))         // exists, read fails (EIO)
        }

        // A header length of 2^40 in a small file.
        let claim = Self.temporaryPath("claim")
        defer { try? FileManager.default.removeItem(atPath: claim) }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { Array($0) })
        try bytes.write(to: URL(fileURLWithPath: claim))
        Self.expectRefused(claim, unreadable(.truncated))

        let version2 = try variant("version") { $1["format"] = "mllab-checkpoint-2" }
        defer { try? FileManager.default.removeItem(atPath: version2) }
        Self.expectRefused(version2) { if case .notACheckpoint(_, let reason) = $0 { reason.contains("mllab-checkpoint-2") } else { false } }

        let progressJSON = file.metadata["progress"]!
        #expect(progressJSON.contains("\"epochsCompleted\":1,"))
        let negative = try variant("negative") { $1["progress"] = progressJSON.replacingOccurrences(of: "\"epochsCompleted\":1", with: "\"epochsCompleted\":-1") }
        defer { try? FileManager.default.removeItem(atPath: negative) }
        Self.expectRefused(negative) { $0 == .badProgress(path: negative, reason: "negative epoch or step count") }
        let huge = try variant("huge") { $1["progress"] = progressJSON.replacingOccurrences(of: "\"epochsCompleted\":1", with: "\"epochsCompleted\":1e30") }
        defer { try? FileManager.default.removeItem(atPath: huge) }
        Self.expectRefused(huge) { if case .badProgress = $0 { true } else { false } }
        // Int.max steps decode, but the next optimizer step would overflow the count.
        #expect(progressJSON.contains("\"optimizerSteps\":17"))
        let maxSteps = try variant("max") { $1["progress"] = progressJSON.replacingOccurrences(of: "\"optimizerSteps\":17", with: "\"optimizerSteps\":\(Int.max)") }
        defer { try? FileManager.default.removeItem(atPath: maxSteps) }
        Self.expectRefused(maxSteps) { if case .badProgress(_, let reason) = $0 { reason.contains("above 2^53") } else { false } }

        // NaN is data: it loads, and NumericGuard stops the training step that meets it.
        let nan = try variant("nan") { tensors, _ in tensors["model.0.weight"] = Tensor(shape: [8, 4], repeating: .nan) }
        defer { try? FileManager.default.removeItem(atPath: nan) }
        let model = Self.makeModel(seed: 1)
        _ = try CheckpointFile.load(from: nan, into: model, optimizer: Adam(model.parameters))
        #expect(model.stateDict()["0.weight"]!.scalars.allSatisfy { $0.isNaN })
    }

    @Test("A missing tensor, a wrong shape, missing optimizer state or a plain parameter file are refused")
    func mismatchedFiles() throws {
        let (path, model, _) = try Self.writeCheckpoint()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try Safetensors.read(contentsOf: path)

        let missingTensor = Self.temporaryPath("missing")
        defer { try? FileManager.default.removeItem(atPath: missingTensor) }
        var tensors = file.tensors
        tensors["model.0.weight"] = nil
        try Safetensors.write(tensors, metadata: file.metadata, to: missingTensor)
        Self.expectRefused(missingTensor) {
            $0 == .modelMismatch(path: missingTensor, .missingKey(source: missingTensor, key: "0.weight", expected: [8, 4]))
        }

        // A model with 6 hidden units where the checkpoint has 8.
        Self.expectRefused(path, hidden: 6) {
            if case .modelMismatch(_, .shapeMismatch(_, let key, [6, 4], [8, 4])) = $0 { key == "0.weight" } else { false }
        }

        let missingState = Self.temporaryPath("state")
        defer { try? FileManager.default.removeItem(atPath: missingState) }
        tensors = file.tensors
        tensors["optimizer.state.1.exp_avg_sq"] = nil
        try Safetensors.write(tensors, metadata: file.metadata, to: missingState)
        Self.expectRefused(missingState) {
            if case .optimizerMismatch(_, let reason) = $0 { reason.contains("1.exp_avg_sq") } else { false }
        }

        let badProgress = Self.temporaryPath("progress")
        defer { try? FileManager.default.removeItem(atPath: badProgress) }
        var metadata = file.metadata
        metadata["progress"] = "{\"epochsCompleted\": \"two\"}"
        try Safetensors.write(file.tensors, metadata: metadata, to: badProgress)
        Self.expectRefused(badProgress) { if case .badProgress = $0 { true } else { false } }

        let parametersOnly = Self.temporaryPath("parameters")
        defer { try? FileManager.default.removeItem(atPath: parametersOnly) }
        try model.saveParameters(to: parametersOnly)
        Self.expectRefused(parametersOnly) { if case .notACheckpoint = $0 { true } else { false } }

        // Adam's state offered to SGD.
        let sgd = SGD(Self.makeModel(seed: 5).parameters, learningRate: 0.1, momentum: 0.9)
        #expect(throws: CheckpointError.optimizerKind(path: path, expected: "SGD", found: "Adam")) {
            try CheckpointFile.load(from: path, into: Self.makeModel(seed: 5), optimizer: sgd)
        }
    }
}
