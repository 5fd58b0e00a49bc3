// Running a fixed policy for many episodes and counting how often it earns a
// positive return: FrozenLake's "success rate" (W16: 10 000 episodes of the
// greedy policy of the learned Q).

import Tensor

/// Monte Carlo evaluation of a fixed policy.
public enum PolicyEvaluation {
    /// The share of `episodes` episodes of `policy` whose return is positive, and their mean return.
    public static func successRate<E: Environment>(_ environment: E, episodes: Int, seed: UInt64,
                                                   policy: (E.Observation) -> Int) -> (successRate: Double, meanReturn: Double) {
        precondition(episodes > 0, "PolicyEvaluation: episodes must be positive")
        var env = environment
        var generator = RandomGenerator(seed: seed)
        var successes = 0, total = 0.0
        for _ in 0..<episodes {
            var observation = env.reset(using: &generator)
            var episodeReturn = 0.0
            while true {
                let step = env.step(policy(observation), using: &generator)
                episodeReturn += step.reward
                observation = step.observation
                if step.isDone { break }
            }
            if episodeReturn > 0 { successes += 1 }
            total += episodeReturn
        }
        return (Double(successes) / Double(episodes), total / Double(episodes))
    }
}
