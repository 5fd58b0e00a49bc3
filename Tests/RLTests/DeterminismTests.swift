import Testing
import Tensor
@testable import RL

/// Every learner draws all its randomness from its seed: two runs with one seed are the same run.
@Suite("Seeded runs are deterministic")
struct DeterminismTests {
    @Test("Q-learning and SARSA: the same seed gives the same table and returns, another seed a different run")
    func tabular() {
        let settings = TabularSettings(episodes: 2_000)
        for target in TDTarget.allCases {
            var s = settings
            s.target = target
            let a = TabularControl.train(FrozenLake.v1(), settings: s, seed: 5)
            let b = TabularControl.train(FrozenLake.v1(), settings: s, seed: 5)
            let c = TabularControl.train(FrozenLake.v1(), settings: s, seed: 6)
            #expect(a.q == b.q && a.returns == b.returns && a.steps == b.steps)
            #expect(a.returns != c.returns)
        }
    }

    @Test("PPO: three iterations twice with one seed give the same episodes and the same weights")
    func ppo() throws {
        func run(_ seed: UInt64) throws -> (episodes: [FinishedEpisode], weights: [[Float]]) {
            let ppo = PPO(seed: seed) { CartPole.v1() }
            for _ in 0..<3 { _ = try ppo.iterate() }
            return (ppo.episodes, ppo.network.parameters.map(\.value.scalars))
        }
        let (a, b, c) = (try run(2), try run(2), try run(3))
        #expect(a.episodes == b.episodes && a.weights == b.weights)
        #expect(a.episodes != c.episodes)
    }

    @Test("DQN: 11 000 steps (100 updates, 2 target refreshes) twice with one seed give the same losses and weights")
    func dqn() throws {
        func run(_ seed: UInt64) throws -> (losses: [Float], weights: [[Float]], returns: [Double]) {
            let dqn = DQN(CartPole.v1(), seed: seed)
            try dqn.advance(steps: 11_000)
            return (dqn.losses, dqn.network.parameters.map(\.value.scalars), dqn.episodeReturns)
        }
        let (a, b, c) = (try run(7), try run(7), try run(8))
        #expect(a.losses.count == 100)
        #expect(a.losses == b.losses && a.weights == b.weights && a.returns == b.returns)
        #expect(a.returns != c.returns)
    }

    @Test("REINFORCE: five updates twice with one seed give the same returns and weights")
    func reinforce() throws {
        func run(_ seed: UInt64) throws -> (returns: [Double], weights: [[Float]]) {
            let agent = REINFORCE(CartPole.v1(), seed: seed)
            for _ in 0..<5 { try agent.train() }
            return (agent.episodeReturns, agent.network.parameters.map(\.value.scalars))
        }
        let (a, b, c) = (try run(4), try run(4), try run(5))
        #expect(a.returns == b.returns && a.weights == b.weights)
        #expect(a.returns != c.returns)
    }
}
