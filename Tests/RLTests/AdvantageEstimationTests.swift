import Testing
import Tensor
@testable import RL

@Suite("Advantage estimation and vector environments")
struct AdvantageEstimationTests {
    @Test("GAE equals hand-computed values on two environments over three steps, an episode ending in the middle")
    func handComputed() {
        // Step-major: t = 0: (env 0, env 1), t = 1, t = 2. Env 0's episode ends at t = 1.
        let rewards: [Float] = [1, 0.5, 1, 0.5, 1, 0.5]
        let values: [Float] = [0.2, 0.1, 0.4, 0.3, 0.6, 0.5]
        let dones = [false, false, true, false, false, false]
        let last: [Float] = [0.8, 0.7]
        let (g, l): (Float, Float) = (0.9, 0.8)
        let e = AdvantageEstimation.generalized(rewards: rewards, values: values, dones: dones, lastValues: last,
                                                steps: 3, envs: 2, discount: g, lambda: l)
        // Env 0: δ2 = 1 + 0.9·0.8 − 0.6 = 1.12; δ1 = 1 − 0.4 = 0.6 (done); δ0 = 1 + 0.9·0.4 − 0.2 = 1.16
        //        A2 = 1.12, A1 = 0.6, A0 = 1.16 + 0.72·0.6 = 1.592
        // Env 1: δ2 = 0.5 + 0.63 − 0.5 = 0.63; δ1 = 0.5 + 0.45 − 0.3 = 0.65; δ0 = 0.5 + 0.27 − 0.1 = 0.67
        //        A2 = 0.63, A1 = 0.65 + 0.72·0.63 = 1.1036, A0 = 0.67 + 0.72·1.1036 = 1.464592
        let expected: [Float] = [1.592, 1.464592, 0.6, 1.1036, 1.12, 0.63]
        for (a, b) in zip(e.advantages, expected) { #expect(abs(a - b) < 1e-5, "\(e.advantages)") }
        for k in 0..<6 { #expect(abs(e.returns[k] - (expected[k] + values[k])) < 1e-5) }
    }

    @Test("λ = 1 gives discounted returns minus V; λ = 0 gives one-step TD errors")
    func limits() {
        let rewards: [Float] = [1, 2, 3], values: [Float] = [0.5, 0.25, 0.125], dones = [false, false, false]
        let mc = AdvantageEstimation.generalized(rewards: rewards, values: values, dones: dones, lastValues: [1],
                                                 steps: 3, envs: 1, discount: 0.5, lambda: 1)
        #expect(abs(mc.returns[0] - (1 + 0.5 * 2 + 0.25 * 3 + 0.125 * 1)) < 1e-6)
        let td = AdvantageEstimation.generalized(rewards: rewards, values: values, dones: dones, lastValues: [1],
                                                 steps: 3, envs: 1, discount: 0.5, lambda: 0)
        #expect(abs(td.advantages[1] - (2 + 0.5 * 0.125 - 0.25)) < 1e-6)
    }

    @Test("The vector environment resets finished copies in the same step and reports their returns")
    func vectorAutoreset() {
        var envs = VectorEnvironment(count: 3, seed: 4) { CartPole.v1() }
        envs.reset()
        var finished: [FinishedEpisode] = [], total = 0
        for _ in 0..<300 {
            let (steps, done) = envs.step([1, 1, 1])     // always push right: each episode falls in a few dozen steps
            finished += done
            total += 1
            for (i, step) in steps.enumerated() where step.isDone {
                // The observation returned is a fresh reset, within ±0.05.
                #expect(step.observation.allSatisfy { abs($0) <= 0.05 })
                #expect(envs.observations[i] == step.observation)
            }
        }
        #expect(finished.count > 9)
        #expect(finished.allSatisfy { $0.length == Int($0.totalReward) && $0.length < 100 })
        // The same seed gives the same run.
        var again = VectorEnvironment(count: 3, seed: 4) { CartPole.v1() }
        again.reset()
        var repeated: [FinishedEpisode] = []
        for _ in 0..<300 { repeated += again.step([1, 1, 1]).finished }
        #expect(repeated == finished)
    }
}
