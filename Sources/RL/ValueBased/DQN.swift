// Deep Q-learning (Mnih et al. 2015), as CleanRL's dqn.py runs it on CartPole:
// Q-learning with a neural network for Q, kept stable by two devices,
//   experience replay   learn from minibatches drawn from the last N
//                       transitions (ReplayBuffer.swift), not the latest step
//   a target network    the TD target uses a copy Q̄ of the network that is
//                       refreshed only every C steps, so it does not chase itself:
//     y    = r + γ (1 − terminated) max_a′ Q̄(s′, a′)
//     L(θ) = mean (Q_θ(s, a) − y)²       (or the Huber loss of the difference)
// Every step acts ε-greedily on Q_θ (ε falls linearly from 1 to 0.05 over
// half the run) and stores the transition; after `learningStarts` steps, one
// Adam step on a minibatch every `trainFrequency` steps, and Q̄ ← τ Q_θ + (1 − τ) Q̄
// every `targetUpdateInterval` steps. A truncated episode (the 500-step limit)
// stores terminated = 0: its last state still had a future.

import Autograd
import Foundation
import NN
import Tensor

/// DQN's settings: CleanRL's dqn.py defaults for CartPole-v1.
///
/// Each field names the dqn.py argument it mirrors; change fields one by one from `DQNSettings()`.
public struct DQNSettings: Sendable {
    /// The budget of environment steps: 500 000, CleanRL's `total_timesteps`.
    public var totalSteps = 500_000
    /// Adam's learning rate, constant: 2.5e-4 (`learning_rate`).
    public var learningRate: Float = 2.5e-4
    /// N, the transitions the replay buffer keeps: 10 000 (`buffer_size`), the oldest overwritten first.
    public var bufferSize = 10_000
    /// γ, the discount: 0.99 (`gamma`).
    public var discount: Float = 0.99
    /// τ, the share of Q in Q̄ ← τ Q + (1 − τ) Q̄ at each refresh: 1 (`tau`), a hard copy.
    public var tau: Float = 1
    /// C, the environment steps between refreshes of the target network Q̄: 500 (`target_network_frequency`).
    public var targetUpdateInterval = 500
    /// The transitions drawn from the buffer per update: 128 (`batch_size`).
    public var batchSize = 128
    /// ε of ε-greedy over the run: from 1 to 0.05 over its first half (`start_e`, `end_e`, `exploration_fraction`).
    public var epsilon = LinearSchedule(from: 1, to: 0.05, over: 0.5)
    /// The steps played before the first update: 10 000 (`learning_starts`), so the buffer is full of varied
    /// transitions (played at ε near 1) when learning begins.
    public var learningStarts = 10_000
    /// The environment steps per update: 10 (`train_frequency`).
    public var trainFrequency = 10
    /// The sizes of the Q-network's hidden layers: [120, 84], dqn.py's `QNetwork`.
    public var hidden = [120, 84]
    /// The Huber loss (quadratic within ±1, linear outside) instead of the squared error: false, as dqn.py's `F.mse_loss`.
    public var huberLoss = false
    /// Stop as soon as the mean return of the last `solveWindow` episodes reaches this (nil: never).
    ///
    /// nil by default, as dqn.py runs its whole budget; lab-rl sets 475, CartPole-v1's reward threshold.
    public var solveThreshold: Double? = nil
    /// The number of episodes averaged for `solveThreshold`: 20, lab-rl's solving rule.
    public var solveWindow = 20

    /// CleanRL's defaults.
    public init() {}
}

/// DQN on one environment with vector observations.
public final class DQN<Base: Environment> where Base.Observation == [Float] {
    /// The settings the run was made with.
    public let settings: DQNSettings
    /// Q_θ, the network being trained and acted with.
    public let network: QNetwork
    /// Q̄, the network the TD targets are computed with.
    public let target: QNetwork
    /// The environment being played.
    public var environment: Base
    /// The last `settings.bufferSize` transitions.
    public private(set) var buffer: ReplayBuffer
    /// Environment steps taken so far.
    public private(set) var environmentSteps = 0
    /// The return of every finished episode, in order.
    public private(set) var episodeReturns: [Double] = []
    /// The loss of every update, in order.
    public private(set) var losses: [Float] = []
    /// The environment step at which the run was solved (settings.solveThreshold), if it was.
    public private(set) var solvedAtStep: Int?
    private let optimizer: Adam
    private var generator: RandomGenerator
    private var observation: [Float]
    private var episodeReturn = 0.0

    /// A run on `environment`: Q and Q̄ initialised alike from `seed`, the episodes, ε-greedy draws and minibatches from `seed` + 1.
    public init(_ environment: Base, settings: DQNSettings = DQNSettings(), seed: UInt64) {
        precondition(settings.batchSize > 0 && settings.trainFrequency > 0 && settings.targetUpdateInterval > 0,
                     "DQN: batch size, train frequency and target interval must be positive")
        self.settings = settings
        self.environment = environment
        generator = RandomGenerator(seed: seed &+ 1)
        observation = self.environment.reset(using: &generator)
        network = QNetwork(observationSize: observation.count, actionCount: environment.actionCount,
                           hidden: settings.hidden, seed: seed)
        target = QNetwork(observationSize: observation.count, actionCount: environment.actionCount,
                          hidden: settings.hidden, seed: seed)
        target.blend(from: network, tau: 1)
        buffer = ReplayBuffer(capacity: settings.bufferSize, observationSize: observation.count)
        optimizer = Adam(network.parameters, learningRate: settings.learningRate)
    }

    /// ε at the current step.
    public var epsilon: Double { settings.epsilon.value(at: environmentSteps, of: settings.totalSteps) }

    /// Whether the run has ended: solved, or the step budget spent.
    public var isFinished: Bool { solvedAtStep != nil || environmentSteps >= settings.totalSteps }

    /// Takes up to `steps` more environment steps, learning as it goes; stops early when the run ends.
    public func advance(steps: Int) throws {
        for _ in 0..<steps where !isFinished {
            try step()
        }
    }

    /// One environment step, then (on schedule) one update and one target refresh.
    private func step() throws {
        let action = generator.nextUniformDouble() < epsilon
            ? generator.nextInt(below: environment.actionCount) : network.greedyAction(observation)
        let outcome = environment.step(action, using: &generator)
        buffer.append(observation: observation, action: action, reward: Float(outcome.reward),
                      nextObservation: outcome.observation, terminated: outcome.terminated)
        episodeReturn += outcome.reward
        observation = outcome.observation
        environmentSteps += 1
        if outcome.isDone {
            episodeReturns.append(episodeReturn)
            episodeReturn = 0
            observation = environment.reset(using: &generator)
            if let threshold = settings.solveThreshold, let mean = recentMeanReturn(settings.solveWindow), mean >= threshold {
                solvedAtStep = environmentSteps
                return
            }
        }
        if environmentSteps > settings.learningStarts {
            if environmentSteps % settings.trainFrequency == 0 { try update() }
            if environmentSteps % settings.targetUpdateInterval == 0 { target.blend(from: network, tau: settings.tau) }
        }
    }

    /// One Adam step on a minibatch from the replay buffer.
    private func update() throws {
        let batch = buffer.sample(settings.batchSize, using: &generator)
        let loss = Self.temporalDifferenceLoss(network: network, target: target, batch: batch,
                                               discount: settings.discount, huber: settings.huberLoss)
        let lossValue = loss.value.scalars[0]
        guard lossValue.isFinite else {
            throw RLError.nonFiniteLoss(algorithm: "DQN", update: losses.count + 1, loss: lossValue)
        }
        losses.append(lossValue)
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
    }

    /// mean over the batch of ℓ(Q(s, a) − y), y = r + γ (1 − terminated) max_a′ Q̄(s′, a′); ℓ squared or Huber.
    public static func temporalDifferenceLoss(network: QNetwork, target: QNetwork, batch: TransitionBatch,
                                              discount: Float, huber: Bool) -> Variable {
        let m = batch.count, actions = network.actionCount, features = batch.observations.count / m
        let nextQ = target.inference(batch.nextObservations, count: m)
        let y = (0..<m).map { i in
            batch.rewards[i] + discount * (1 - batch.terminated[i]) * nextQ[(i * actions)..<((i + 1) * actions)].max()!
        }
        let q = network.qValues(Variable(Tensor(shape: [m, features], scalars: batch.observations)))
        let taken = q.reshaped([m * actions]).gathering((0..<m).map { $0 * actions + batch.actions[$0] })
        let difference = taken - Variable(Tensor(shape: [m], scalars: y))
        guard huber else { return (difference * difference).mean() }
        // Huber: ½ d² for |d| ≤ 1, |d| − ½ beyond; with c = min(|d|, 1) that is ½ c² + (|d| − c).
        let size = difference.abs(), inside = size.clamped(max: 1)
        return (inside * inside * 0.5 + (size - inside)).mean()
    }

    /// The mean return of the last `count` episodes (nil before that many).
    public func recentMeanReturn(_ count: Int = 20) -> Double? {
        guard episodeReturns.count >= count else { return nil }
        return episodeReturns.suffix(count).reduce(0, +) / Double(count)
    }
}
