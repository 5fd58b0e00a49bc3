// lab-deep end to end in its quick setting: an image classifier trains and
// draws its pictures, the language model trains and writes text, a checkpoint
// resumes, and bad options stop with a clear error.
import ArgumentParser
import Foundation
import Testing
@testable import lab_deep
import LabKit

@Suite struct LabDeepTests {
    func runLab(_ arguments: [String]) throws -> [String: Any] {
        var lab = try LabDeep.parseAsRoot(arguments)
        try lab.run()
        let out = try #require(arguments.firstIndex(of: "--out").map { arguments[$0 + 1] })
        let data = try Data(contentsOf: URL(fileURLWithPath: out).appendingPathComponent("report.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func outputFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("lab-deep-test-\(UUID().uuidString)")
    }

    @Test(arguments: [["--bogus"], ["transformer"], ["--epochs", "0"], ["--learning-rate", "-1"], ["--resume"],
                      ["--dataset", "cifar"], ["--cell", "rnn"], ["--steps", "0"], ["lstm", "--checkpoint-every", "2"],
                      ["lstm", "--checkpoint", "c.safetensors", "--checkpoint-every", "0"],
                      ["mlp", "--checkpoint", "c.safetensors", "--checkpoint-every", "2"]])
    func rejectsBadArguments(_ arguments: [String]) throws {
        #expect(throws: (any Error).self) {
            var lab = try LabDeep.parseAsRoot(arguments)
            try lab.run()
        }
    }

    @Test func quickMLPTrainsAndDrawsItsPictures() throws {
        let out = outputFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let report = try runLab(["mlp", "--quick", "--out", out.path])
        let metrics = try #require(report["metrics"] as? [String: Any])
        // Two short epochs on 2 000 images: 94% on synthetic digits, 83% on real MNIST; chance is 10%.
        #expect((metrics["test_accuracy"] as? Double ?? 0) > 0.7)
        #expect((metrics["epochs"] as? Int) == 2)
        for file in ["training_curves.png", "confusion_matrix.png", "first_layer_weights.png"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file) missing")
        }
    }

    @Test func checkpointRestoresTheTrainedNetwork() throws {
        // (Resuming mid-run equals a straight run bit for bit: DeepLearningTests' TrainerTests.)
        let out = outputFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let checkpoint = out.appendingPathComponent("mlp.safetensors").path
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let trained = try runLab(["mlp", "--quick", "--checkpoint", checkpoint, "--out", out.path])
        // Resuming a finished run trains nothing more and scores the restored weights.
        let restored = try runLab(["mlp", "--quick", "--checkpoint", checkpoint, "--resume", "--out", out.path])
        #expect(restored["resumed_after_epoch"] as? Int == 2)
        let a = try #require((trained["metrics"] as? [String: Any])?["test_accuracy"] as? Double)
        let b = try #require((restored["metrics"] as? [String: Any])?["test_accuracy"] as? Double)
        #expect(a == b)
        // A damaged checkpoint stops the run with an error instead of training from scratch.
        try Data("not a checkpoint".utf8).write(to: URL(fileURLWithPath: checkpoint))
        #expect(throws: (any Error).self) { _ = try runLab(["mlp", "--quick", "--checkpoint", checkpoint, "--resume", "--out", out.path]) }
    }

    @Test func quickLanguageModelWritesText() throws {
        let out = outputFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let report = try runLab(["lstm", "--quick", "--out", out.path])
        let metrics = try #require(report["metrics"] as? [String: Any])
        // A uniform guess over the characters scores ln(vocabulary) ≥ ln 30 ≈ 3.4 nats.
        #expect((metrics["val_loss"] as? Double ?? 9) < 3.0)
        let sample = try String(contentsOf: out.appendingPathComponent("sample.txt"), encoding: .utf8)
        #expect(sample.count > 50)
    }
}
