// lab-rl dqn: deep Q-learning (RL's DQN, CleanRL's dqn.py settings: a 120-84
// ReLU Q-network, replay of the last 10 000 transitions, minibatches of 128
// every 10 steps after 10 000 random-ish ones, the target network copied every
// 500 steps, ε from 1 to 0.05 over half the budget) on CartPole-v1, until the
// mean return of the last 20 episodes reaches 475 or the budget runs out;
// then CartPoleOutcome.swift's report and pictures, greedy on Q:
//   a*(s) = argmax_a Q(s, a)
// plus the TD loss of the updates and ε over the run.
import Foundation
import LabKit
import RL

struct DQNRun {
    let lab: LabRL
    let settings: TourSettings

    func run(report: inout JSONReport, files: inout [String]) throws {
        var dqnSettings = DQNSettings()
        let criterion = SolveCriterion()
        dqnSettings.solveThreshold = criterion.threshold
        dqnSettings.solveWindow = criterion.window
        dqnSettings.totalSteps = lab.maxSteps ?? (settings.quick ? 20_000 : dqnSettings.totalSteps)
        if let rate = lab.learningRate { dqnSettings.learningRate = rate }
        Log.info("== DQN on CartPole-v1: replay \(dqnSettings.bufferSize), batch \(dqnSettings.batchSize) every "
            + "\(dqnSettings.trainFrequency) steps after \(dqnSettings.learningStarts), target copied every "
            + "\(dqnSettings.targetUpdateInterval), Adam " + String(format: "%g", dqnSettings.learningRate)
            + ", up to \(dqnSettings.totalSteps) steps ==")

        let dqn = DQN(CartPole.v1(), settings: dqnSettings, seed: settings.seed)
        let bar = ProgressBar(total: dqnSettings.totalSteps, label: "DQN")
        var epsilonCurve: [(step: Int, epsilon: Double)] = [(0, dqn.epsilon)]
        let seconds = try Stopwatch.time {
            while !dqn.isFinished {
                try dqn.advance(steps: 2_000)
                epsilonCurve.append((dqn.environmentSteps, dqn.epsilon))
                bar.update(completed: dqn.environmentSteps,
                           metrics: [("mean20", dqn.recentMeanReturn(criterion.window) ?? 0), ("eps", dqn.epsilon),
                                     ("loss", Double(dqn.losses.last ?? 0))])
            }
        }
        bar.finish()

        let outcome = CartPoleOutcome(
            algorithm: "DQN", returns: dqn.episodeReturns, environmentSteps: dqn.environmentSteps,
            solvedAt: dqn.solvedAtStep.map { ($0, dqn.episodeReturns.count) }, trainingSeconds: seconds, criterion: criterion)
        try outcome.record(greedy: dqn.network.greedyAction, frames: lab.frames, settings: settings, report: &report, files: &files)
        report.setMetric("updates", JSONValue(dqn.losses.count))
        report.setMetric("final_epsilon", dqn.epsilon)
        report.set("dqn", ["buffer_size": JSONValue(dqnSettings.bufferSize), "batch_size": JSONValue(dqnSettings.batchSize),
                           "train_frequency": JSONValue(dqnSettings.trainFrequency),
                           "learning_starts": JSONValue(dqnSettings.learningStarts),
                           "target_update_interval": JSONValue(dqnSettings.targetUpdateInterval),
                           "learning_rate": JSONValue(dqnSettings.learningRate), "max_steps": JSONValue(dqnSettings.totalSteps)])

        if !dqn.losses.isEmpty {
            var chart = LineChart(title: "DQN: TD loss per update (mean of 50) and epsilon", xLabel: "environment step",
                                  yLabel: "loss", logScaleY: true)
            chart.showsMarkers = false
            let mean = MovingAverage.trailing(dqn.losses.map(Double.init), window: 50)
            let kept = MovingAverage.thinned(count: mean.mean.count)
            // Update u happens at step learningStarts + (u + 1) · trainFrequency.
            let stepOf = { (u: Int) in Double(dqnSettings.learningStarts + (u + 1) * dqnSettings.trainFrequency) }
            chart.addSeries("TD loss", x: kept.map { stepOf(mean.index[$0]) }, y: kept.map { max(mean.mean[$0], 1e-6) })
            var epsilonChart = LineChart(title: "epsilon", xLabel: "environment step", yLabel: "epsilon")
            epsilonChart.showsMarkers = false
            epsilonChart.legendPlacement = .hidden
            epsilonChart.width = 500
            epsilonChart.addSeries("epsilon", x: epsilonCurve.map { Double($0.step) }, y: epsilonCurve.map(\.epsilon), color: .palette(1))
            try settings.write("dqn_loss.png", files: &files) {
                try Canvas.sideBySide([chart.render(), epsilonChart.render()], gap: 10).write(to: $0)
            }
        }
    }
}
