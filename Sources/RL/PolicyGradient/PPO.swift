// Proximal policy optimisation with a clipped surrogate (Schulman et al. 2017),
// as CleanRL's ppo.py runs it on discrete actions. Each iteration:
//   rollout   N environments × T steps with the current policy, keeping          collectRollout()
//             s, a, log π_old(a|s), r, done, V_old(s)
//   GAE       advantages A and returns R = A + V_old (AdvantageEstimation.swift)  generalizedAdvantages(_:)
//   update    E epochs over the N·T samples in M shuffled minibatches:            update(_:_:)
//     Â      = (A − mean A) / (std A + 1e-8)                   per minibatch      normalized(_:)
//     L_clip = −mean(min(ρ Â, clip(ρ, 1 − ε, 1 + ε) Â)),  ρ = π/π_old   (ClippedSurrogate.swift)
//     L_V    = ½ mean(max((V − R)², (V_old + clip(V − V_old, −ε, ε) − R)²))   (or ½ mean (V − R)²)
//     L      = L_clip − c_H · mean H(π(·|s)) + c_V · L_V                       minibatchLoss(…)
//             one Adam step (ε 1e-5) after clipping the gradient's norm at 0.5   step(_:)
//   the learning rate falls linearly to 0 over the iterations.                   learningRate(at:)
//
// The implementation details that matter, as CleanRL's documentation lists the
// 13 core ones for ppo.py (Huang et al. 2022, "The 37 Implementation Details of
// Proximal Policy Optimization", ICLR blog track), and where each happens:
//    1 vectorised environments, same-step autoreset     VectorEnvironment.swift, collectRollout()
//    2 orthogonal weights, zero biases, gains √2 / 0.01 / 1   ActorCritic.swift
//    3 Adam's ε = 1e-5, not PyTorch's 1e-8               init
//    4 the learning rate annealed linearly to 0         learningRate(at:)
//    5 GAE, bootstrapped past the rollout's end          generalizedAdvantages(_:); a truncated
//      episode is treated as done, as ppo.py does (AdvantageEstimation.swift says why)
//    6 minibatch updates over shuffled samples           update(_:_:)
//    7 advantages normalised per minibatch, not per batch   minibatchLoss(…), normalized(_:)
//    8 the clipped surrogate objective                   ClippedSurrogate.swift
//    9 the value loss clipped like the policy            valueLoss(_:returns:oldValues:)
//   10 one loss, one optimiser, an entropy bonus         minibatchLoss(…)
//   11 the gradient's global norm clipped                step(_:)
//   12 debug variables: approximate KL, clip fraction    UpdateFigures
//   13 separate actor and critic networks                ActorCritic.swift

import Autograd
import Foundation
import NN
import Tensor

/// PPO's settings: CleanRL's ppo.py defaults, W15's.
///
/// Each field names the ppo.py argument it mirrors; change fields one by one from `PPOSettings()`.
public struct PPOSettings: Sendable {
    /// The budget of environment steps, all copies together: 500 000, CleanRL's `total_timesteps` (976 iterations).
    public var totalSteps = 500_000
    /// N, the copies of the environment stepped together: 4 (`num_envs`), so one rollout sees several episodes.
    public var environments = 4
    /// T, the steps each copy takes per rollout: 128 (`num_steps`), a batch of N·T = 512 samples.
    public var stepsPerRollout = 128
    /// Adam's learning rate at the first iteration: 2.5e-4 (`learning_rate`).
    public var learningRate: Float = 2.5e-4
    /// Whether the rate falls linearly to 0 over the iterations: true (`anneal_lr`), so late updates are small.
    public var annealLearningRate = true
    /// γ, the discount: 0.99 (`gamma`), an effective horizon of about 100 steps.
    public var discount: Float = 0.99
    /// λ of GAE: 0.95 (`gae_lambda`), between one-step TD errors (λ = 0, biased) and Monte Carlo returns (λ = 1, noisy).
    public var gaeLambda: Float = 0.95
    /// M, the minibatches each epoch splits the batch into: 4 (`num_minibatches`), 128 samples each; must divide N·T.
    public var minibatches = 4
    /// E, the passes over each batch: 4 (`update_epochs`), so every sample is learnt from four times.
    public var epochs = 4
    /// Whether the advantages are standardised per minibatch: true (`norm_adv`), so the loss's scale does not follow the rewards'.
    public var normalizeAdvantages = true
    /// ε, how far ρ = π/π_old may move before the surrogate goes flat (and V from V_old, when the value loss is clipped): 0.2 (`clip_coef`).
    public var clip: Float = 0.2
    /// Whether the value loss is clipped around V_old as the surrogate is around π_old: true (`clip_vloss`), as OpenAI's baselines do.
    public var clipValueLoss = true
    /// c_H, the weight of the entropy bonus: 0.01 (`ent_coef`), a small push against a policy that stops exploring.
    public var entropyCoefficient: Float = 0.01
    /// c_V, the weight of the value loss in the one loss both networks share: 0.5 (`vf_coef`).
    public var valueCoefficient: Float = 0.5
    /// The largest global norm of the gradient before a step; longer gradients are scaled down to it: 0.5 (`max_grad_norm`).
    public var maximumGradientNorm: Float = 0.5
    /// Stop as soon as the mean return of the last `solveWindow` finished episodes reaches this (nil: never).
    ///
    /// nil by default, as ppo.py runs its whole budget; lab-rl sets 475, CartPole-v1's reward threshold.
    public var solveThreshold: Double? = nil
    /// The number of finished episodes averaged for `solveThreshold`: 20, lab-rl's solving rule.
    public var solveWindow = 20

    /// CleanRL's defaults.
    public init() {}

    /// N·T, the samples of one rollout: 512 by default (`batch_size`).
    public var batchSize: Int { environments * stepsPerRollout }
    /// N·T / M, the samples of one minibatch: 128 by default (`minibatch_size`).
    public var minibatchSize: Int { batchSize / minibatches }
    /// totalSteps / (N·T), rounded down: 976 by default (`num_iterations`), the K of the rate's annealing.
    public var iterations: Int { totalSteps / batchSize }
}

/// How an iteration went: the debug variables CleanRL logs.
public struct PPOIteration: Sendable {
    /// The iteration's number, counted from 1.
    public var iteration: Int
    /// Environment steps taken so far, all copies together.
    public var environmentSteps: Int
    /// L_clip of the iteration's last minibatch.
    public var policyLoss: Float
    /// L_V of the iteration's last minibatch.
    public var valueLoss: Float
    /// mean H(π(·|s)) = −Σ_a π log π over the last minibatch, in nats (ln 2 ≈ 0.693 for a coin flip).
    public var entropy: Float
    /// mean((ρ − 1) − log ρ) over the last minibatch, before its step: how far the update has moved π from π_old
    /// (CleanRL's `approx_kl`).
    public var approximateKL: Float
    /// The share of the samples of all the iteration's minibatches with |ρ − 1| > ε (CleanRL's `clipfrac`).
    public var clipFraction: Float
    /// The learning rate the iteration's steps used.
    public var learningRate: Float
}

/// PPO on N copies of an environment with vector observations.
///
/// ```swift
/// let ppo = PPO(seed: 1) { CartPole.v1() }
/// for _ in 0..<ppo.settings.iterations {
///     guard let figures = try ppo.iterate() else { break }   // nil: solved during the rollout
///     print(figures.approximateKL, ppo.recentMeanReturn() ?? 0)
/// }
/// ```
public final class PPO<Base: Environment> where Base.Observation == [Float] {
    /// The settings the run was made with.
    public let settings: PPOSettings
    /// The actor (π) and the critic (V) being trained.
    public let network: ActorCritic
    /// The N copies of the environment, stepped together with same-step autoreset.
    public var envs: VectorEnvironment<Base>
    /// Environment steps taken so far, all copies together.
    public private(set) var environmentSteps = 0
    /// Every finished episode so far, in order.
    public private(set) var episodes: [FinishedEpisode] = []
    private let optimizer: Adam
    private var generator: RandomGenerator
    private var iteration = 0
    private let observationSize: Int
    /// The environment step at which the run was solved (settings.solveThreshold), if it was.
    public private(set) var solvedAtStep: Int?

    /// A run of `settings` on N copies made by `make`: the copies seeded from `seed` + 1, the network from `seed`,
    /// the action draws and the shuffles from `seed` + 2.
    public init(settings: PPOSettings = PPOSettings(), seed: UInt64, make: @escaping () -> Base) {
        precondition(settings.batchSize % settings.minibatches == 0, "PPO: the batch must split into equal minibatches")
        self.settings = settings
        envs = VectorEnvironment(count: settings.environments, seed: seed &+ 1, make: make)
        let first = envs.reset()
        observationSize = first[0].count
        network = ActorCritic(observationSize: observationSize, actionCount: envs.actionCount, seed: seed)
        optimizer = Adam(network.parameters, learningRate: settings.learningRate, epsilon: 1e-5)   // detail 3
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
        iteration += 1
        let rate = learningRate(at: iteration)
        optimizer.learningRate = rate
        guard let rollout = collectRollout() else { return nil }
        let estimates = generalizedAdvantages(rollout)
        let figures = try update(rollout, estimates)
        return PPOIteration(iteration: iteration, environmentSteps: environmentSteps, policyLoss: figures.policyLoss,
                            valueLoss: figures.valueLoss, entropy: figures.entropy, approximateKL: figures.approximateKL,
                            clipFraction: figures.clipFraction, learningRate: rate)
    }

    /// The mean return of the last `count` finished episodes (nil before that many have finished).
    public func recentMeanReturn(_ count: Int = 20) -> Double? {
        guard episodes.count >= count else { return nil }
        return episodes.suffix(count).reduce(0) { $0 + $1.totalReward } / Double(count)
    }

    // MARK: The learning rate (detail 4)

    /// lr_k = lr · (1 − (k − 1)/K) at iteration k of K = settings.iterations, falling linearly toward 0;
    /// lr itself when annealing is off.
    private func learningRate(at iteration: Int) -> Float {
        settings.annealLearningRate
            ? settings.learningRate * (1 - Float(iteration - 1) / Float(Swift.max(1, settings.iterations))) : settings.learningRate
    }

    // MARK: Rollout (details 1 and 5)

    /// One rollout, N copies × T steps, stored step-major: sample t·N + i is copy i at step t. These are
    /// CleanRL's `obs`, `actions`, `logprobs`, `rewards`, `dones` and `values` buffers, already flattened
    /// into its `b_obs`, `b_actions`… by that index.
    private struct Rollout {
        /// s, one row of `observationSize` numbers per sample.
        var observations: [Float] = []
        /// a, drawn from π_old(·|s).
        var actions: [Int] = []
        /// log π_old(a|s), the policy that acted.
        var logProbabilities: [Float] = []
        /// r, the step's reward.
        var rewards: [Float] = []
        /// Whether the step ended the copy's episode, terminated or truncated.
        var dones: [Bool] = []
        /// V_old(s), the critic's estimate when the step was taken.
        var values: [Float] = []
    }

    /// Plays T steps in each of the N copies with the current policy, with no graph (ActorCriticInference.swift);
    /// nil when the run is solved on the way (settings.solveThreshold).
    private func collectRollout() -> Rollout? {
        let n = settings.environments
        var rollout = Rollout()
        rollout.observations.reserveCapacity(settings.batchSize * observationSize)
        for _ in 0..<settings.stepsPerRollout {
            let current = envs.observations.flatMap { $0 }                           // s_t, (N, features) row by row
            rollout.observations += current
            let (logProbabilities, values) = network.inference(current, count: n)    // log π_old(·|s_t) (N, actions), V_old(s_t) (N)
            let (actions, chosenLogProbabilities) = sampleActions(logProbabilities, count: n)
            rollout.logProbabilities += chosenLogProbabilities
            rollout.actions += actions
            rollout.values += values
            // Detail 1: a copy whose episode ends is reset in the same step; its next observation is the new episode's.
            let (steps, finished) = envs.step(actions)
            rollout.rewards += steps.map { Float($0.reward) }
            rollout.dones += steps.map(\.isDone)
            episodes += finished
            environmentSteps += n
            if let threshold = settings.solveThreshold, !finished.isEmpty,
               let mean = recentMeanReturn(settings.solveWindow), mean >= threshold {
                solvedAtStep = environmentSteps
                return nil
            }
        }
        return rollout
    }

    /// a_i ~ π_old(·|s_i) for each of the `count` rows of log-probabilities, and log π_old(a_i|s_i).
    private func sampleActions(_ logProbabilities: [Float], count n: Int) -> (actions: [Int], logProbabilities: [Float]) {
        let actionCount = logProbabilities.count / n
        var actions = [Int](), chosen = [Float]()
        for i in 0..<n {
            let row = logProbabilities[(i * actionCount)..<((i + 1) * actionCount)]
            let a = generator.categorical(row.map { Foundation.exp($0) })
            actions.append(a)
            chosen.append(row[row.startIndex + a])
        }
        return (actions, chosen)
    }

    /// Detail 5: A and R = A + V_old by GAE(γ, λ) over the rollout (AdvantageEstimation.swift), bootstrapped
    /// past its last step with V_old of the observations the copies are in now.
    private func generalizedAdvantages(_ rollout: Rollout) -> AdvantageEstimates {
        let n = settings.environments
        let lastValues = network.inference(envs.observations.flatMap { $0 }, count: n).values
        return AdvantageEstimation.generalized(rewards: rollout.rewards, values: rollout.values, dones: rollout.dones,
                                               lastValues: lastValues, steps: settings.stepsPerRollout, envs: n,
                                               discount: settings.discount, lambda: settings.gaeLambda)
    }

    // MARK: Update (details 6 to 12)

    /// Detail 6: E epochs over the N·T samples, each epoch shuffling them into M minibatches, one step per
    /// minibatch; returns the debug variables (detail 12).
    private func update(_ rollout: Rollout, _ estimates: AdvantageEstimates) throws -> UpdateFigures {
        let batch = settings.batchSize
        let observations = Tensor(shape: [batch, observationSize], scalars: rollout.observations)   // b_obs, (N·T, features)
        var order = Array(0..<batch)                                                                 // b_inds
        var figures = UpdateFigures()
        for _ in 0..<settings.epochs {
            generator.shuffle(&order)
            for start in stride(from: 0, to: batch, by: settings.minibatchSize) {
                let indices = Array(order[start..<(start + settings.minibatchSize)])                  // mb_inds
                let loss = minibatchLoss(indices, observations: observations, rollout: rollout, estimates: estimates)
                try step(loss.total)
                figures.record(loss, clip: settings.clip)
            }
        }
        return figures
    }

    /// The losses of one minibatch, graphs to call backward on, and ρ and log ρ for the debug variables.
    private struct MinibatchLoss {
        /// L = L_clip − c_H · mean H + c_V · L_V.
        var total: Variable
        /// L_clip.
        var policyLoss: Variable
        /// L_V.
        var valueLoss: Variable
        /// mean H(π(·|s)).
        var entropy: Variable
        /// ρ = π(a|s)/π_old(a|s) and log ρ, per sample.
        var ratio: Variable, logRatio: Variable
    }

    /// Detail 10: L = L_clip − c_H · mean H(π(·|s)) + c_V · L_V on the samples `indices`, one loss for both
    /// networks, the entropy a bonus (it is subtracted) that keeps the policy from collapsing too early.
    private func minibatchLoss(_ indices: [Int], observations: Tensor, rollout: Rollout,
                               estimates: AdvantageEstimates) -> MinibatchLoss {
        let x = Variable(observations.gathering(indices))                           // b_obs[mb_inds], (m, features)
        let logProbabilities = network.logits(x).logSoftmax(axis: 1)                 // log π(·|s), (m, actions)
        // Detail 7: the advantages are standardised within this minibatch, not over the whole batch.
        var advantages = indices.map { estimates.advantages[$0] }
        if settings.normalizeAdvantages { advantages = Self.normalized(advantages) }
        // Detail 8: the clipped surrogate on log π(a|s) of the actions taken, (m).
        let (policyLoss, ratio, logRatio) = ClippedSurrogate.loss(
            logProbabilities: logProbabilities.targetLogProbabilities(indices.map { rollout.actions[$0] }),
            oldLogProbabilities: indices.map { rollout.logProbabilities[$0] }, advantages: advantages, clip: settings.clip)
        let valueLoss = self.valueLoss(network.value(x), returns: indices.map { estimates.returns[$0] },
                                       oldValues: indices.map { rollout.values[$0] })
        let entropy = -(logProbabilities.exp() * logProbabilities).sum(axis: 1).mean()   // H = −Σ_a π log π, averaged
        let loss = policyLoss - entropy * settings.entropyCoefficient + valueLoss * settings.valueCoefficient
        return MinibatchLoss(total: loss, policyLoss: policyLoss, valueLoss: valueLoss, entropy: entropy, ratio: ratio, logRatio: logRatio)
    }

    /// Â = (A − mean A) / (std A + 1e-8), std the unbiased one (n − 1), as `torch.std`.
    static func normalized(_ advantages: [Float]) -> [Float] {
        let m = advantages.count
        let mean = advantages.reduce(0, +) / Float(m)
        let variance = advantages.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(m - 1)
        return advantages.map { ($0 - mean) / (variance.squareRoot() + 1e-8) }
    }

    /// Detail 9: L_V = ½ mean(max((V − R)², (V_clip − R)²)), V_clip = V_old + clip(V − V_old, −ε, ε): like the
    /// surrogate, the pessimistic one of the moved and the held-back prediction. ½ mean (V − R)² when
    /// settings.clipValueLoss is off.
    private func valueLoss(_ value: Variable, returns returnScalars: [Float], oldValues oldValueScalars: [Float]) -> Variable {
        let m = returnScalars.count
        let returns = Variable(Tensor(shape: [m], scalars: returnScalars))                  // R, (m)
        guard settings.clipValueLoss else { return ((value - returns) * (value - returns)).mean() * 0.5 }
        let oldValues = Variable(Tensor(shape: [m], scalars: oldValueScalars))              // V_old, (m)
        let clippedValue = oldValues + (value - oldValues).clamped(min: -settings.clip, max: settings.clip)
        let a2 = (value - returns) * (value - returns), b2 = (clippedValue - returns) * (clippedValue - returns)
        return Variable.maximum(a2, b2).mean() * 0.5                                      // ½ mean max(a², b²)
    }

    /// Detail 11: one Adam step on `loss` after scaling the gradient down to a global norm of at most
    /// settings.maximumGradientNorm (`clip_grad_norm_`). A loss that is not finite stops the run before the weights move.
    private func step(_ loss: Variable) throws {
        let lossValue = loss.value.scalars[0]
        guard lossValue.isFinite else { throw RLError.nonFiniteLoss(algorithm: "PPO", update: iteration, loss: lossValue) }
        optimizer.zeroGrad()
        loss.backward()
        _ = clipGradNorm(optimizer.parameters, maxNorm: settings.maximumGradientNorm)
        optimizer.step()
    }

    /// Detail 12, CleanRL's debug variables over one update: the last minibatch's losses and approximate KL,
    /// and the clip fraction over every minibatch.
    private struct UpdateFigures {
        var policyLoss: Float = 0, valueLoss: Float = 0, entropy: Float = 0, approximateKL: Float = 0
        /// Samples with |ρ − 1| > ε, and samples seen.
        var clipped = 0, seen = 0

        /// The share of samples whose ρ left [1 − ε, 1 + ε].
        var clipFraction: Float { Float(clipped) / Float(seen) }

        /// Keeps this minibatch's figures, with KL(π_old ‖ π) ≈ mean((ρ − 1) − log ρ), and counts its clipped samples.
        mutating func record(_ loss: MinibatchLoss, clip: Float) {
            let r = loss.ratio.value.scalars, lr = loss.logRatio.value.scalars
            policyLoss = loss.policyLoss.value.scalars[0]
            valueLoss = loss.valueLoss.value.scalars[0]
            entropy = loss.entropy.value.scalars[0]
            approximateKL = zip(r, lr).reduce(0) { $0 + ($1.0 - 1) - $1.1 } / Float(r.count)
            clipped += r.filter { abs($0 - 1) > clip }.count
            seen += r.count
        }
    }
}
