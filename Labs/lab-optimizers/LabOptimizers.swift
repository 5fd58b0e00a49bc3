// lab-optimizers: phase 2's gradient-descent visualiser.
//
//   swift run -c release lab-optimizers [all|rosenbrock|saddle|moons] [options]
//
// SGD, SGD with momentum, RMSProp and Adam (NN/Optimizers) each descend
//   rosenbrock  f = (1 − x)² + 100(y − x²)² from (−1.5, 2): a curved valley
//               with a flat floor; the minimum is (1, 1);
//   saddle      f = x² − y² from (1.5, 0.001): a minimum along x, a maximum
//               along y;
//   moons       a two-moons set (LabKit's TwoMoons, 500 points, noise 0.15;
//               200 with --quick) classified by logistic regression on 16
//               tanh features (MoonsRun.swift), full batch, 1500 steps.
// The surfaces, their step budgets and the learning rates live in
// NN/Optimizers/TestSurfaces.swift, where the tests check that Adam and
// momentum reach Rosenbrock's minimum within 1e-3 in the budget printed here.
// Ends by writing report.json, <surface>_paths.png (paths over the contour
// plot), <surface>_loss.png (loss per step), moons_<optimizer>.png (decision
// regions) and moons_loss.png into --out.
import ArgumentParser
import Foundation
import LabKit
import NN

@main
struct LabOptimizers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab-optimizers",
        abstract: "Phase 2: SGD, momentum, RMSProp and Adam on Rosenbrock's valley and a saddle, drawn as paths, and on a two-moons classifier.")

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case all, rosenbrock, saddle, moons
    }

    @Argument(help: "Which surface: \(Mode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var mode: Mode = .all

    @OptionGroup var common: LabOptions

    @Option(help: "Steps per optimizer (default: the surface's budget, 3000 on rosenbrock, 150 on the saddle, 1500 on the moons; --quick keeps it, draws smaller plots and uses 200 moon points).")
    var steps: Int?

    func validate() throws {
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1, got \(steps)") }
    }

    func run() throws {
        common.applyThreads()
        let start = Stopwatch.now()
        let out = try common.outputDirectory(lab: "optimizers")
        let surfaces: [TestSurface] = switch mode {
        case .all: TestSurface.allCases
        case .rosenbrock: [.rosenbrock]
        case .saddle: [.saddle]
        case .moons: []
        }
        let plotSize = common.quick ? (width: 560, height: 480) : (width: 900, height: 760)
        var metrics: [(String, JSONValue)] = []
        var files: [String] = []

        for surface in surfaces {
            let budget = steps ?? surface.stepBudget
            Log.info("== \(surface.rawValue): \(budget) steps per optimizer from (\(surface.start.x), \(surface.start.y)) ==")
            Log.info("  optimizer             lr        final loss    end point")
            var runs: [(DescentMethod, DescentPath)] = []
            for method in DescentMethod.allCases {
                let path = descend(surface, with: method, steps: budget)
                runs.append((method, path))
                let (x, y) = path.end
                var line = "  " + method.displayName.padding(toLength: 20, withPad: " ", startingAt: 0)
                line += String(format: "  %-8g  %12.4e    (%.5f, %.5f)", Double(method.learningRate(on: surface)),
                               Double(path.finalLoss), Double(x), Double(y))
                if let minimum = surface.minimum {
                    let distance = max(abs(x - minimum.x), abs(y - minimum.y))
                    line += distance < 1e-3 ? "  reached the minimum (within 1e-3)" : String(format: "  %.2e from the minimum", Double(distance))
                    metrics.append(("\(surface.rawValue)_\(method.rawValue)_distance", JSONValue(distance)))
                }
                Log.info(line)
                metrics.append(("\(surface.rawValue)_\(method.rawValue)_loss", JSONValue(path.finalLoss)))
            }

            let pathsURL = out.appendingPathComponent("\(surface.rawValue)_paths.png")
            try PathPlot.write(surface, runs: runs, size: plotSize, to: pathsURL)
            // Rosenbrock's loss falls over orders of magnitude; the saddle's goes negative.
            var chart = LineChart(title: "\(surface.rawValue): loss per step", xLabel: "step", yLabel: "f(x, y)",
                                  logScaleY: surface == .rosenbrock)
            if surface == .saddle {
                // f is unbounded below and the fast escapers reach −10⁶: show the start of the fall.
                chart.yAxis.range = -20...5
                chart.title += " (axis cut at −20)"
            }
            chart.width = plotSize.width
            chart.height = plotSize.height * 2 / 3
            for (method, path) in runs { chart.addSeries(method.displayName, y: path.losses) }
            let lossURL = out.appendingPathComponent("\(surface.rawValue)_loss.png")
            try chart.write(to: lossURL)
            files += [pathsURL.path, lossURL.path]
        }

        if mode == .all || mode == .moons {
            let moonsFiles = try runMoons(steps: steps ?? 1500, size: plotSize, out: out, metrics: &metrics)
            files += moonsFiles
        }

        var report = JSONReport(lab: "optimizers", mode: mode.rawValue, seed: common.seed, data: "built-in", metrics: metrics)
        try report.finish(in: out, startedAt: start, files: files)
    }

    /// Trains the moons classifier with each optimizer, logs and records its loss and accuracy,
    /// and writes a decision-region plot per optimizer and one loss chart; returns the files.
    func runMoons(steps: Int, size: (width: Int, height: Int), out: URL,
                  metrics: inout [(String, JSONValue)]) throws -> [String] {
        let moons = TwoMoons(count: common.quick ? 200 : 500, noise: 0.15, seed: common.seed)
        Log.info("== moons: \(moons.labels.count) points, \(steps) full-batch steps per optimizer, same initial weights ==")
        Log.info("  optimizer             lr        final loss    accuracy")
        var runs: [MoonsRun] = []
        var files: [String] = []
        for method in DescentMethod.allCases {
            let run = MoonsRun.train(moons, with: method, steps: steps, seed: common.seed)
            runs.append(run)
            Log.info("  " + method.displayName.padding(toLength: 20, withPad: " ", startingAt: 0)
                + String(format: "  %-8g  %12.4e    %.1f%%", Double(run.learningRate), Double(run.finalLoss), run.accuracy * 100))
            metrics.append(("moons_\(method.rawValue)_loss", JSONValue(run.finalLoss)))
            metrics.append(("moons_\(method.rawValue)_accuracy", JSONValue(run.accuracy)))
            let url = out.appendingPathComponent("moons_\(method.rawValue).png")
            try run.writePlot(moons, size: size, to: url)
            files.append(url.path)
        }
        var chart = LineChart(title: "moons: training loss per step", xLabel: "step", yLabel: "binary cross-entropy",
                              logScaleY: true)
        chart.width = size.width
        chart.height = size.height * 2 / 3
        for run in runs { chart.addSeries(run.method.displayName, y: run.losses) }
        let lossURL = out.appendingPathComponent("moons_loss.png")
        try chart.write(to: lossURL)
        files.append(lossURL.path)
        return files
    }
}
