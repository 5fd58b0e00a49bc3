// bench: MLLab's side of the workloads in docs/BENCHMARKS.md.
//
//     bench [--only W1,W2] [--threads N] [--quick] [--reps R] [--long]
//
// Prints one JSON line per workload, size and implementation on standard
// output and nothing else there; progress goes to standard error. `--quick`
// shrinks every size so that the whole suite runs in about a minute (CI).
import ArgumentParser
import Foundation
import LabKit

@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run MLLab's benchmark workloads and print one JSON line per result.")

    /// Every workload this executable runs, in order.
    static let known = ["W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9", "W10", "W11", "W12", "W13", "W14", "W15", "W16"]

    @Option(help: "Comma-separated workload ids to run (default: all of \(known.joined(separator: ","))).")
    var only: String = ""

    @Option(help: "Threads for MLLab's kernels and OpenBLAS (default: every core).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Shrink every size so the suite finishes in about a minute.")
    var quick = false

    @Flag(help: "Long quality runs: W11 and W12 train to 2 000 steps (as bench_deep.py --long) instead of 1 200.")
    var long = false

    @Option(help: "Timed repetitions per measurement (median reported, after one warm-up).")
    var reps: Int = 5

    @Option(help: "Folder where W4 writes its training and test rows as .npy files, so that a peer can be fitted on the very same data (Tests/Fixtures/w4_same_data.py).")
    var saveData: String?

    var selected: [String] {
        let ids = only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }
        return ids.isEmpty ? Bench.known : ids
    }

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        guard reps >= 1 else { throw ValidationError("--reps must be at least 1, got \(reps)") }
        for id in selected where !Bench.known.contains(id) {
            throw ValidationError("unknown workload '\(id)'; this bench runs \(Bench.known.joined(separator: ", "))")
        }
    }

    func run() throws {
        ComputeThreads.set(threads)
        let runners: [String: () throws -> [BenchRecord]] = [
            "W1": { W1Matmul.run(sizes: quick ? [128, 256] : [256, 512, 1024, 2048], threads: threads, repetitions: reps) },
            "W2": { W2RowKernels.run(n: quick ? 1024 : 4096, threads: threads, repetitions: reps) },
            "W3": { try W3LinearRegression.run(threads: threads, quick: quick, repetitions: reps) },
            "W4": { try W4LogisticRegression.run(threads: threads, quick: quick, repetitions: reps, saveDataTo: saveData) },
            "W5": { try W5GradientBoosting.run(threads: threads, quick: quick, repetitions: reps) },
            "W6": { try W6RandomForest.run(threads: threads, quick: quick, repetitions: reps) },
            "W7": { try W7KMeans.run(threads: threads, quick: quick, repetitions: reps) },
            "W8": { try W8PCA.run(threads: threads, quick: quick, repetitions: reps) },
            "W9": { try W9MLP.workload.run(threads: threads, quick: quick) },
            "W10": { try W10CNN.workload.run(threads: threads, quick: quick) },
            "W11": { try W11CharLSTM.run(threads: threads, quick: quick, long: long) },
            "W12": { try W12MiniGPT.run(threads: threads, quick: quick, long: long) },
            "W13": { try W13LoRA.run(threads: threads, quick: quick, repetitions: quick ? 1 : reps) },
            "W14": { try W14DPO.run(threads: threads, quick: quick, repetitions: quick ? 1 : reps) },
            "W15": { try W15PPO.run(threads: threads, quick: quick, seeds: quick ? 1 : reps) },
            "W16": { W16QLearning.run(quick: quick, repetitions: quick ? 1 : reps) },
        ]
        for id in selected {
            for record in try runners[id]?() ?? [] { print(record.jsonLine) }
        }
    }
}
