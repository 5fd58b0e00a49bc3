// lab-deep: phase 4's networks trained for real, on MNIST, Fashion-MNIST and
// tiny Shakespeare (or built-in synthetic digits when MNIST is absent).
//
//   swift run -c release lab-deep [mlp|cnn|resnet|lstm] [options]
//
//   mlp     784-512-256-10 with ReLU and dropout 0.2, Adam, cosine schedule
//   cnn     LeNet-5 (two 5×5 convolutions, max pooling, three linear layers)
//   resnet  a small ResNet: a convolution stem and residual blocks with BatchNorm
//   lstm    a character-level LSTM (or --cell gru) language model on tiny
//           Shakespeare, with a sample of generated text
// Image modes take --dataset mnist|fashion-mnist and write training curves,
// the confusion matrix, misclassified test images and the first layer's
// weights; every mode writes report.json (test_accuracy, or val_loss for the
// language model). --checkpoint FILE saves after every epoch (safetensors
// with the optimizer state; lstm: every --checkpoint-every steps) and --resume
// continues from it.
import ArgumentParser
import DeepLearning
import Foundation
import LabKit

@main
struct LabDeep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab-deep",
        abstract: "Phase 4: an MLP, LeNet-5, a small ResNet and a character-level LSTM, trained on real data.")

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case mlp, cnn, resnet, lstm
    }

    enum Dataset: String, ExpressibleByArgument, CaseIterable {
        case mnist, fashionMNIST = "fashion-mnist"
    }

    @Argument(help: "Which network: \(Mode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var mode: Mode = .mlp

    @OptionGroup var common: LabOptions

    @Option(help: "Image data set for mlp, cnn and resnet: mnist or fashion-mnist.")
    var dataset: Dataset = .mnist

    @Option(help: "Training epochs (default: mlp 20, cnn 15, resnet 8).")
    var epochs: Int?

    @Option(help: "Samples per batch (default: 128; lstm 32 sequences).")
    var batchSize: Int?

    @Option(help: "Learning rate (default: Adam 1e-3 for images, 2e-3 for the LSTM).")
    var learningRate: Float?

    @Flag(help: "Augment training images with random shifts (±2 pixels) and rotations (±10°).")
    var augment = false

    @Option(help: "Stop when the test loss has not improved for this many epochs.")
    var earlyStopping: Int?

    @Option(help: "Checkpoint file written after every epoch, for lstm every --checkpoint-every steps (safetensors + optimizer state).")
    var checkpoint: String?

    @Option(help: "lstm: optimizer steps between checkpoints (default 100; the last step always saves).")
    var checkpointEvery: Int?

    @Flag(help: "Continue from --checkpoint when it exists.")
    var resume = false

    @Option(help: "lstm: optimizer steps (default 2000).")
    var steps: Int?

    @Option(help: "lstm: the recurrent cell, lstm or gru.")
    var cell: CharLanguageModel.Cell = .lstm

    func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
            throw ValidationError("--learning-rate must be a positive number, got \(learningRate)")
        }
        if let earlyStopping, earlyStopping < 1 { throw ValidationError("--early-stopping must be at least 1, got \(earlyStopping)") }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1, got \(steps)") }
        if resume && checkpoint == nil { throw ValidationError("--resume needs --checkpoint FILE") }
        if let checkpointEvery {
            if checkpointEvery < 1 { throw ValidationError("--checkpoint-every must be at least 1, got \(checkpointEvery)") }
            if checkpoint == nil { throw ValidationError("--checkpoint-every needs --checkpoint FILE") }
            if mode != .lstm { throw ValidationError("--checkpoint-every is for lstm; the image modes save after every epoch") }
        }
    }

    func run() throws {
        common.applyThreads()
        let start = Stopwatch.now()
        let out = try common.outputDirectory(lab: "deep")
        let settings = TourSettings(seed: common.seed, quick: common.quick, out: out)
        var report = JSONReport(lab: "deep", mode: mode.rawValue, seed: common.seed)
        var files: [String] = []
        switch mode {
        case .mlp, .cnn, .resnet:
            try ImageClassifierRun(lab: self, settings: settings).run(report: &report, files: &files)
        case .lstm:
            try LanguageModelRun(lab: self, settings: settings).run(report: &report, files: &files)
        }
        try report.finish(in: out, startedAt: start, files: files)
    }
}

extension CharLanguageModel.Cell: ExpressibleByArgument {}
