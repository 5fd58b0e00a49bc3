import Autograd
import NN
import Testing
import Tensor
@testable import RL

@Suite("DQN")
struct DQNTests {
    @Test("The replay buffer keeps the last `capacity` transitions and samples only those")
    func replayRing() {
        var buffer = ReplayBuffer(capacity: 3, observationSize: 2)
        for i in 0..<5 {
            buffer.append(observation: [Float(i), 0], action: i % 2, reward: Float(i), nextObservation: [Float(i + 1), 0],
                          terminated: i == 4)
        }
        #expect(buffer.count == 3)
        var generator = RandomGenerator(seed: 1)
        let batch = buffer.sample(200, using: &generator)
        #expect(Set(batch.rewards) == [2, 3, 4])
        for i in 0..<batch.count {
            let r = batch.rewards[i]
            #expect(batch.observations[2 * i] == r && batch.nextObservations[2 * i] == r + 1)
            #expect(batch.actions[i] == Int(r) % 2 && batch.terminated[i] == (r == 4 ? 1 : 0))
        }
    }

    @Test("The TD loss is mean ℓ(Q(s,a) − (r + γ (1 − done) max Q̄(s′))), squared or Huber, computed by hand", arguments: [false, true])
    func temporalDifferenceLoss(huber: Bool) {
        let network = QNetwork(observationSize: 3, actionCount: 2, hidden: [5], seed: 1)
        let target = QNetwork(observationSize: 3, actionCount: 2, hidden: [5], seed: 2)
        var generator = RandomGenerator(seed: 3)
        let observations = (0..<12).map { _ in generator.uniform(-2, 2) }
        let nextObservations = (0..<12).map { _ in generator.uniform(-2, 2) }
        let batch = TransitionBatch(observations: observations, actions: [0, 1, 1, 0], rewards: [1, 0, 3, -2],
                                    nextObservations: nextObservations, terminated: [0, 1, 0, 0])
        let q = network.inference(observations, count: 4), nextQ = target.inference(nextObservations, count: 4)
        var expected: Float = 0
        for i in 0..<4 {
            let bootstrap = batch.terminated[i] == 1 ? 0 : 0.9 * max(nextQ[2 * i], nextQ[2 * i + 1])
            let d = q[2 * i + batch.actions[i]] - (batch.rewards[i] + bootstrap)
            expected += huber ? (abs(d) <= 1 ? 0.5 * d * d : abs(d) - 0.5) : d * d
        }
        expected /= 4
        let loss = DQN<CartPole>.temporalDifferenceLoss(network: network, target: target, batch: batch, discount: 0.9, huber: huber)
        #expect(abs(loss.value.scalars[0] - expected) < 1e-5 * max(1, abs(expected)))
        // The gradient reaches the online network only.
        loss.backward()
        #expect(network.parameters.allSatisfy { $0.grad != nil })
        #expect(target.parameters.allSatisfy { $0.grad == nil })
    }

    @Test("The graph-free Q forward equals the training forward to 1e-5")
    func inferenceMatchesGraph() {
        let network = QNetwork(observationSize: 4, actionCount: 2, seed: 5)
        var generator = RandomGenerator(seed: 6)
        let observations = (0..<(9 * 4)).map { _ in generator.uniform(-2, 2) }
        let graph = noGrad { network.qValues(Variable(Tensor(shape: [9, 4], scalars: observations))).value.scalars }
        for (a, b) in zip(network.inference(observations, count: 9), graph) { #expect(abs(a - b) < 1e-5) }
    }

    @Test("The target network stays fixed between refreshes and copies the online one every 500 steps")
    func targetRefresh() throws {
        let dqn = DQN(CartPole.v1(), seed: 3)
        let initial = dqn.network.parameters.map(\.value.scalars)
        try dqn.advance(steps: 10_400)   // learning starts after 10 000 steps: 40 updates, no refresh yet
        #expect(dqn.losses.count == 40)
        #expect(dqn.target.parameters.map(\.value.scalars) == initial)
        #expect(dqn.network.parameters.map(\.value.scalars) != initial)
        try dqn.advance(steps: 100)
        #expect(dqn.target.parameters.map(\.value.scalars) == dqn.network.parameters.map(\.value.scalars))
    }

    @Test("DQN with CleanRL's settings solves CartPole-v1 (mean of the last 20 episodes ≥ 475) within 500 000 steps (seed 4)")
    func learnsCartPole() throws {
        var settings = DQNSettings()
        settings.solveThreshold = 475
        let dqn = DQN(CartPole.v1(), settings: settings, seed: 4)
        try dqn.advance(steps: settings.totalSteps)
        #expect(dqn.solvedAtStep != nil, "mean of the last 20 episodes: \(dqn.recentMeanReturn() ?? -1)")
        #expect((dqn.recentMeanReturn() ?? 0) >= 475)
        #expect(dqn.environmentSteps <= 500_000)
    }
}
