// When CartPole-v1 counts as solved here (W15's rule, the same for every
// learner): the first episode at whose end the mean return of the last 20
// finished episodes reaches 475 (of the 500 an episode can earn),
//   solved at episode k  ⇔  (G_{k−19} + … + G_k) / 20 ≥ 475,  k the first such.
// A learner on one environment (REINFORCE) plays its episodes one after the
// other, and every CartPole step earns exactly 1, so the environment steps
// taken by the end of episode k are G_0 + … + G_k. Learners on several copies
// at once (PPO) count their steps themselves.

struct SolveCriterion {
    var threshold = 475.0
    var window = 20

    /// The first episode, at `start` or later, where the mean of the last `window` returns reaches the threshold.
    func firstSolvedEpisode(in returns: [Double], from start: Int = 0) -> Int? {
        guard returns.count >= window else { return nil }
        let first = max(start, window - 1)
        guard first < returns.count else { return nil }
        var sum = returns[(first - window + 1)...first].reduce(0, +)
        for k in first..<returns.count {
            if k > first { sum += returns[k] - returns[k - window] }
            if sum / Double(window) >= threshold { return k }
        }
        return nil
    }

    /// The steps a one-environment CartPole learner had taken by the end of episode `k` (each step earns 1).
    static func cartPoleSteps(through k: Int, of returns: [Double]) -> Int {
        Int(returns[0...k].reduce(0, +))
    }
}
