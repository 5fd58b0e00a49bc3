import Autograd
import Foundation
import NN
import Testing
import Tensor
@testable import RL

@Suite("PPO")
struct PPOTests {
    @Test("The clipped surrogate and its gradient equal hand-computed values (ε = 0.2, four cases of ρ and Â)")
    func clippedSurrogate() {
        // ρ = 1.1, Â = 2: inside the clip, L gets ρÂ, ∂/∂log π = −Â ρ / 4 = −0.55
        // ρ = 1.5, Â = 1: clipped at 1.2 (flat): 1.2, gradient 0
        // ρ = 0.5, Â = −1: clipped at 0.8 (flat): −0.8, gradient 0
        // ρ = 1.5, Â = −2: the unclipped −3 is the smaller: ∂/∂log π = −Â ρ / 4 = 0.75
        // L = −(2.2 + 1.2 − 0.8 − 3) / 4 = 0.1
        let old: [Float] = [-1, -0.5, -2, -0.25]
        let ratios: [Float] = [1.1, 1.5, 0.5, 1.5]
        let logProbabilities = Variable(Tensor(shape: [4], scalars: zip(old, ratios).map { $0 + Foundation.log($1) }), requiresGrad: true)
        let (loss, ratio, _) = ClippedSurrogate.loss(logProbabilities: logProbabilities, oldLogProbabilities: old,
                                                     advantages: [2, 1, -1, -2], clip: 0.2)
        #expect(abs(loss.value.scalars[0] - 0.1) < 1e-6)
        for (r, expected) in zip(ratio.value.scalars, ratios) { #expect(abs(r - expected) < 1e-6) }
        loss.backward()
        let gradient = logProbabilities.grad!.scalars
        for (g, expected) in zip(gradient, [Float(-0.55), 0, 0, 0.75]) { #expect(abs(g - expected) < 1e-6) }
    }

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
    @Test("REINFORCE with a baseline solves CartPole-v1 (mean of the last 20 episodes ≥ 475) within 1 000 000 steps (seed 1)")
    func solvesCartPole() throws {
        let agent = REINFORCE(CartPole.v1(), seed: 1)
        try agent.train()
        let first = agent.episodeReturns.reduce(0, +) / Double(agent.episodeReturns.count)
        #expect(first < 60)
        while agent.environmentSteps < 1_000_000, (agent.recentMeanReturn() ?? 0) < 475 { try agent.train() }
        #expect((agent.recentMeanReturn() ?? 0) >= 475, "after \(agent.environmentSteps) steps: \(agent.recentMeanReturn() ?? -1)")
    }
}
