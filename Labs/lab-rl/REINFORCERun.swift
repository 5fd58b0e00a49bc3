// lab-rl reinforce: REINFORCE with a value baseline (RL's REINFORCE: 8 whole
// episodes per update, Adam 1e-3) on CartPole-v1. Each update follows the
// Monte Carlo policy gradient
//   ∇J ≈ mean_t ∇ log π(a_t|s_t) · (G_t − V(s_t))
// and the run stops at the first episode where the mean return of the last
// 20 reaches 475 (SolveCriterion.swift), or when the step budget runs out;
// then CartPoleOutcome.swift's report and pictures, greedy on the policy's logits.
import Foundation
import LabKit
import RL

struct REINFORCERun {
    let lab: LabRL
    let settings: TourSettings

    func run(report: inout JSONReport, files: inout [String]) throws {
        var agentSettings = REINFORCESettings()
        if let rate = lab.learningRate { agentSettings.learningRate = rate }
        let budget = lab.maxSteps ?? (settings.quick ? 20_480 : 1_000_000)
        let criterion = SolveCriterion()
        Log.info("== REINFORCE with a baseline on CartPole-v1: \(agentSettings.episodesPerUpdate) episodes per update, Adam "
            + String(format: "%g", agentSettings.learningRate) + ", γ " + String(format: "%g", agentSettings.discount)
            + ", up to \(budget) steps ==")

        let agent = REINFORCE(CartPole.v1(), settings: agentSettings, seed: settings.seed)
        var solvedAt: (step: Int, episode: Int)?
        var updates = 0
        let bar = ProgressBar(total: budget, label: "REINFORCE")
        let seconds = try Stopwatch.time {
            while agent.environmentSteps < budget {
                let checked = agent.episodeReturns.count
                let loss = try agent.train()
                updates += 1
                if let k = criterion.firstSolvedEpisode(in: agent.episodeReturns, from: checked) {
                    solvedAt = (SolveCriterion.cartPoleSteps(through: k, of: agent.episodeReturns), k + 1)
                    break
                }
                bar.update(completed: min(agent.environmentSteps, budget),
                           metrics: [("mean20", agent.recentMeanReturn(criterion.window) ?? 0), ("loss", Double(loss))])
            }
        }
        bar.finish()

        let outcome = CartPoleOutcome(
            algorithm: "REINFORCE", returns: agent.episodeReturns, environmentSteps: agent.environmentSteps,
            solvedAt: solvedAt, trainingSeconds: seconds, criterion: criterion)
        try outcome.record(greedy: { CartPoleEpisode.argmax(agent.network.inference($0, count: 1).logProbabilities) },
                           frames: lab.frames, settings: settings, report: &report, files: &files)
        report.setMetric("updates", JSONValue(updates))
        report.set("reinforce", ["episodes_per_update": JSONValue(agentSettings.episodesPerUpdate),
                                 "learning_rate": JSONValue(agentSettings.learningRate),
                                 "discount": JSONValue(agentSettings.discount), "max_steps": JSONValue(budget)])
    }
}
