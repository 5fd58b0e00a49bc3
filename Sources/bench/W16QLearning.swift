// W16: tabular Q-learning on FrozenLake8x8-v1 (slippery, 200-step limit), as
// the reinforcement-learning peer runs it (docs/BENCHMARKS.md): 200 000 episodes, γ 0.99, ε linear 1.0
// → 0.01 over the first half of the episodes then 0.01, α linear 0.1 → 0.01
// over all of them. Timed: the training (1 warm-up and --reps repetitions, each
// from a zero table, seeds 0, 1, ...); untimed: the last table's greedy policy
// over 10 000 episodes, its exact success probability within 200 steps, and
// the two yardsticks, the best policy's (0.913) and the γ = 0.99 optimum's.
import Foundation
import LabKit
import RL

enum W16QLearning {
    static func run(quick: Bool, repetitions: Int, seed: UInt64 = 0) -> [BenchRecord] {
        let episodes = quick ? 20_000 : 200_000, evaluationEpisodes = 10_000, horizon = 200
        let settings = TabularSettings(episodes: episodes)
        Log.progress("W16 Q-learning on FrozenLake8x8-v1, \(episodes) episodes")
        var times: [Double] = []
        var last: TabularRun?
        for repetition in 0...repetitions {
            var run: TabularRun?
            let time = Stopwatch.time { run = TabularControl.train(FrozenLake.v1x8(), settings: settings, seed: seed &+ UInt64(repetition)) }
            if repetition > 0 || repetitions == 0 { times.append(time) }
            last = run
            Log.progress(String(format: "  W16 repetition %d: %.3f s, %d environment steps", repetition, time, run!.steps))
        }
        let run = last!, median = Stopwatch.median(of: times)
        let lake = FrozenLake(map: FrozenLake.map8x8)
        let evaluation = PolicyEvaluation.successRate(FrozenLake.v1x8(), episodes: evaluationEpisodes, seed: 12_345) { run.q.greedyAction($0) }
        let exact = ValueIteration.successProbability(lake, policy: run.q.greedyPolicy, horizon: horizon)
        let best = ValueIteration.bestSuccessProbability(lake, horizon: horizon)
        let discountedOptimum = ValueIteration.successProbability(
            lake, policy: ValueIteration.optimalQ(lake, discount: settings.discount).greedyPolicy, horizon: horizon)
        Log.progress(String(format: "  W16: %.3f s per training; greedy success %.4f over %d episodes (exact %.4f; best %.4f, γ-optimal %.4f)",
                            median, evaluation.successRate, evaluationEpisodes, exact, best, discountedOptimum))
        func rounded(_ x: Double) -> JSONValue { .number((x * 1e4).rounded() / 1e4) }
        return [BenchRecord(
            workload: "W16", impl: "mllab", threads: 1,
            params: [("episodes", .number(Double(episodes))), ("env", .string("FrozenLake8x8-v1"))],
            secondsMedian: median,
            rate: [("episodes_per_s", Double(episodes) / median), ("env_steps_per_s", Double(run.steps) / median)],
            quality: [("success_rate", rounded(evaluation.successRate)),
                      ("greedy_success_rate", rounded(evaluation.successRate)),
                      ("greedy_success_prob_exact", rounded(exact)),
                      ("optimal_success_prob", rounded(best)),
                      ("gamma099_optimal_policy_success_prob", rounded(discountedOptimum)),
                      ("eval_episodes", .number(Double(evaluationEpisodes))), ("time_limit", .number(Double(horizon))),
                      ("gamma", .number(settings.discount)), ("reps", .number(Double(times.count))),
                      ("seconds", .array(times.map { .number(($0 * 1000).rounded() / 1000) }))])]
    }
}
