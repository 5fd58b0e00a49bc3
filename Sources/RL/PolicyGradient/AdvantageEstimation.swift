// Generalised advantage estimation (Schulman et al. 2016, "High-Dimensional
// Continuous Control Using Generalized Advantage Estimation"), computed
// backwards over a rollout of T steps from each of N environments:
//   δ_t = r_t + γ V(s_{t+1}) (1 − done_t) − V(s_t)
//   A_t = δ_t + γ λ (1 − done_t) A_{t+1},        A_T = 0 past the rollout
//   R_t = A_t + V(s_t)                            the value target
// where V(s_{t+1}) is the next row's value, or the bootstrap value after the
// last step. As in CleanRL's ppo.py, done_t is "terminated or truncated": a
// truncated episode is cut off without bootstrapping from its last state (the
// next observation is already the next episode's), which is the usual
// approximation at CartPole's 500-step limit. λ = 1 gives Monte Carlo returns
// minus V; λ = 0 gives one-step TD errors.

/// Advantages and returns of a rollout stored step-major: index t · N + i.
public struct AdvantageEstimates: Equatable {
    /// A_t, how much better the action taken was than V(s_t) expected.
    public var advantages: [Float]
    /// R_t = A_t + V(s_t), the value network's target.
    public var returns: [Float]
}

/// Advantage estimators over a rollout (only GAE for now).
public enum AdvantageEstimation {
    /// GAE over `steps` × `envs` rewards, values and done flags, with `lastValues` (N) bootstrapping past the end.
    public static func generalized(rewards: [Float], values: [Float], dones: [Bool], lastValues: [Float],
                                   steps: Int, envs: Int, discount: Float, lambda: Float) -> AdvantageEstimates {
        let count = steps * envs
        precondition(rewards.count == count && values.count == count && dones.count == count && lastValues.count == envs,
                     "AdvantageEstimation: \(count) rewards, values and dones and \(envs) last values expected")
        // BEGIN EXERCISE gae
        var advantages = [Float](repeating: 0, count: count)
        var running = [Float](repeating: 0, count: envs)
        for t in stride(from: steps - 1, through: 0, by: -1) {
            for i in 0..<envs {
                let index = t * envs + i
                let nextValue = t == steps - 1 ? lastValues[i] : values[index + envs]
                let live: Float = dones[index] ? 0 : 1
                let delta = rewards[index] + discount * nextValue * live - values[index]
                running[i] = delta + discount * lambda * live * running[i]
                advantages[index] = running[i]
            }
        }
        return AdvantageEstimates(advantages: advantages, returns: zip(advantages, values).map { $0 + $1 })
        // END EXERCISE
    }
}
