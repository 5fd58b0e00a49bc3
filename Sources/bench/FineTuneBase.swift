// The pretrained model W13 and W14 start from: W12's recipe (CharCorpusRun,
// GPTTrainer, the 2 000-step schedule) stopped at 1 200 steps (60 with --quick),
// as the PyTorch peer (docs/BENCHMARKS.md) trains its base when it finds no saved one.
// Trained once per bench process and shared by both workloads.
import Foundation
import GPT
import LabKit
import NN
import Tensor

struct FineTuneBase {
    let run: CharCorpusRun
    let model: GPTModel
    let steps: Int

    nonisolated(unsafe) private static var trained: FineTuneBase?

    /// The shared base, trained on first use; nil when tiny shakespeare is absent.
    static func shared(workload: String, threads: Int, quick: Bool, seed: UInt64 = 0) throws -> FineTuneBase? {
        if let trained { return trained }
        guard let run = try CharCorpusRun(workload: workload, threads: threads, quick: quick, long: false) else { return nil }
        Log.progress("  base: W12's recipe, \(run.total) steps of the 2 000-step schedule")
        let (model, _) = try W12MiniGPT.train(run, threads: threads, steps: run.total, decaySteps: 2_000, seed: seed)
        trained = FineTuneBase(run: run, model: model, steps: run.total)
        return trained
    }

    /// Steps per timed repetition: 200 (20 with --quick).
    var stepsPerRepetition: Int { run.quick ? 20 : 200 }
}
