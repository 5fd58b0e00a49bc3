// Proximal policy optimisation with a clipped surrogate (Schulman et al. 2017),
// as CleanRL's ppo.py runs it on discrete actions. Each iteration:
//   rollout   N environments × T steps with the current policy, keeping
//             s, a, log π_old(a|s), r, done, V_old(s)
//   GAE       advantages A and returns R = A + V_old (AdvantageEstimation.swift)
//   update    E epochs over the N·T samples in M shuffled minibatches:
//     Â      = (A − mean A) / (std A + 1e-8)                   per minibatch
//     L_clip = −mean(min(ρ Â, clip(ρ, 1 − ε, 1 + ε) Â)),  ρ = π/π_old   (ClippedSurrogate.swift)
//     L_V    = ½ mean(max((V − R)², (V_old + clip(V − V_old, −ε, ε) − R)²))   (or ½ mean (V − R)²)
//     L      = L_clip − c_H · mean H(π(·|s)) + c_V · L_V
//             one Adam step (ε 1e-5) after clipping the gradient's norm at 0.5
//   the learning rate falls linearly to 0 over the iterations.

import Autograd
import Foundation
import NN
import Tensor

/// PPO's settings: CleanRL's ppo.py defaults, W15's.
public struct PPOSettings: Sendable {
    public var totalSteps = 500_000
    public var environments = 4
    public var stepsPerRollout = 128
    public var learningRate: Float = 2.5e-4
    public var annealLearningRate = true
    public var discount: Float = 0.99
    public var gaeLambda: Float = 0.95
    public var minibatches = 4
    public var epochs = 4
    public var normalizeAdvantages = true
    public var clip: Float = 0.2
    public var clipValueLoss = true
    public var entropyCoefficient: Float = 0.01
    public var valueCoefficient: Float = 0.5
    public var maximumGradientNorm: Float = 0.5
    /// Stop as soon as the mean return of the last `solveWindow` finished episodes reaches this (nil: never).
    public var solveThreshold: Double? = nil
    public var solveWindow = 20

    public init() {}

    public var batchSize: Int { environments * stepsPerRollout }
    public var minibatchSize: Int { batchSize / minibatches }
    public var iterations: Int { totalSteps / batchSize }
}

/// How an iteration went.
public struct PPOIteration: Sendable {
    public var iteration: Int
    public var environmentSteps: Int
    public var policyLoss: Float, valueLoss: Float, entropy: Float
    public var approximateKL: Float, clipFraction: Float
    public var learningRate: Float
}

/// PPO on N copies of an environment with vector observations.
public final class PPO<Base: Environment> where Base.Observation == [Float] {
    public let settings: PPOSettings
    public let network: ActorCritic
    public var envs: VectorEnvironment<Base>
    public private(set) var environmentSteps = 0
    /// Every finished episode so far, in order.
    public private(set) var episodes: [FinishedEpisode] = []
    private let optimizer: Adam
    private var generator: RandomGenerator
    private var iteration = 0
    /// The environment step at which the run was solved (settings.solveThreshold), if it was.
    public private(set) var solvedAtStep: Int?

    public init(settings: PPOSettings = PPOSettings(), seed: UInt64, make: @escaping () -> Base) {
        precondition(settings.batchSize % settings.minibatches == 0, "PPO: the batch must split into equal minibatches")
        self.settings = settings
        envs = VectorEnvironment(count: settings.environments, seed: seed &+ 1, make: make)
        let first = envs.reset()
        network = ActorCritic(observationSize: first[0].count, actionCount: envs.actionCount, seed: seed)
        optimizer = Adam(network.parameters, learningRate: settings.learningRate, epsilon: 1e-5)
        generator = RandomGenerator(seed: seed &+ 2)
    }

    /// The greedy action for one observation.
    public func greedyAction(_ observation: [Float]) -> Int {
        let logits = noGrad { network.logits(Variable(Tensor(shape: [1, observation.count], scalars: observation))).value.scalars }
        return logits.indices.max { logits[$0] < logits[$1] }!
    }

    /// One rollout and one update; returns the iteration's figures, or nil when the run was
    /// solved during the rollout (then there is no update, as in CleanRL's loop with a target).
    public func iterate() throws -> PPOIteration? {
        if solvedAtStep != nil { return nil }
        let n = settings.environments, t = settings.stepsPerRollout, batch = settings.batchSize
        let features = envs.observations[0].count
        iteration += 1
        let rate = settings.annealLearningRate
            ? settings.learningRate * (1 - Float(iteration - 1) / Float(Swift.max(1, settings.iterations))) : settings.learningRate
        optimizer.learningRate = rate

        // Rollout.
        var observations = [Float](), actions = [Int](), oldLogProbabilities = [Float](), rewards = [Float](),
            dones = [Bool](), values = [Float]()
        observations.reserveCapacity(batch * features)
        for _ in 0..<t {
            let current = envs.observations.flatMap { $0 }
            observations += current
            let (logProbabilities, value) = network.inference(current, count: n)
            let actionCount = logProbabilities.count / n
            var chosen = [Int]()
            for i in 0..<n {
                let row = logProbabilities[(i * actionCount)..<((i + 1) * actionCount)]
                let a = generator.categorical(row.map { Foundation.exp($0) })
                chosen.append(a)
                oldLogProbabilities.append(row[row.startIndex + a])
            }
            actions += chosen
            values += value
            let (steps, finished) = envs.step(chosen)
            rewards += steps.map { Float($0.reward) }
            dones += steps.map(\.isDone)
            episodes += finished
            environmentSteps += n
            if let threshold = settings.solveThreshold, !finished.isEmpty,
               let mean = recentMeanReturn(settings.solveWindow), mean >= threshold {
                solvedAtStep = environmentSteps
                return nil
            }
        }
        let lastValues = network.inference(envs.observations.flatMap { $0 }, count: n).values
        let estimates = AdvantageEstimation.generalized(rewards: rewards, values: values, dones: dones, lastValues: lastValues,
                                                        steps: t, envs: n, discount: settings.discount, lambda: settings.gaeLambda)

        // Update.
        var order = Array(0..<batch)
        var last = (policy: Float(0), value: Float(0), entropy: Float(0), kl: Float(0)), clipped = 0, seen = 0
        for _ in 0..<settings.epochs {
            generator.shuffle(&order)
            for start in stride(from: 0, to: batch, by: settings.minibatchSize) {
                let indices = Array(order[start..<(start + settings.minibatchSize)])
                let m = indices.count
                let x = Variable(Tensor(shape: [m, features], generator: { observations[indices[$0 / features] * features + $0 % features] }))
                let logProbabilitiesAll = network.logits(x).logSoftmax(axis: 1)
                var advantages = indices.map { estimates.advantages[$0] }
                if settings.normalizeAdvantages {
                    let mean = advantages.reduce(0, +) / Float(m)
                    let variance = advantages.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(m - 1)   // torch.std: unbiased
                    advantages = advantages.map { ($0 - mean) / (variance.squareRoot() + 1e-8) }
                }
                let (policyLoss, ratio, logRatio) = ClippedSurrogate.loss(
                    logProbabilities: logProbabilitiesAll.targetLogProbabilities(indices.map { actions[$0] }),
                    oldLogProbabilities: indices.map { oldLogProbabilities[$0] }, advantages: advantages, clip: settings.clip)

                let value = network.value(x)
                let returns = Variable(Tensor(shape: [m], scalars: indices.map { estimates.returns[$0] }))
                let valueLoss: Variable
                if settings.clipValueLoss {
                    let oldValues = Variable(Tensor(shape: [m], scalars: indices.map { values[$0] }))
                    let clippedValue = oldValues + (value - oldValues).clamped(min: -settings.clip, max: settings.clip)
                    let a2 = (value - returns) * (value - returns), b2 = (clippedValue - returns) * (clippedValue - returns)
                    // max(a², b²) = b² + relu(a² − b²)
                    valueLoss = (b2 + (a2 - b2).relu()).mean() * 0.5
                } else {
                    valueLoss = ((value - returns) * (value - returns)).mean() * 0.5
                }
                let entropy = -(logProbabilitiesAll.exp() * logProbabilitiesAll).sum(axis: 1).mean()
                let loss = policyLoss - entropy * settings.entropyCoefficient + valueLoss * settings.valueCoefficient
                let lossValue = loss.value.scalars[0]
                guard lossValue.isFinite else { throw RLError.nonFiniteLoss(algorithm: "PPO", update: iteration, loss: lossValue) }

                optimizer.zeroGrad()
                loss.backward()
                _ = clipGradNorm(optimizer.parameters, maxNorm: settings.maximumGradientNorm)
                optimizer.step()

                // CleanRL's diagnostics: KL ≈ mean((ρ − 1) − log ρ), the share of ρ outside [1 − ε, 1 + ε].
                let r = ratio.value.scalars, lr = logRatio.value.scalars
                last = (policyLoss.value.scalars[0], valueLoss.value.scalars[0], entropy.value.scalars[0],
                        zip(r, lr).reduce(0) { $0 + ($1.0 - 1) - $1.1 } / Float(m))
                clipped += r.filter { abs($0 - 1) > settings.clip }.count
                seen += m
            }
        }
        return PPOIteration(iteration: iteration, environmentSteps: environmentSteps, policyLoss: last.policy, valueLoss: last.value,
                            entropy: last.entropy, approximateKL: last.kl, clipFraction: Float(clipped) / Float(seen), learningRate: rate)
    }

    /// The mean return of the last `count` finished episodes (nil before that many have finished).
    public func recentMeanReturn(_ count: Int = 20) -> Double? {
        guard episodes.count >= count else { return nil }
        return episodes.suffix(count).reduce(0) { $0 + $1.totalReward } / Double(count)
    }
}
