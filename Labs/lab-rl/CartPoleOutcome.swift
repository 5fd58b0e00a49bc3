// How every CartPole-v1 mode ends, whatever the learner (REINFORCE, PPO, and
// the modes to come): the same words, report fields and pictures from
//   the returns of the finished training episodes, in order
//   the environment steps taken, and the step and episode the run was solved at (if it was)
//   a greedy policy, observation → action
// It records solved, steps_to_solve, episodes_to_solve, environment_steps, episodes,
// mean_return (the last 20 episodes), train_seconds, then plays one greedy
// episode (CartPoleEpisode.swift) and records its length; it draws the return
// curve (each episode, the 20-episode mean, the 475 line) and the greedy
// episode's frames (CartPolePicture.swift).
import Foundation
import LabKit
import RL

/// The outcome of a training run on CartPole-v1.
struct CartPoleOutcome {
    /// "PPO", "REINFORCE": for titles; lower-cased, the prefix of the file names.
    var algorithm: String
    var returns: [Double]
    var environmentSteps: Int
    /// The environment step and the episode (counted from 1) at which the solving rule was met, if it was.
    var solvedAt: (step: Int, episode: Int)?
    var trainingSeconds: Double
    var criterion = SolveCriterion()

    /// Logs, records and draws the run and one greedy episode of `greedy`.
    func record(greedy: ([Float]) -> Int, frames: Int, settings: TourSettings,
                report: inout JSONReport, files: inout [String]) throws {
        let window = criterion.window
        let recentMean = returns.count >= window ? returns.suffix(window).reduce(0, +) / Double(window) : nil
        if let solvedAt {
            Log.info("\(algorithm) solved CartPole-v1 at step \(solvedAt.step) (episode \(solvedAt.episode)): the mean return of the last "
                + "\(window) episodes reached \(Int(criterion.threshold)); " + String(format: "%.2f s", trainingSeconds))
        } else {
            Log.info("\(algorithm) did not solve CartPole-v1 within \(environmentSteps) steps (\(returns.count) episodes, "
                + String(format: "%.2f s", trainingSeconds) + "); mean return of the last \(window): "
                + (recentMean.map { String(format: "%.1f", $0) } ?? "n/a"))
        }
        report.set("env", "CartPole-v1")
        report.setMetric("solved", .bool(solvedAt != nil))
        report.setMetric("steps_to_solve", solvedAt.map { JSONValue($0.step) } ?? .null)
        report.setMetric("episodes_to_solve", solvedAt.map { JSONValue($0.episode) } ?? .null)
        report.setMetric("environment_steps", JSONValue(environmentSteps))
        report.setMetric("episodes", JSONValue(returns.count))
        report.setMetric("mean_return", recentMean.map { JSONValue($0) } ?? .null)
        report.setMetric("train_seconds", (trainingSeconds * 1e5).rounded() / 1e5)

        let episode = CartPoleEpisode.play(seed: settings.seed &+ 1_000, policy: greedy)
        Log.info("greedy episode: \(episode.length) steps, "
            + (episode.terminated ? "then the pole fell or the cart left the track" : "cut off by the 500-step limit"))
        report.setMetric("greedy_episode_length", JSONValue(episode.length))
        report.setMetric("greedy_episode_terminated", .bool(episode.terminated))

        let prefix = algorithm.lowercased()
        try settings.write("\(prefix)_returns.png", files: &files) { try returnCurve().write(to: $0) }
        let title = "\(algorithm): one greedy episode, \(episode.length) steps"
            + (episode.terminated ? " (the pole fell)" : " (the 500-step limit)")
        try settings.write("\(prefix)_greedy_episode.png", files: &files) {
            try CartPolePicture.strip(episode, frames: frames, title: title).write(to: $0)
        }
    }

    /// Each episode's return, the mean of the last 20, and the solving line.
    func returnCurve() -> LineChart {
        var chart = LineChart(title: "\(algorithm) on CartPole-v1: return per episode", xLabel: "episode", yLabel: "return")
        chart.showsMarkers = false
        let kept = MovingAverage.thinned(count: returns.count)
        chart.addSeries("episode return", x: kept.map { Double($0 + 1) }, y: kept.map { returns[$0] },
                        color: RGBColor.palette(0).mixed(with: .white, amount: 0.55))
        let mean = MovingAverage.trailing(returns, window: criterion.window)
        let keptMean = MovingAverage.thinned(count: mean.mean.count)
        chart.addSeries("mean of last \(criterion.window)", x: keptMean.map { Double(mean.index[$0] + 1) },
                        y: keptMean.map { mean.mean[$0] }, color: .palette(0))
        chart.addSeries("solved: \(Int(criterion.threshold))", x: [1, Double(max(returns.count, 2))],
                        y: [criterion.threshold, criterion.threshold], color: .palette(3))
        chart.width = 1000
        chart.legendPlacement = .outside
        return chart
    }
}
