import Foundation
import Autograd
import Testing
@testable import DeepLearning

@Suite("Trainer", .serialized)
struct TrainerTests {
    /// 512 synthetic digits for training, 128 for validation.
    static let digits = (train: SyntheticDigits.split(count: 512, seed: 1), test: SyntheticDigits.split(count: 128, seed: 2))

    /// A 784-32-10 MLP whose initial weights depend on `seed`.
    static func mlp(seed: UInt64) -> Sequential {
        Sequential(Flatten(), Linear(784, 32, seed: seed), ReLU(), Linear(32, 10, seed: seed + 1))
    }

    static func loaders(augmentation: ImageAugmentation? = nil) -> (DataLoader, DataLoader) {
        (DataLoader(inputs: digits.train.images, targets: digits.train.labels, batchSize: 64, seed: 11,
                    augmentation: augmentation),
         DataLoader(inputs: digits.test.images, targets: digits.test.labels, batchSize: 100, shuffle: false))
    }

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("mllab-trainer-\(UUID().uuidString).safetensors").path
    }

    @Test("Training 2 epochs, saving and resuming for a third equals 3 epochs straight, bit for bit")
    func resumeEqualsStraightRun() throws {
        let (train, validation) = Self.loaders(augmentation: ImageAugmentation(maxShift: 2, maxRotation: 10))
        let schedule = CosineAnnealing(baseLearningRate: 3e-3, totalSteps: 24, minimumLearningRate: 1e-4)

        let straight = Self.mlp(seed: 5)
        let straightHistory = try Trainer(epochs: 3, schedule: schedule, showsProgress: false)
            .fit(straight, optimizer: Adam(straight.parameters, learningRate: 3e-3), train: train, validation: validation)

        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = Self.mlp(seed: 5)
        let firstHistory = try Trainer(epochs: 2, checkpointPath: path, schedule: schedule, showsProgress: false)
            .fit(first, optimizer: Adam(first.parameters, learningRate: 3e-3), train: train, validation: validation)
        #expect(firstHistory.epochs.count == 2)

        // A fresh model (other initial weights) and a fresh optimizer, as after a restart.
        let resumed = Self.mlp(seed: 123)
        let resumedHistory = try Trainer(epochs: 3, checkpointPath: path, resume: true, schedule: schedule, showsProgress: false)
            .fit(resumed, optimizer: Adam(resumed.parameters, learningRate: 3e-3), train: train, validation: validation)

        #expect(resumedHistory.resumedAfterEpoch == 2)
        #expect(resumedHistory.epochs.count == 3)
        var worst: Float = 0
        for (name, tensor) in straight.stateDict() {
            let other = resumed.stateDict()[name]!
            for (a, b) in zip(tensor.scalars, other.scalars) { worst = max(worst, abs(a - b)) }
        }
        #expect(worst == 0, "largest difference \(worst)")
        #expect(resumedHistory.epochs.map(\.trainLoss) == straightHistory.epochs.map(\.trainLoss))
        #expect(resumedHistory.epochs.map(\.validationLoss) == straightHistory.epochs.map(\.validationLoss))
    }

    @Test("With dropout, the saved mask generators make a resumed run equal a straight one, bit for bit")
    func resumeWithDropoutEqualsStraightRun() throws {
        let (train, validation) = Self.loaders()
        func dropoutMLP(seed: UInt64) -> MultilayerPerceptron {
            MultilayerPerceptron(sizes: [784, 48, 24, 10], dropout: 0.3, seed: seed)
        }
        let straight = dropoutMLP(seed: 8)
        _ = try Trainer(epochs: 3, showsProgress: false)
            .fit(straight, optimizer: Adam(straight.parameters, learningRate: 2e-3), train: train, validation: validation)

        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = dropoutMLP(seed: 8)
        _ = try Trainer(epochs: 2, checkpointPath: path, showsProgress: false)
            .fit(first, optimizer: Adam(first.parameters, learningRate: 2e-3), train: train, validation: validation)
        // Other weights and other dropout seeds: only the checkpoint can make it repeat the straight run.
        let resumed = dropoutMLP(seed: 99)
        #expect(resumed.namedGenerators.map(\.0) == ["layers.3", "layers.6"])
        _ = try Trainer(epochs: 3, checkpointPath: path, resume: true, showsProgress: false)
            .fit(resumed, optimizer: Adam(resumed.parameters, learningRate: 2e-3), train: train, validation: validation)
        let straightState = straight.stateDict(), resumedState = resumed.stateDict()
        for (name, tensor) in straightState {
            #expect(tensor.scalars == resumedState[name]!.scalars, "\(name) differs after resuming")
        }
    }

    @Test("A checkpoint whose generators do not fit the model's dropout layers is refused")
    func generatorMismatchIsRefused() throws {
        let (train, validation) = Self.loaders()
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let withoutDropout = MultilayerPerceptron(sizes: [784, 16, 10], seed: 1)
        _ = try Trainer(epochs: 1, checkpointPath: path, showsProgress: false)
            .fit(withoutDropout, optimizer: Adam(withoutDropout.parameters), train: train, validation: validation)
        let withDropout = MultilayerPerceptron(sizes: [784, 16, 10], dropout: 0.5, seed: 1)
        #expect(throws: CheckpointError.generatorMismatch(path: path, reason: "no saved state for the generator of 'layers.3'")) {
            _ = try CheckpointFile.load(from: path, into: withDropout, optimizer: Adam(withDropout.parameters))
        }
    }

    @Test("Training on synthetic digits brings the loss below 0.35 within 64 steps")
    func lossFalls() throws {
        let (train, validation) = Self.loaders()
        let model = Self.mlp(seed: 1)
        let history = try Trainer(epochs: 8, showsProgress: false)
            .fit(model, optimizer: Adam(model.parameters, learningRate: 3e-3), train: train, validation: validation)
        // 8 epochs × 8 batches = 64 steps; measured: loss 2.15 after epoch 1, 0.23 after epoch 8,
        // validation accuracy 0.97.
        #expect(history.epochs.count == 8)
        let last = try #require(history.last)
        #expect(history.epochs[0].trainLoss > last.trainLoss)
        #expect(last.trainLoss < 0.35, "final training loss \(last.trainLoss)")
        #expect(try #require(last.validationAccuracy) > 0.9, "validation accuracy \(last.validationAccuracy ?? 0)")
        #expect(last.samplesPerSecond > 0)
        #expect(!model.isTraining)
    }

    @Test("Early stopping stops after `patience` epochs without improvement")
    func earlyStopping() throws {
        var rule = EarlyStopping(patience: 2)
        #expect(rule.record(1.0) && !rule.shouldStop)
        #expect(!rule.record(1.0) && !rule.shouldStop)           // equal is no improvement
        #expect(rule.record(0.5) && rule.epochsWithoutImprovement == 0)
        #expect(!rule.record(0.7) && !rule.shouldStop)
        #expect(!rule.record(0.6) && rule.shouldStop)
        #expect(rule.best == 0.5)

        // With a learning rate of 0 the validation loss never improves after the first epoch.
        let (train, validation) = Self.loaders()
        let model = Self.mlp(seed: 2)
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let history = try Trainer(epochs: 10, checkpointPath: path, earlyStoppingPatience: 2, showsProgress: false)
            .fit(model, optimizer: SGD(model.parameters, learningRate: 0), train: train, validation: validation)
        #expect(history.stoppedEarly)
        #expect(history.epochs.count == 3)
        // Resuming a run that stopped early trains nothing more.
        let resumed = try Trainer(epochs: 10, checkpointPath: path, resume: true, earlyStoppingPatience: 2, showsProgress: false)
            .fit(model, optimizer: SGD(model.parameters, learningRate: 0), train: train, validation: validation)
        #expect(resumed.stoppedEarly && resumed.epochs == history.epochs)
    }

    @Test("A NaN in the data stops training with an error naming the epoch, the step and the input that held it")
    func nonFiniteLoss() throws {
        var images = Self.digits.train.images
        images.withUnsafeMutableBufferPointer { $0[70 * 784 + 5] = .nan }   // sample 70 is in batch 2 (from 0)
        let train = DataLoader(inputs: images, targets: Self.digits.train.labels, batchSize: 32, shuffle: false)
        let model = Self.mlp(seed: 3)
        do {
            try Trainer(epochs: 2, showsProgress: false).fit(model, optimizer: Adam(model.parameters), train: train)
            Issue.record("training on a NaN should fail")
        } catch let TrainingError.nonFinite(epoch, failure) {
            #expect(epoch == 1 && failure.step == 3)
            guard case .loss(let value) = failure.symptom else { Issue.record("expected the loss: \(failure)"); return }
            #expect(value.isNaN)
            // The replay finds the input batch [32, 784] already holding NaN at row 70 − 64 = 6, column 5.
            #expect(failure.firstAnomaly?.place == .leaf)
            #expect(failure.firstAnomaly?.tensor == "input [32, 28, 28]")
            #expect(failure.firstAnomaly?.index == 6 * 784 + 5)
        }
    }

    @Test("The classification objective reads [B, T, V] logits as B·T predictions")
    func sequenceClassification() {
        // Two sequences of two positions over a vocabulary of 3.
        let logits = Tensor(shape: [2, 2, 3], scalars: [5, 0, 0,  0, 5, 0,  0, 0, 5,  5, 0, 0])
        let targets = Tensor(shape: [2, 2], scalars: [0, 1, 1, 0])
        let counts = TrainingObjective.classification.correctPredictions!(logits, targets)
        #expect(counts.correct == 3 && counts.total == 4)
        let loss = TrainingObjective.classification.loss(Variable(logits), targets).value.item
        let flat = Variable(logits.reshaped([4, 3])).crossEntropy([0, 1, 1, 0]).value.item
        #expect(loss == flat)
    }
}
