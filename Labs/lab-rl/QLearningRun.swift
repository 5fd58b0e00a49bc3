// lab-rl qlearning: tabular TD control (RL's TabularControl) on a grid world,
//   Q(s, a) ← Q(s, a) + α (r + γ max_a′ Q(s′, a′) − Q(s, a))     Q-learning
//   Q(s, a) ← Q(s, a) + α (r + γ Q(s′, a′) − Q(s, a))            SARSA, a′ the next action taken
// FrozenLake (W16's settings: 200 000 episodes, γ 0.99, ε 1 → 0.01 over the
// first half, α 0.1 → 0.01): the greedy policy's success rate over many
// episodes, its exact probability of reaching G within the step limit, and
// the best probability any policy has, both by dynamic programming
// (ValueIteration.swift). CliffWalking (Sutton and Barto's Example 6.6: γ 1,
// ε 0.1, α 0.5): the greedy path from S and the shortest one, −13.
// Both: the moving mean of the training returns, and V(s) on the grid.
import Foundation
import LabKit
import RL

struct QLearningRun {
    let lab: LabRL
    let settings: TourSettings

    var method: LabRL.Method { lab.method ?? .qlearning }

    func run(report: inout JSONReport, files: inout [String]) throws {
        let name = lab.env ?? .frozenlake8x8
        report.set("env", .string(name.gymnasiumID))
        report.set("method", .string(method.rawValue))
        switch name {
        case .frozenlake: try frozenLake(FrozenLake.v1(), id: name.gymnasiumID, report: &report, files: &files)
        case .frozenlake8x8: try frozenLake(FrozenLake.v1x8(), id: name.gymnasiumID, report: &report, files: &files)
        case .cliffwalking: try cliffWalking(report: &report, files: &files)
        case .cartpole, .mountaincar: preconditionFailure("qlearning: \(name.rawValue) is not a grid world (checked in validate)")
        }
    }

    /// "0.1", "0.1 → 0.01 over all the episodes" or "1 → 0.01 over the first 100000 episodes".
    static func describe(_ schedule: LinearSchedule, _ episodes: Int) -> String {
        if schedule.start == schedule.end { return String(format: "%g", schedule.start) }
        if schedule.fraction == 1 { return String(format: "%g → %g over all the episodes", schedule.start, schedule.end) }
        return String(format: "%g → %g over the first %d episodes", schedule.start, schedule.end,
                      Int((schedule.fraction * Double(episodes)).rounded()))
    }

    /// Trains on `environment`, logs and records the run, and draws its return curve.
    func train<E: TabularEnvironment>(_ environment: E, _ tabular: TabularSettings, id: String, window: Int,
                                      showEpsilon: Bool, report: inout JSONReport, files: inout [String]) throws -> TabularRun {
        Log.info("== \(method.title) on \(id): \(tabular.episodes) episodes, γ " + String(format: "%g", tabular.discount)
            + ", ε " + Self.describe(tabular.epsilon, tabular.episodes) + ", α " + Self.describe(tabular.stepSize, tabular.episodes) + " ==")
        var run: TabularRun?
        let seconds = Stopwatch.time { run = TabularControl.train(environment, settings: tabular, seed: settings.seed) }
        let result = run!
        Log.info(String(format: "trained in %.3f s: %d environment steps (%.0f steps/s)", seconds, result.steps,
                        Double(result.steps) / seconds))
        report.setMetric("episodes", JSONValue(tabular.episodes))
        report.setMetric("environment_steps", JSONValue(result.steps))
        report.setMetric("train_seconds", (seconds * 1e5).rounded() / 1e5)

        var chart = LineChart(title: "\(method.title) on \(id): training returns", xLabel: "episode",
                              yLabel: "return (moving mean)")
        chart.showsMarkers = false
        let mean = MovingAverage.trailing(result.returns, window: window)
        let kept = MovingAverage.thinned(count: mean.mean.count)
        chart.addSeries("mean return of the last \(window) episodes", x: kept.map { Double(mean.index[$0] + 1) },
                        y: kept.map { mean.mean[$0] })
        if showEpsilon {
            // FrozenLake's returns are 0 or 1: leave room above them for the legend.
            chart.yAxis.range = 0...1.2
            chart.legendPlacement = .topRight
            let steps = MovingAverage.thinned(count: tabular.episodes)
            chart.addSeries("exploration epsilon", x: steps.map { Double($0 + 1) },
                            y: steps.map { tabular.epsilon.value(at: $0, of: tabular.episodes) })
        }
        try settings.write("\(method.rawValue)_returns.png", files: &files) { try chart.write(to: $0) }
        return result
    }

    func frozenLake(_ environment: TimeLimit<FrozenLake>, id: String, report: inout JSONReport, files: inout [String]) throws {
        let episodes = lab.episodes ?? (settings.quick ? 20_000 : 200_000)
        let tabular = TabularSettings(episodes: episodes, target: method.target)
        let run = try train(environment, tabular, id: id, window: max(1, min(1000, episodes / 20)), showEpsilon: true,
                            report: &report, files: &files)

        let lake = environment.base, horizon = environment.maximumSteps
        let evaluationEpisodes = lab.evalEpisodes ?? (settings.quick ? 2_000 : 10_000)
        let evaluation = PolicyEvaluation.successRate(environment, episodes: evaluationEpisodes, seed: settings.seed &+ 12_345) {
            run.q.greedyAction($0)
        }
        let exact = ValueIteration.successProbability(lake, policy: run.q.greedyPolicy, horizon: horizon)
        let best = ValueIteration.bestSuccessProbability(lake, horizon: horizon)
        Log.info(String(format: "greedy policy: reached G in %.4f of %d episodes (exactly %.4f within %d steps); the best policy: %.4f",
                        evaluation.successRate, evaluationEpisodes, exact, horizon, best))
        report.setMetric("success_rate", evaluation.successRate)
        report.setMetric("mean_return", evaluation.meanReturn)
        report.setMetric("success_prob_exact", exact)
        report.setMetric("optimal_success_prob", best)
        report.setMetric("eval_episodes", JSONValue(evaluationEpisodes))
        report.setMetric("time_limit", JSONValue(horizon))

        let picture = GridValuePicture.frozenLake(lake, q: run.q, title: "\(method.title) on \(id): V(s) = max Q(s, a)")
        try settings.write("\(method.rawValue)_values.png", files: &files) { try picture.render().write(to: $0) }
    }

    func cliffWalking(report: inout JSONReport, files: inout [String]) throws {
        let episodes = lab.episodes ?? (settings.quick ? 500 : 3_000)
        let tabular = TabularSettings(episodes: episodes, discount: 1, epsilon: .constant(0.1), stepSize: .constant(0.5),
                                      target: method.target)
        let run = try train(CliffWalking(), tabular, id: "CliffWalking-v1", window: max(1, min(50, episodes / 10)),
                            showEpsilon: false, report: &report, files: &files)

        // The greedy policy is deterministic on this grid: walk it once, at most 100 steps.
        var environment = TimeLimit(CliffWalking(), maximumSteps: 100)
        var generator = RandomGenerator(seed: settings.seed)
        var state = environment.reset(using: &generator), greedyReturn = 0.0, steps = 0, reachedGoal = false
        while true {
            let step = environment.step(run.q.greedyAction(state), using: &generator)
            greedyReturn += step.reward
            steps += 1
            state = step.observation
            if step.isDone {
                reachedGoal = step.terminated
                break
            }
        }
        let shortest = ValueIteration.optimalQ(CliffWalking(), discount: 1).maximum(CliffWalking.start)
        let lastReturns = run.returns.suffix(100)
        let finalMean = lastReturns.reduce(0, +) / Double(lastReturns.count)
        Log.info("greedy path: \(steps) steps, return \(Int(greedyReturn)), " + (reachedGoal ? "reaches G" : "never reaches G")
            + "; the best return is \(Int(shortest)); the last \(lastReturns.count) training episodes (ε-greedy) earned "
            + String(format: "%.1f", finalMean) + " on average")
        report.setMetric("mean_return", greedyReturn)
        report.setMetric("greedy_steps", JSONValue(steps))
        report.setMetric("reached_goal", .bool(reachedGoal))
        report.setMetric("optimal_return", shortest)
        report.setMetric("train_mean_return_last_100", finalMean)

        let picture = GridValuePicture.cliffWalking(q: run.q, title: "\(method.title) on CliffWalking-v1: V(s) = max Q(s, a)")
        try settings.write("\(method.rawValue)_values.png", files: &files) { try picture.render().write(to: $0) }
    }
}
