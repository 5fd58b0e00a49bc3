// lab-rl ppo: PPO (RL's PPO, CleanRL's ppo.py settings: 4 copies × 128 steps
// per rollout, 4 epochs of 4 minibatches, Adam 2.5e-4 annealed to 0) on
// CartPole-v1, iterating until the mean return of the last 20 episodes
// reaches 475 or the step budget runs out; then CartPoleOutcome.swift's
// report and pictures, and the update's health per iteration:
//   approximate KL   mean((ρ − 1) − log ρ), how far an update moved the policy
//   clip fraction    the share of samples with |ρ − 1| > 0.2 (their gradient is cut)
//   entropy          H(π(·|s)) = −Σ_a π log π, ln 2 ≈ 0.693 for a coin flip
import Foundation
import LabKit
import RL

struct PPORun {
    let lab: LabRL
    let settings: TourSettings

    /// Environment steps per PPO iteration (the smallest budget that runs one).
    static var batchSize: Int { PPOSettings().batchSize }

    func run(report: inout JSONReport, files: inout [String]) throws {
        var ppoSettings = PPOSettings()
        let criterion = SolveCriterion()
        ppoSettings.solveThreshold = criterion.threshold
        ppoSettings.solveWindow = criterion.window
        ppoSettings.totalSteps = lab.maxSteps ?? (settings.quick ? 20_480 : ppoSettings.totalSteps)
        if let rate = lab.learningRate { ppoSettings.learningRate = rate }
        Log.info("== PPO on CartPole-v1: \(ppoSettings.environments) copies × \(ppoSettings.stepsPerRollout) steps per rollout, "
            + "\(ppoSettings.epochs) epochs of \(ppoSettings.minibatches) minibatches, Adam "
            + String(format: "%g", ppoSettings.learningRate) + " annealed to 0, up to \(ppoSettings.totalSteps) steps ==")

        let ppo = PPO(settings: ppoSettings, seed: settings.seed) { CartPole.v1() }
        var iterations: [PPOIteration] = []
        let bar = ProgressBar(total: ppoSettings.totalSteps, label: "PPO")
        let seconds = try Stopwatch.time {
            for _ in 0..<ppoSettings.iterations {
                guard let iteration = try ppo.iterate() else { break }
                iterations.append(iteration)
                bar.update(completed: ppo.environmentSteps,
                           metrics: [("mean20", ppo.recentMeanReturn(criterion.window) ?? 0), ("kl", Double(iteration.approximateKL))])
            }
        }
        bar.finish()

        let outcome = CartPoleOutcome(
            algorithm: "PPO", returns: ppo.episodes.map(\.totalReward), environmentSteps: ppo.environmentSteps,
            solvedAt: ppo.solvedAtStep.map { ($0, ppo.episodes.count) }, trainingSeconds: seconds, criterion: criterion)
        try outcome.record(greedy: ppo.greedyAction, frames: lab.frames, settings: settings, report: &report, files: &files)

        report.setMetric("iterations", JSONValue(iterations.count))
        if let last = iterations.last {
            report.setMetric("approx_kl", JSONValue(last.approximateKL))
            report.setMetric("clip_fraction", JSONValue(last.clipFraction))
            report.setMetric("entropy", JSONValue(last.entropy))
        }
        report.set("ppo", ["environments": JSONValue(ppoSettings.environments), "steps_per_rollout": JSONValue(ppoSettings.stepsPerRollout),
                           "epochs": JSONValue(ppoSettings.epochs), "minibatches": JSONValue(ppoSettings.minibatches),
                           "learning_rate": JSONValue(ppoSettings.learningRate), "total_steps": JSONValue(ppoSettings.totalSteps)])
        if !iterations.isEmpty {
            try settings.write("ppo_diagnostics.png", files: &files) { try diagnostics(iterations).write(to: $0) }
        }
    }

    /// Approximate KL, clip fraction and entropy against the environment step, three charts side by side.
    func diagnostics(_ iterations: [PPOIteration]) -> Canvas {
        let steps = iterations.map { Double($0.environmentSteps) }
        func chart(_ title: String, _ values: [Float], color: Int, fromZero: Bool) -> Canvas {
            var chart = LineChart(title: title, xLabel: "environment step", yLabel: "")
            chart.width = 600
            chart.height = 420
            chart.showsMarkers = false
            chart.legendPlacement = .hidden
            chart.addSeries(title, x: steps, y: values.map(Double.init), color: .palette(color))
            // KL and the clip fraction are never negative: start their axes at 0 (and show a flat 0 as one).
            if fromZero, let top = values.max() { chart.yAxis.range = 0...(top > 0 ? Double(top) * 1.05 : 0.01) }
            return chart.render()
        }
        return Canvas.sideBySide([
            chart("approximate KL", iterations.map(\.approximateKL), color: 0, fromZero: true),
            chart("clip fraction", iterations.map(\.clipFraction), color: 1, fromZero: true),
            chart("entropy of pi (nats)", iterations.map(\.entropy), color: 2, fromZero: false),
        ], gap: 10)
    }
}
