import Foundation
import Testing
import Tensor
@testable import RL

@Suite("Tabular learning")
struct TabularTests {
    @Test("LinearSchedule: ε from 1 to 0.01 over half the episodes, then 0.01")
    func schedule() {
        let epsilon = LinearSchedule(from: 1, to: 0.01, over: 0.5)
        #expect(epsilon.value(at: 0, of: 1000) == 1)
        #expect(abs(epsilon.value(at: 250, of: 1000) - 0.505) < 1e-12)
        #expect(abs(epsilon.value(at: 500, of: 1000) - 0.01) < 1e-12)
        #expect(abs(epsilon.value(at: 900, of: 1000) - 0.01) < 1e-12)
    }

    @Test("Value iteration: the best policy on FrozenLake8x8-v1 reaches the goal within 200 steps with probability 0.913")
    func frozenLakeOptimum() {
        let lake = FrozenLake(map: FrozenLake.map8x8)
        let best = ValueIteration.bestSuccessProbability(lake, horizon: 200)
        #expect(abs(best - 0.913) < 0.0005, "best \(best)")
        // The greedy policy of the discounted (γ = 0.99) optimum is nearly as good.
        let q = ValueIteration.optimalQ(lake, discount: 0.99)
        let greedy = ValueIteration.successProbability(lake, policy: q.greedyPolicy, horizon: 200)
        #expect(greedy <= best + 1e-12 && greedy > 0.85, "greedy \(greedy)")
        // A policy that only pushes left never leaves the first tiles.
        #expect(ValueIteration.successProbability(lake, policy: Array(repeating: 0, count: 64), horizon: 200) == 0)
    }

    @Test("Q-learning and SARSA on slippery FrozenLake-v1 learn a policy within 0.03 of the best one", arguments: TDTarget.allCases)
    func frozenLake4x4(target: TDTarget) {
        let lake = FrozenLake(map: FrozenLake.map4x4)
        let best = ValueIteration.bestSuccessProbability(lake, horizon: 100)
        let run = TabularControl.train(FrozenLake.v1(), settings: TabularSettings(episodes: 20_000, target: target), seed: 7)
        let learned = ValueIteration.successProbability(lake, policy: run.q.greedyPolicy, horizon: 100)
        #expect(learned > best - 0.03, "\(target): learned \(learned), best \(best)")
        // The simulated success rate agrees with the exact one.
        let simulated = PolicyEvaluation.successRate(FrozenLake.v1(), episodes: 4_000, seed: 11) { run.q.greedyAction($0) }
        #expect(abs(simulated.successRate - learned) < 0.03)
        #expect(run.returns.count == 20_000 && run.steps > 20_000)
    }

    @Test("Q-learning converges to the closed-form Q* on the chain S → F → F → G: V*(s) = γ^(2 − s), Q*(s, a) = r + γ V*(s′)")
    func chainOptimalValues() {
        // Three states before the goal in a row, moves never slip: right moves on (reward 1 on reaching G),
        // left moves back (or bumps the wall at 0), up and down bump the walls and stay.
        let chain = TimeLimit(FrozenLake(map: ["SFFG"], slippery: false), maximumSteps: 100)
        let gamma = 0.9
        // Off-policy: from uniformly random behaviour (ε = 1) Q-learning still learns the greedy policy's values.
        let settings = TabularSettings(episodes: 3_000, discount: gamma, epsilon: .constant(1), stepSize: .constant(0.5))
        let run = TabularControl.train(chain, settings: settings, seed: 4)
        func optimalValue(_ state: Int) -> Double { state == 3 ? 0 : pow(gamma, Double(2 - state)) }
        for state in 0..<3 {
            let left = max(state - 1, 0), right = state + 1
            let expected = [gamma * optimalValue(left), gamma * optimalValue(state),
                            (right == 3 ? 1 : 0) + gamma * optimalValue(right), gamma * optimalValue(state)]
            for action in 0..<4 {
                #expect(abs(run.q[state, action] - expected[action]) < 1e-6, "Q(\(state), \(action))")
            }
        }
        #expect(run.q.greedyAction(0) == 2 && run.q.greedyAction(1) == 2 && run.q.greedyAction(2) == 2)
    }

    @Test("Q-learning's update on one transition: Q ← Q + α (r + γ max Q(s′) − Q), r alone at a terminal state")
    func oneUpdate() {
        // A two-tile corridor "SG": moving right from S reaches G (reward 1, terminal).
        let corridor = FrozenLake(map: ["SG"], slippery: false)
        let settings = TabularSettings(episodes: 1, discount: 0.9, epsilon: .constant(0), stepSize: .constant(0.5))
        // Greedy on a zero table picks action 0 (left) first: it bumps the wall, Q(0, left) stays 0 (γ max Q = 0);
        // then still action 0 forever until the step limit, so use a limit of 3 steps.
        let run = TabularControl.train(TimeLimit(corridor, maximumSteps: 3), settings: settings, seed: 0)
        #expect(run.q[0, 0] == 0 && run.steps == 3 && run.returns == [0])
        // Going right once: Q(0, right) = 0 + 0.5 (1 − 0) = 0.5.
        var q = QTable(stateCount: 2, actionCount: 4)
        q[0, 2] += 0.5 * (1 - q[0, 2])
        let rightFirst = TabularSettings(episodes: 1, discount: 0.9, epsilon: .constant(1), stepSize: .constant(0.5))
        let explored = TabularControl.train(TimeLimit(corridor, maximumSteps: 50), settings: rightFirst, seed: 1)
        #expect(explored.q[0, 2] == 0.5 && explored.returns == [1])
    }
}

@Suite("Cliff walking")
struct CliffWalkingTests {
    /// The greedy path from the start, as states, until the goal or 30 steps.
    func greedyPath(_ q: QTable) -> [Int] {
        var env = CliffWalking(), generator = RandomGenerator(seed: 0)
        var path = [env.reset(using: &generator)]
        for _ in 0..<30 {
            let step = env.step(q.greedyAction(path.last!), using: &generator)
            path.append(step.observation)
            if step.terminated { break }
        }
        return path
    }

    @Test("Q-learning learns the 13-step path along the cliff's edge; SARSA a safer, longer one (Sutton and Barto, Example 6.6)")
    func qLearningVersusSARSA() {
        let settings = { (target: TDTarget) in
            TabularSettings(episodes: 3_000, discount: 1, epsilon: .constant(0.1), stepSize: .constant(0.5), target: target)
        }
        let q = TabularControl.train(CliffWalking(), settings: settings(.qLearning), seed: 5)
        let sarsa = TabularControl.train(CliffWalking(), settings: settings(.sarsa), seed: 5)
        let edge = greedyPath(q.q), safe = greedyPath(sarsa.q)
        #expect(edge.last == CliffWalking.goal && edge.count - 1 == 13, "Q-learning path \(edge)")
        #expect(safe.last == CliffWalking.goal && safe.count - 1 > 13, "SARSA path \(safe)")
        // SARSA's path keeps off the row next to the cliff except at its two ends.
        #expect(!safe.contains { CliffWalking.isCliff($0) })
        // While exploring, SARSA's episodes earn more than Q-learning's (it does not walk the edge with ε = 0.1).
        let lastReturns = { (run: TabularRun) in run.returns.suffix(500).reduce(0, +) / 500 }
        #expect(lastReturns(sarsa) > lastReturns(q))
    }
}
