// Phase 16's core: what the learner is given and does not re-implement (the
// environments, dynamic programming). These pass in the student edition too.
import GradingSupport
import RL
import Testing
import Tensor

@Suite("Phase 16 core: environments and dynamic programming")
struct CoreTests {
    @Test("FrozenLake-v1: every action's outcomes are a probability distribution; a slippery move has three", .points(1))
    func frozenLakeTable() {
        let lake = FrozenLake(map: FrozenLake.map4x4)
        for state in 0..<lake.stateCount {
            for action in 0..<lake.actionCount {
                let outcomes = lake.table.outcomes[state][action]
                #expect(abs(outcomes.reduce(0) { $0 + $1.probability } - 1) < 1e-12)
            }
        }
        #expect(lake.table.outcomes[0][1].count == 3)   // from S, "down": down, or slip left or right
    }

    @Test("Value iteration: the best policy on FrozenLake-v1 reaches the goal within 100 steps with probability 0.744", .points(1))
    func frozenLakeOptimum() {
        let best = ValueIteration.bestSuccessProbability(FrozenLake(map: FrozenLake.map4x4), horizon: 100)
        #expect(abs(best - 0.744) < 0.0005, "best \(best)")
    }

    @Test("CartPole-v1 ends (terminated, not truncated) when the pole leans past 12°", .points(1))
    func cartPoleTermination() {
        var cartPole = CartPole.v1()
        var generator = RandomGenerator(seed: 0)
        _ = cartPole.reset(using: &generator)
        cartPole.base.state = CartPoleState(x: 0, xDot: 0, theta: 0.25, thetaDot: 0)
        let step = cartPole.step(1, using: &generator)
        #expect(step.terminated && !step.truncated && step.reward == 1)
    }
}
