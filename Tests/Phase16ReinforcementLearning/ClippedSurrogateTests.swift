// Exercise clipped-surrogate (Sources/RL/PolicyGradient/ClippedSurrogate.swift):
//   L = −mean min(ρ Â, clip(ρ, 1 − ε, 1 + ε) Â),   ρ = exp(log π − log π_old),   here ε = 0.2.
// Where the unclipped term is the smaller, ∂L/∂log π_i = −Â_i ρ_i / n; where the clipped one is, 0.
import Autograd
import Foundation
import GradingSupport
import RL
import Tensor
import Testing

@Suite("Exercise clipped-surrogate: PPO's clipped objective")
struct ClippedSurrogateTests {
    /// L and ∂L/∂log π for ratios ρ (old log-probabilities all −1) and advantages Â.
    func lossAndGradient(ratios: [Float], advantages: [Float]) -> (loss: Float, gradient: [Float]) {
        let old = [Float](repeating: -1, count: ratios.count)
        let logProbabilities = Variable(Tensor(shape: [ratios.count], scalars: ratios.map { -1 + Foundation.log($0) }), requiresGrad: true)
        let (loss, _, _) = ClippedSurrogate.loss(logProbabilities: logProbabilities, oldLogProbabilities: old,
                                                 advantages: advantages, clip: 0.2)
        loss.backward()
        return (loss.value.scalars[0], logProbabilities.grad!.scalars)
    }

    @Test("Inside the clip it is the plain surrogate: L = 0.65, ∂L/∂log π = −Â ρ / n", .exercise("clipped-surrogate", points: 2))
    func insideTheClip() {
        // ρ = 0.9, Â = 1: 0.9;  ρ = 1.1, Â = −2: −2.2;  L = −(0.9 − 2.2)/2 = 0.65;  gradient [−0.45, 1.1].
        let (loss, gradient) = lossAndGradient(ratios: [0.9, 1.1], advantages: [1, -2])
        #expect(abs(loss - 0.65) < 1e-6)
        #expect(abs(gradient[0] + 0.45) < 1e-6 && abs(gradient[1] - 1.1) < 1e-6)
    }

    @Test("Past the clip on the side the advantage rewards, the loss is flat: no gradient", .exercise("clipped-surrogate", points: 1))
    func rewardedSideIsFlat() {
        // ρ = 1.5, Â = 1: min(1.5, 1.2) = 1.2;  ρ = 0.6, Â = −1: min(−0.6, −0.8) = −0.8;  L = −(1.2 − 0.8)/2 = −0.2.
        let (loss, gradient) = lossAndGradient(ratios: [1.5, 0.6], advantages: [1, -1])
        #expect(abs(loss + 0.2) < 1e-6)
        #expect(gradient.allSatisfy { abs($0) < 1e-7 })
    }

    @Test("Past the clip on the wrong side the unclipped term stays, and so does its gradient", .exercise("clipped-surrogate", points: 1))
    func wrongSideKeepsGradient() {
        // ρ = 0.6, Â = 1: min(0.6, 0.8) = 0.6;  ρ = 1.5, Â = −1: min(−1.5, −1.2) = −1.5;  L = −(0.6 − 1.5)/2 = 0.45;
        // gradient [−1·0.6/2, 1·1.5/2] = [−0.3, 0.75].
        let (loss, gradient) = lossAndGradient(ratios: [0.6, 1.5], advantages: [1, -1])
        #expect(abs(loss - 0.45) < 1e-6)
        #expect(abs(gradient[0] + 0.3) < 1e-6 && abs(gradient[1] - 0.75) < 1e-6)
    }
}
