// Crash-safe checkpoints, proven: `lab-deep lstm` saves a checkpoint every 2
// steps of 2 windows (tens of saves a second, so that a good part of the time
// goes to saving) and is killed with SIGKILL 50 times at random
// moments drawn from a seeded generator, each time restarted with --resume.
// After every kill the checkpoint on disk loads with the library's loader and
// is consistent (never older than the one before, Adam's step count equal to
// the run's step, a loss for every step), at most one temporary file is left
// beside it (the one being written when the kill came), and the next run
// resumes from exactly that step. Every tenth time a resumed run is let finish.
// A leftover temporary file shows that the kill landed during a save.
import Foundation
import Testing
import DeepLearning
@testable import lab_deep

/// A lab run in a child process, its standard output collected in a file.
private struct LabProcess {
    let process = Process()
    let output: URL
    let handle: FileHandle

    init(_ executable: URL, _ arguments: [String], output: URL) throws {
        self.output = output
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        handle = try FileHandle(forWritingTo: output)
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Waits for the end of the run; true if it exited with status 0.
    func wait() -> Bool {
        process.waitUntilExit()
        try? handle.close()
        return process.terminationReason == .exit && process.terminationStatus == 0
    }

    var printed: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// Waits until the run has printed `text` (or has ended, or 60 s have passed); true if it did.
    func waitFor(_ text: String) -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.isRunning {
            if printed.contains(text) { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return printed.contains(text)
    }

    /// Sends SIGKILL and waits for the end; true if the signal is what ended the run.
    func kill() -> Bool {
        _ = Foundation.kill(process.processIdentifier, SIGKILL)
        _ = wait()
        return process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
    }
}

@Suite("Checkpoints survive SIGKILL", .serialized)
struct CheckpointKillTests {
    /// A built executable of this package: beside the running test binary (`swift test`), else in .build/release.
    static func executable(_ name: String) -> URL? {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        var candidates: [URL] = []
        for _ in 0..<4 {   // Linux: .build/release/X.xctest; macOS: …/X.xctest/Contents/MacOS/X
            candidates.append(folder.appendingPathComponent(name))
            folder.deleteLastPathComponent()
        }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(package.appendingPathComponent(".build/release/\(name)"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// DataFile.writeAtomically's temporary files for `checkpoint`: ".<name>.<pid>-<random>.tmp" beside it.
    static func temporaries(of checkpoint: URL) throws -> [URL] {
        let folder = checkpoint.deletingLastPathComponent()
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix(".\(checkpoint.lastPathComponent).") && $0.hasSuffix(".tmp") }
            .map { folder.appendingPathComponent($0) }
    }

    /// The checkpoint loaded with the library's loader into `lab-deep lstm --quick`'s model and optimizer.
    static func load(_ checkpoint: URL) throws -> (progress: LanguageModelProgress, adamStep: Float) {
        let vocabulary = try #require(try Safetensors.read(contentsOf: checkpoint.path).tensors["model.emb.weight"]).shape[0]
        let model = CharLanguageModel(vocabularySize: vocabulary, cell: .lstm, embeddingSize: 64, hiddenSize: 64)
        let trainer = LanguageModelTrainer(model: model, learningRate: 2e-3)
        let progress = try trainer.load(from: checkpoint.path)
        return (progress, try #require(trainer.optimizer.stateTensors()["0.step"]).item)
    }

    @Test("SIGKILLed 50 times at random moments while saving every 2 steps: the last complete checkpoint always loads and training resumes")
    func killedRunsResume() throws {
        let lab = try #require(Self.executable("lab-deep"), "lab-deep is not built beside the test binary")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mllab-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let checkpoint = folder.appendingPathComponent("lstm.safetensors"), out = folder.appendingPathComponent("out")
        let log = folder.appendingPathComponent("stdout.txt")
        func arguments(steps: Int) -> [String] {
            ["lstm", "--quick", "--batch-size", "2", "--steps", "\(steps)", "--checkpoint", checkpoint.path, "--checkpoint-every", "2",
             "--resume", "--out", out.path, "--seed", "7"]
        }

        var random = RandomGenerator(seed: 12)
        var step = 0                                         // the step of the last checkpoint seen
        var duringSave = 0, advanced = 0, finished = 0
        let start = Date()
        for kill in 1...50 {
            let run = try LabProcess(lab, arguments(steps: 1_000_000), output: log)
            // Resumed from the checkpoint the last kill left, and training has begun.
            #expect(run.waitFor("== character-level"), "kill \(kill): the run did not start training:\n\(run.printed)")
            if step > 0 {
                #expect(run.printed.contains("resuming from \(checkpoint.path) after step \(step)\n"),
                        "kill \(kill): the run did not resume from step \(step):\n\(run.printed)")
            }
            Thread.sleep(forTimeInterval: Double.random(in: 0..<0.6, using: &random))
            #expect(run.kill(), "kill \(kill): the run ended before the kill:\n\(run.printed)")

            let leftovers = try Self.temporaries(of: checkpoint)
            #expect(leftovers.count <= 1, "kill \(kill): \(leftovers.map(\.lastPathComponent))")
            if !leftovers.isEmpty { duringSave += 1 }
            for file in leftovers { try FileManager.default.removeItem(at: file) }   // a killed writer's; nobody else's

            guard FileManager.default.fileExists(atPath: checkpoint.path) else {
                #expect(step == 0, "kill \(kill): the checkpoint disappeared")
                continue
            }
            let (progress, adamStep) = try Self.load(checkpoint)
            #expect(progress.step >= step, "kill \(kill): the checkpoint went back from step \(step) to \(progress.step)")
            #expect(progress.step % 2 == 0 && progress.step > 0, "kill \(kill): step \(progress.step) is not a save point")
            #expect(adamStep == Float(progress.step), "kill \(kill): Adam is at step \(adamStep), the run at \(progress.step)")
            #expect(progress.stepLosses.allSatisfy { $0.isFinite }, "kill \(kill): a non-finite loss")
            if progress.step > step { advanced += 1 }
            step = progress.step

            if kill % 10 == 0 {   // let a resumed run finish: 4 more steps from the checkpoint
                let final = try LabProcess(lab, arguments(steps: step + 4), output: log)
                #expect(final.wait(), "kill \(kill): the resumed run failed:\n\(final.printed)")
                let report = try #require(try JSONSerialization.jsonObject(
                    with: Data(contentsOf: out.appendingPathComponent("report.json"))) as? [String: Any])
                #expect(report["resumed_after_step"] as? Int == step)
                #expect((report["metrics"] as? [String: Any])?["steps"] as? Int == step + 4)
                #expect(try Self.load(checkpoint).progress.step == step + 4)
                step += 4
                finished += 1
            }
        }
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "CheckpointKillTests: 50 kills in %.1f s; %d during a save (a temporary file left), %d found a newer checkpoint, %d resumed runs finished, last step %d",
                     seconds, duringSave, advanced, finished, step))
        // The kills must really hit saves (17 of the 50 do on the 2-core CI machine).
        #expect(duringSave >= 5, "only \(duringSave) of 50 kills landed during a save")
        #expect(advanced >= 25, "only \(advanced) of 50 kills found a newer checkpoint")
    }
}
