// lab-tensors: phase 2, the maths under everything else.
//
//   swift run -c release lab-tensors [all|broadcasting|similarity|shootout] [options]
//
// 1. broadcasting  how shapes combine and how reductions collapse axes, on small
//                  tensors whose every number is printed;
// 2. similarity    cosine-similarity search over a seeded set of embedding
//                  vectors (the roadmap's "easy maths project");
// 3. shootout      the matrix-multiply shoot-out: the naive triple loop, MLLab's
//                  own SIMD kernel and OpenBLAS, for n = 128 … 2048, as a
//                  GFLOP/s chart.
// Ends by writing report.json and gemm_gflops.png into --out.
import ArgumentParser
import Foundation
import LabKit

@main
struct LabTensors: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab-tensors",
        abstract: "Phase 2: broadcasting, reductions, cosine-similarity search and the GEMM shoot-out.")

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case all, broadcasting, similarity, shootout
    }

    @Argument(help: "What to run: \(Mode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var mode: Mode = .all

    @OptionGroup var common: LabOptions

    @Option(help: "Matrix sizes for the shoot-out (default 128,256,512,1024,2048; --quick: 64,128,256).")
    var sizes: String?

    @Option(help: "Largest n timed with the naive triple loop (default 1024, --quick 128; 2048 takes about 45 s more).")
    var naiveMax: Int?

    @Option(help: "Stored vectors in the similarity search (default 20000; --quick 2000).")
    var vectors: Int?

    func validate() throws {
        if let sizes, parsedSizes(sizes) == nil {
            throw ValidationError("--sizes must be a comma-separated list of positive integers, got '\(sizes)'")
        }
        if let naiveMax, naiveMax < 0 { throw ValidationError("--naive-max must be >= 0, got \(naiveMax)") }
        if let vectors, vectors < 10 { throw ValidationError("--vectors must be at least 10, got \(vectors)") }
    }

    func parsedSizes(_ text: String) -> [Int]? {
        let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return values.map { $0! }
    }

    func run() throws {
        common.applyThreads()
        let start = Stopwatch.now()
        let out = try common.outputDirectory(lab: "tensors")
        var metrics: [(String, JSONValue)] = []
        var files: [String] = []

        if mode == .all || mode == .broadcasting {
            metrics += BroadcastingTour.run()
        }
        if mode == .all || mode == .similarity {
            metrics += SimilaritySearch.run(count: vectors ?? (common.quick ? 2_000 : 20_000), seed: common.seed)
        }
        if mode == .all || mode == .shootout {
            let sizes = self.sizes.flatMap(parsedSizes) ?? (common.quick ? [64, 128, 256] : [128, 256, 512, 1024, 2048])
            let (shootoutMetrics, chart) = try Shootout.run(sizes: sizes, naiveMax: naiveMax ?? (common.quick ? 128 : 1024),
                                                            quick: common.quick, out: out)
            metrics += shootoutMetrics
            files.append(chart)
        }

        var report = JSONReport(lab: "tensors", mode: mode.rawValue, seed: common.seed, data: "built-in", metrics: metrics)
        try report.finish(in: out, startedAt: start, files: files)
    }
}
