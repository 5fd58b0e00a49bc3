// Exercise dpo-loss (Sources/FineTuning/DirectPreferenceLoss.swift):
//   z = β [(log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l))],   L = −mean log σ(z)
//   ∂L/∂log π(y_w) = −(β/N) σ(−z),   ∂L/∂log π(y_l) = +(β/N) σ(−z),   r̂(y) = β (log π(y) − log π_ref(y))
// The numbers below are worked out by hand in the comments.
import Autograd
import FineTuning
import GradingSupport
import Tensor
import Testing

@Suite("Exercise dpo-loss: the DPO loss, its gradient and its implicit rewards")
struct DPOLossTests {
    func loss(chosen: [Float], rejected: [Float], referenceChosen: [Float], referenceRejected: [Float], beta: Float)
        -> (DirectPreferenceLoss, Variable, Variable) {
        let n = chosen.count
        let policyChosen = Variable(Tensor(shape: [n], scalars: chosen), requiresGrad: true)
        let policyRejected = Variable(Tensor(shape: [n], scalars: rejected), requiresGrad: true)
        let result = DirectPreferenceLoss(policyChosen: policyChosen, policyRejected: policyRejected,
                                          referenceChosen: Tensor(shape: [n], scalars: referenceChosen),
                                          referenceRejected: Tensor(shape: [n], scalars: referenceRejected), beta: beta)
        result.loss.backward()
        return (result, policyChosen, policyRejected)
    }

    @Test("One pair, β = 1: z = 1, L = log(1 + e⁻¹) = 0.3132617, gradients ∓σ(−1) = ∓0.2689414", .exercise("dpo-loss", points: 2))
    func onePair() {
        // log-ratios: chosen −1 − (−1.5) = 0.5, rejected −2 − (−1.5) = −0.5; z = 1.
        let (result, chosen, rejected) = loss(chosen: [-1], rejected: [-2], referenceChosen: [-1.5], referenceRejected: [-1.5], beta: 1)
        #expect(abs(result.loss.value.scalars[0] - 0.3132617) < 1e-6)
        #expect(abs(chosen.grad!.scalars[0] + 0.2689414) < 1e-6 && abs(rejected.grad!.scalars[0] - 0.2689414) < 1e-6)
        #expect(result.chosenRewards.scalars == [0.5] && result.rejectedRewards.scalars == [-0.5])
    }

    @Test("Two pairs, β = 0.5: L = (0.4740770 + 1.3132617)/2, the pair it gets wrong pulls harder", .exercise("dpo-loss", points: 2))
    func twoPairs() {
        // pair 1: z = 0.5·(0.5 + 0.5) = 0.5;  pair 2: log-ratios −1 and +1, z = 0.5·(−2) = −1.
        // ∂L/∂log π(y_w) = −(0.5/2) σ(−z): −0.25·0.3775407 = −0.0943852 and −0.25·0.7310586 = −0.1827646.
        let (result, chosen, rejected) = loss(chosen: [-1, -3], rejected: [-2, -1], referenceChosen: [-1.5, -2],
                                              referenceRejected: [-1.5, -2], beta: 0.5)
        #expect(abs(result.loss.value.scalars[0] - 0.8936693) < 1e-6)
        let g = chosen.grad!.scalars, h = rejected.grad!.scalars
        #expect(abs(g[0] + 0.0943852) < 1e-6 && abs(g[1] + 0.1827646) < 1e-6)
        #expect(abs(h[0] - 0.0943852) < 1e-6 && abs(h[1] - 0.1827646) < 1e-6)
        #expect(result.accuracy == 0.5)
    }

    @Test("A policy equal to its reference: z = 0, L = log 2, every implicit reward 0", .exercise("dpo-loss", points: 1))
    func atTheReference() {
        let (result, _, _) = loss(chosen: [-1, -4, -2], rejected: [-3, -1, -2], referenceChosen: [-1, -4, -2],
                                  referenceRejected: [-3, -1, -2], beta: 0.1)
        #expect(abs(result.loss.value.scalars[0] - 0.6931472) < 1e-6)
        #expect(result.chosenRewards.scalars.allSatisfy { $0 == 0 } && result.rejectedRewards.scalars.allSatisfy { $0 == 0 })
    }
}
