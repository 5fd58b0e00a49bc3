// W15: PPO on CartPole-v1 as the reinforcement-learning peer (docs/BENCHMARKS.md) runs CleanRL's
// ppo.py: 4 environments × 128 steps, 4 epochs of 4 minibatches, Adam 2.5e-4
// annealed to 0, γ 0.99, λ 0.95, clip 0.2, 64-64 tanh MLPs, at most 500 000
// steps. A run is solved at the environment step where the mean return of the
// last 20 finished episodes first reaches 475. Timed: each seed's whole run,
// wall clock; the median over the seeds (--reps seeds, 1, 2, ...) is reported.
import Foundation
import LabKit
import RL

enum W15PPO {
    static func run(threads: Int, quick: Bool, seeds: Int) throws -> [BenchRecord] {
        var settings = PPOSettings()
        settings.solveThreshold = 475
        if quick { settings.totalSteps = 20_480 }
        Log.progress("W15 PPO on CartPole-v1, up to \(settings.totalSteps) steps, \(seeds) seeds")
        var walls: [Double] = [], steps: [Int] = [], solved = 0, finals: [JSONValue] = []
        for k in 1...seeds {
            var ppo: PPO<TimeLimit<CartPole>>?
            let wall = try Stopwatch.time {
                let run = PPO(settings: settings, seed: UInt64(k)) { CartPole.v1() }
                for _ in 0..<settings.iterations where try run.iterate() != nil {}
                ppo = run
            }
            let run = ppo!
            walls.append(wall)
            steps.append(run.solvedAtStep ?? run.environmentSteps)
            if run.solvedAtStep != nil { solved += 1 }
            finals.append(run.recentMeanReturn().map { JSONValue.number(($0 * 10).rounded() / 10) } ?? .null)
            Log.progress(String(format: "  W15 seed %d: solved %@ at %d steps in %.2f s, %d episodes", k,
                                run.solvedAtStep == nil ? "no" : "yes", steps.last!, wall, run.episodes.count))
        }
        let median = Stopwatch.median(of: walls)
        let sortedSteps = steps.sorted()
        let medianSteps = sortedSteps.count % 2 == 1 ? Double(sortedSteps[sortedSteps.count / 2])
            : Double(sortedSteps[sortedSteps.count / 2 - 1] + sortedSteps[sortedSteps.count / 2]) / 2
        return [BenchRecord(
            workload: "W15", impl: "mllab", threads: threads,
            params: [("env", .string("CartPole-v1")), ("envs", .number(4)), ("steps_per_rollout", .number(128))],
            secondsMedian: median,
            rate: [("env_steps_per_s", Stopwatch.median(of: zip(steps, walls).map { Double($0) / $1 }))],
            quality: [("solved_runs", .number(Double(solved))), ("runs", .number(Double(seeds))),
                      ("steps_to_solve_median", .number(medianSteps)),
                      ("steps_to_solve", .array(steps.map { .number(Double($0)) })),
                      ("wall_s", .array(walls.map { .number(($0 * 100).rounded() / 100) })),
                      ("final_mean_return", .array(finals))])]
    }
}
