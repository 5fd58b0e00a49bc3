// Exercise gae (Sources/RL/PolicyGradient/AdvantageEstimation.swift):
//   δ_t = r_t + γ V(s_{t+1}) (1 − done_t) − V(s_t),   A_t = δ_t + γ λ (1 − done_t) A_{t+1},   R_t = A_t + V(s_t)
// The expected numbers below are worked out by hand in the comments.
import GradingSupport
import RL
import Testing

@Suite("Exercise gae: generalised advantage estimation")
struct GAETests {
    func close(_ a: [Float], _ b: [Float]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 } }

    @Test("One environment, three steps, no episode end (γ = λ = 0.5)", .exercise("gae", points: 2))
    func threeSteps() {
        // δ₂ = 2 + 0.5·2 − 0 = 3, A₂ = 3;  δ₁ = 0 + 0.5·0 − 1 = −1, A₁ = −1 + 0.25·3 = −0.25;
        // δ₀ = 1 + 0.5·1 − 0.5 = 1, A₀ = 1 + 0.25·(−0.25) = 0.9375;  R = A + V.
        let estimates = AdvantageEstimation.generalized(rewards: [1, 0, 2], values: [0.5, 1, 0], dones: [false, false, false],
                                                        lastValues: [2], steps: 3, envs: 1, discount: 0.5, lambda: 0.5)
        #expect(close(estimates.advantages, [0.9375, -0.25, 3]))
        #expect(close(estimates.returns, [1.4375, 0.75, 3]))
    }

    @Test("An episode that ends at step 1 neither bootstraps nor passes A₂ back", .exercise("gae", points: 1))
    func episodeEnd() {
        // δ₁ = 0 − 1 = −1 and A₁ = −1 (nothing from step 2); A₀ = 1 + 0.25·(−1) = 0.75.
        let estimates = AdvantageEstimation.generalized(rewards: [1, 0, 2], values: [0.5, 1, 0], dones: [false, true, false],
                                                        lastValues: [2], steps: 3, envs: 1, discount: 0.5, lambda: 0.5)
        #expect(close(estimates.advantages, [0.75, -1, 3]))
    }

    @Test("Two environments stored step-major (index t·N + i), γ = λ = 1", .exercise("gae", points: 1))
    func twoEnvironments() {
        // env 0: r = [1, 1], V = 0, bootstrap 0 → A = [2, 1].
        // env 1: r = [0, 3], V = 1, ends at t = 1 → A₁ = 3 − 1 = 2, A₀ = (0 + 1 − 1) + 2 = 2.
        let estimates = AdvantageEstimation.generalized(rewards: [1, 0, 1, 3], values: [0, 1, 0, 1], dones: [false, false, false, true],
                                                        lastValues: [0, 1], steps: 2, envs: 2, discount: 1, lambda: 1)
        #expect(close(estimates.advantages, [2, 2, 1, 2]))
    }
}
