// Dynamic programming on a known transition table (FrozenLake's), the yardstick
// tabular learning is measured against (Sutton and Barto, §4.3–4.4):
//   discounted value iteration   V(s) ← max_a Σ p (r + γ V(s′)),  V(s′) = 0 if terminal
//   success within H steps       the same backup with γ = 1 repeated H times from V = 0:
//                                the probability that a policy (or the best one) reaches
//                                the reward within the step limit, exactly.
// On FrozenLake8x8-v1 the best policy succeeds within 200 steps with probability 0.913.

/// Value iteration and exact success probabilities on a known transition table.
public enum ValueIteration {
    /// One backup of action a in state s against V.
    static func backup(_ outcomes: [Outcome], _ values: [Double], discount: Double) -> Double {
        outcomes.reduce(0) { $0 + $1.probability * ($1.reward + ($1.terminated ? 0 : discount * values[$1.nextState])) }
    }

    /// Q* of the discounted problem, iterated until no value moves by more than `tolerance`.
    public static func optimalQ(_ model: some KnownDynamics, discount: Double, tolerance: Double = 1e-12,
                                maximumSweeps: Int = 100_000) -> QTable {
        let table = model.table.outcomes
        var q = QTable(stateCount: table.count, actionCount: table[0].count)
        var values = [Double](repeating: 0, count: table.count)
        for _ in 0..<maximumSweeps {
            var change = 0.0
            for s in table.indices {
                for a in table[s].indices { q[s, a] = backup(table[s][a], values, discount: discount) }
                let v = q.maximum(s)
                change = max(change, abs(v - values[s]))
                values[s] = v
            }
            if change < tolerance { break }
        }
        return q
    }

    /// The probability that `policy` (one action per state) collects the reward within `horizon` steps from `start`.
    public static func successProbability(_ model: some KnownDynamics, policy: [Int], horizon: Int, start: Int = 0) -> Double {
        finiteHorizon(model, horizon: horizon, start: start) { s, _ in [policy[s]] }
    }

    /// The best such probability of any policy (a non-stationary one may do better; within 200 steps on
    /// FrozenLake8x8 the difference does not show at four digits).
    public static func bestSuccessProbability(_ model: some KnownDynamics, horizon: Int, start: Int = 0) -> Double {
        finiteHorizon(model, horizon: horizon, start: start) { s, actions in Array(0..<actions) }
    }

    private static func finiteHorizon(_ model: some KnownDynamics, horizon: Int, start: Int,
                                      choices: (Int, Int) -> [Int]) -> Double {
        let table = model.table.outcomes
        var values = [Double](repeating: 0, count: table.count)
        for _ in 0..<horizon {
            values = table.indices.map { s in
                choices(s, table[s].count).map { backup(table[s][$0], values, discount: 1) }.max()!
            }
        }
        return values[start]
    }
}
