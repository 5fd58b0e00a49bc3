// lab-trees: phase 3's trees, forests and gradient boosting, on built-in data
// or on any CSV file.
//
//   swift run -c release lab-trees [all|sinesum|boundaries] [options]
//   swift run -c release lab-trees --csv FILE --target COLUMN [--model gbdt|forest|tree]
//                                  [--trees 100] [--learning-rate 0.1] [--max-leaves 31] [--cv K]
//
// Built-in tours:
//   sinesum     the benchmark set of W5/W6 (28 features: eight act through
//               sin(2x), two through their product, eighteen are noise): one
//               tree, a random forest and gradient boosting compared on fresh
//               rows; which features each model found (importance); boosting's
//               training and validation loss per round; a small tree printed as
//               text so its rules can be read.
//   boundaries  two moons: the axis-aligned staircase of one tree, the
//               averaged staircases of a forest and boosting's sum of small
//               trees, side by side.
// CSV mode (TreesCSVRun): split, fit (no scaling: trees only compare a
// feature with thresholds), test metrics, K-fold cross-validation, plots.
// Every run ends by writing report.json and its PNG plots into --out.
import ArgumentParser
import Foundation
import LabKit
import Trees

@main
struct LabTrees: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab-trees",
        abstract: "Phase 3: decision trees, random forests and histogram gradient boosting, on built-in data or any CSV file.")

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case all, sinesum, boundaries
    }

    /// The models `--model` can name.
    enum ModelChoice: String, ExpressibleByArgument, CaseIterable {
        case gbdt, forest, tree
    }

    @Argument(help: "Which built-in tour: \(Mode.allCases.map(\.rawValue).joined(separator: ", ")) (ignored with --csv).")
    var mode: Mode = .all

    @OptionGroup var common: LabOptions
    @OptionGroup var tabular: TabularOptions

    @Option(help: "Model for --csv: gbdt (histogram gradient boosting), forest or tree.")
    var model: ModelChoice = .gbdt

    @Option(help: "Boosting rounds, or trees in the forest.")
    var trees = 100

    @Option(help: "Boosting's shrinkage: each round adds learning-rate × the new tree.")
    var learningRate: Float = 0.1

    @Option(help: "Boosting's leaf budget per tree (leaf-wise growth).")
    var maxLeaves = 31

    @Option(help: "Depth limit of every tree (default: none for boosting and the forest; 8 for the single tree of the tours).")
    var maxDepth: Int?

    @Option(help: "Stop boosting when the validation loss has not improved for this many rounds (10% of the training rows held out).")
    var earlyStopping: Int?

    func validate() throws {
        guard trees >= 1 else { throw ValidationError("--trees must be at least 1, got \(trees)") }
        guard learningRate > 0 && learningRate.isFinite else { throw ValidationError("--learning-rate must be a positive number, got \(learningRate)") }
        guard maxLeaves >= 2 else { throw ValidationError("--max-leaves must be at least 2, got \(maxLeaves)") }
        if let maxDepth, maxDepth < 1 { throw ValidationError("--max-depth must be at least 1, got \(maxDepth)") }
        if let earlyStopping, earlyStopping < 1 { throw ValidationError("--early-stopping must be at least 1 round, got \(earlyStopping)") }
    }

    func run() throws {
        common.applyThreads()
        let start = Stopwatch.now()
        let out = try common.outputDirectory(lab: "trees")
        let settings = TreeSettings(seed: common.seed, quick: common.quick, out: out, trees: trees, learningRate: learningRate,
                                    maxLeaves: maxLeaves, maxDepth: maxDepth, earlyStopping: earlyStopping)
        var report: JSONReport
        var files: [String] = []
        if let csv = tabular.csv {
            report = try TreesCSVRun(path: csv, options: tabular, model: model, settings: settings).run(files: &files)
        } else {
            report = JSONReport(lab: "trees", mode: mode.rawValue, seed: common.seed, data: "built-in")
            if mode == .all || mode == .sinesum { try SineSumTour(settings).run(report: &report, files: &files) }
            if mode == .all || mode == .boundaries { try BoundaryTour(settings).run(report: &report, files: &files) }
        }
        try report.finish(in: out, startedAt: start, files: files)
    }
}

/// What every run needs: the seed, the size setting, the output folder and the models' settings.
struct TreeSettings {
    let seed: UInt64
    let quick: Bool
    let out: URL
    let trees: Int
    let learningRate: Float
    let maxLeaves: Int
    let maxDepth: Int?
    let earlyStopping: Int?

    /// Gradient boosting with the command line's settings.
    func boostingClassifier() -> GradientBoostingClassifier {
        GradientBoostingClassifier(rounds: trees, learningRate: learningRate, maxLeaves: maxLeaves, maxDepth: maxDepth,
                                   earlyStoppingRounds: earlyStopping, seed: seed)
    }

    /// A random forest with the command line's settings.
    func forestClassifier() -> RandomForestClassifier {
        RandomForestClassifier(trees: trees, maxDepth: maxDepth, oobScore: true, seed: seed)
    }

    /// Writes a file as `name` into the output folder and records its path.
    func write(_ name: String, files: inout [String], _ body: (URL) throws -> Void) throws {
        let url = out.appendingPathComponent(name)
        try body(url)
        files.append(url.path)
    }
}
