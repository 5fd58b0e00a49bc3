import Autograd
import NN
import Testing
import Tensor
@testable import RL

@Suite("PPO")
struct PPOTests {
    @Test("Orthogonal initialisation: W Wᵀ = gain² I for a wide weight, Wᵀ W = gain² I for a tall one")
    func orthogonal() {
        var generator = RandomGenerator(seed: 9)
        for (shape, gain) in [([8, 64], Float(2).squareRoot()), ([64, 4], Float(1))] {
            let w = Initialization.orthogonal(shape, gain: gain, using: &generator)
            let product = shape[0] < shape[1] ? Tensor.matmul(w, w.transposed()) : Tensor.matmul(w.transposed(), w)
            let k = min(shape[0], shape[1])
            for i in 0..<k {
                for j in 0..<k {
                    #expect(abs(product.scalars[i * k + j] - (i == j ? gain * gain : 0)) < 1e-4)
                }
            }
        }
    }

    @Test("The first policy is nearly uniform (output gain 0.01) and its logits are ActorCritic's")
    func initialPolicy() {
        let network = ActorCritic(observationSize: 4, actionCount: 2, seed: 3)
        let x = Variable(Tensor(shape: [3, 4], scalars: [0.01, -0.02, 0.03, 0.04, 0.05, 0, -0.05, 0.02, 0, 0, 0, 0]))
        let p = noGrad { network.logits(x).logSoftmax(axis: 1).exp().value.scalars }
        #expect(p.allSatisfy { abs($0 - 0.5) < 0.01 })
        #expect(network.parameters.count == 12)
    }

    @Test("PPO with CleanRL's settings solves CartPole-v1 (mean of the last 20 episodes ≥ 475) within 500 000 steps (seed 1)")
    func learnsCartPole() throws {
        var settings = PPOSettings()
        settings.solveThreshold = 475   // W15's criterion; CleanRL's defaults otherwise
        let ppo = PPO(settings: settings, seed: 1) { CartPole.v1() }
        let early = try #require(try ppo.iterate())
        #expect(early.entropy > 0.68)   // log 2 = 0.693 at a uniform policy
        for _ in 1..<settings.iterations where try ppo.iterate() != nil {}
        #expect(ppo.solvedAtStep != nil, "mean of the last 20 episodes: \(ppo.recentMeanReturn() ?? -1)")
        #expect((ppo.recentMeanReturn() ?? 0) >= 475)
        #expect(ppo.environmentSteps <= 500_000)
    }
}

@Suite("Actor-critic inference")
struct ActorCriticInferenceTests {
    @Test("The rollout's graph-free forward equals the training forward to 1e-5")
    func inferenceMatchesGraph() {
        let network = ActorCritic(observationSize: 4, actionCount: 2, seed: 5)
        var generator = RandomGenerator(seed: 6)
        let observations = (0..<(7 * 4)).map { _ in generator.uniform(-2, 2) }
        let fast = network.inference(observations, count: 7)
        let x = Variable(Tensor(shape: [7, 4], scalars: observations))
        let graphLogProbabilities = noGrad { network.logits(x).logSoftmax(axis: 1).value.scalars }
        let graphValues = noGrad { network.value(x).value.scalars }
        for (a, b) in zip(fast.logProbabilities, graphLogProbabilities) { #expect(abs(a - b) < 1e-5) }
        for (a, b) in zip(fast.values, graphValues) { #expect(abs(a - b) < 1e-5) }
    }
}

@Suite("REINFORCE")
struct REINFORCETests {
    @Test("REINFORCE with a baseline lifts CartPole's mean return from about 20 to over 150 (seed 2)")
    func learnsCartPole() throws {
        let agent = REINFORCE(CartPole.v1(), seed: 2)
        try agent.train()
        let first = agent.episodeReturns.reduce(0, +) / Double(agent.episodeReturns.count)
        #expect(first < 60)
        var updates = 1
        while updates < 150, (agent.recentMeanReturn() ?? 0) < 150 { try agent.train(); updates += 1 }
        #expect((agent.recentMeanReturn() ?? 0) >= 150, "after \(updates) updates: \(agent.recentMeanReturn() ?? -1)")
    }
}
