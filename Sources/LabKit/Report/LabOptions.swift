// LabOptions: the options every lab shares (DESIGN.md, "Labs: one shape for all").
//
//     --seed N      every random choice starts from this seed (default 0)
//     --out DIR     where report.json and the PNG plots go (default lab-output/<lab>/)
//     --quick       a small setting that finishes in seconds (used by CI)
//     --threads N   cores for our kernels and OpenBLAS (default: all)
//
// A lab includes them with `@OptionGroup var common: LabOptions`.
import ArgumentParser
import Foundation

/// The options shared by every `lab-*` executable.
public struct LabOptions: ParsableArguments {
    @Option(help: "Seed for every random choice; the same seed gives the same run.")
    public var seed: UInt64 = 0

    @Option(help: "Folder for report.json and the plots (default: lab-output/<lab>/).")
    public var out: String?

    @Flag(help: "Run a small setting that finishes in seconds (used by CI).")
    public var quick = false

    @Option(help: "Threads for MLLab's kernels and OpenBLAS (default: every core).")
    public var threads: Int?

    public init() {}

    public func validate() throws {
        if let threads, threads < 1 {
            throw ValidationError("--threads must be at least 1, got \(threads)")
        }
    }

    /// Applies `--threads` to MLLab's kernels and OpenBLAS.
    public func applyThreads() {
        if let threads { ComputeThreads.set(threads) }
    }

    /// The output folder for `lab` (created if missing).
    public func outputDirectory(lab: String) throws -> URL {
        let url = URL(fileURLWithPath: out ?? "lab-output/\(lab)", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("cannot create the output folder \(url.path): \(error.localizedDescription)")
        }
        return url
    }
}
