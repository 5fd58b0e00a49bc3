// REINFORCE with a learned baseline (Williams 1992; Sutton and Barto, §13.4):
// play whole episodes with the current policy, then for every step t
//   G_t   = r_t + γ r_{t+1} + γ² r_{t+2} + …     (bootstrapped with V(s_T) if the episode was truncated)
//   L_π   = −mean_t log π(a_t|s_t) · (G_t − V(s_t))      the baseline V lowers the variance, not the mean
//   L_V   = ½ mean_t (G_t − V(s_t))²
// and one Adam step on L_π + L_V − c_H · mean H(π(·|s_t)) per batch of episodes.
// Unlike PPO it uses each sample once and takes no care to keep the new
// policy near the old one, which is what makes it simple and noisy.

import Autograd
import Foundation
import NN
import Tensor

/// REINFORCE's settings: those with which lab-rl's REINFORCE solves CartPole-v1 (CleanRL has no REINFORCE to follow).
public struct REINFORCESettings: Sendable {
    /// The whole episodes played per update: 8, so that one update averages over several episodes' returns.
    public var episodesPerUpdate = 8
    /// γ, the discount of the returns G_t: 0.99, as PPO's and DQN's.
    public var discount: Float = 0.99
    /// Adam's learning rate: 1e-3, constant (PPO's starts at 2.5e-4 and is annealed).
    public var learningRate: Float = 1e-3
    /// c_H, the weight of the entropy bonus: 0.001, a tenth of PPO's, a light push toward exploring.
    public var entropyCoefficient: Float = 0.001
    /// The largest global norm of the gradient before a step: 1, a guard against large returns (G_t reaches about 100 on CartPole).
    public var maximumGradientNorm: Float = 1
    /// The defaults above.
    public init() {}
}

/// REINFORCE with a value baseline on one environment with vector observations.
public final class REINFORCE<Base: Environment> where Base.Observation == [Float] {
    /// The settings the run was made with.
    public let settings: REINFORCESettings
    /// The policy π (actor) and the baseline V (critic) being trained.
    public let network: ActorCritic
    /// The environment the episodes are played in.
    public var environment: Base
    /// The undiscounted return of every episode so far, in order.
    public private(set) var episodeReturns: [Double] = []
    /// Environment steps taken so far.
    public private(set) var environmentSteps = 0
    private let optimizer: Adam
    private var generator: RandomGenerator
    private var update = 0

    /// A run on `environment`: the network initialised from `seed`, the episodes and actions drawn from `seed` + 1.
    public init(_ environment: Base, settings: REINFORCESettings = REINFORCESettings(), seed: UInt64) {
        self.settings = settings
        self.environment = environment
        generator = RandomGenerator(seed: seed &+ 1)
        let first = self.environment.reset(using: &generator)
        network = ActorCritic(observationSize: first.count, actionCount: environment.actionCount, seed: seed)
        optimizer = Adam(network.parameters, learningRate: settings.learningRate)
    }

    /// Plays `settings.episodesPerUpdate` episodes and makes one update; returns the loss.
    @discardableResult
    public func train() throws -> Float {
        var observations: [Float] = [], actions: [Int] = [], returns: [Float] = []
        for _ in 0..<settings.episodesPerUpdate {
            var observation = environment.reset(using: &generator)
            var rewards: [Float] = []
            var bootstrap: Float = 0
            while true {
                let logProbabilities = network.inference(observation, count: 1).logProbabilities
                let action = generator.categorical(logProbabilities.map { Foundation.exp($0) })
                observations += observation
                actions.append(action)
                let step = environment.step(action, using: &generator)
                rewards.append(Float(step.reward))
                environmentSteps += 1
                observation = step.observation
                if step.isDone {
                    if step.truncated && !step.terminated { bootstrap = network.inference(observation, count: 1).values[0] }
                    break
                }
            }
            var g = bootstrap, episodeReturns = [Float](repeating: 0, count: rewards.count)
            for t in stride(from: rewards.count - 1, through: 0, by: -1) {
                g = rewards[t] + settings.discount * g
                episodeReturns[t] = g
            }
            returns += episodeReturns
            self.episodeReturns.append(Double(rewards.reduce(0, +)))
        }
        let n = actions.count, features = observations.count / n
        let x = Variable(Tensor(shape: [n, features], scalars: observations))
        let logProbabilities = network.logits(x).logSoftmax(axis: 1)
        let chosen = logProbabilities.targetLogProbabilities(actions)
        let value = network.value(x)
        let target = Variable(Tensor(shape: [n], scalars: returns))
        let advantage = noGrad { (target - value).value }
        let policyLoss = -(chosen * Variable(advantage)).mean()
        let valueLoss = ((target - value) * (target - value)).mean() * 0.5
        let entropy = -(logProbabilities.exp() * logProbabilities).sum(axis: 1).mean()
        let loss = policyLoss + valueLoss - entropy * settings.entropyCoefficient
        let lossValue = loss.value.scalars[0]
        update += 1
        guard lossValue.isFinite else { throw RLError.nonFiniteLoss(algorithm: "REINFORCE", update: update, loss: lossValue) }
        optimizer.zeroGrad()
        loss.backward()
        _ = clipGradNorm(optimizer.parameters, maxNorm: settings.maximumGradientNorm)
        optimizer.step()
        return lossValue
    }

    /// The mean return of the last `count` episodes (nil before that many).
    public func recentMeanReturn(_ count: Int = 20) -> Double? {
        guard episodeReturns.count >= count else { return nil }
        return episodeReturns.suffix(count).reduce(0, +) / Double(count)
    }
}
