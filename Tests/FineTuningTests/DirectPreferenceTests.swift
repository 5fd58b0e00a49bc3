// DPO: the loss, rewards and gradient against hand-computed values; a large β
// keeps the optimum at the reference (tabular policy, closed-form optimum);
// sequence log-probabilities count the continuation only; the GPT trainer
// starts at loss log 2 and learns held-out pairs; the reward model learns a rule.
import Foundation
import Testing
import Autograd
import GPT
import NN
import Tensor
@testable import FineTuning

@Suite("Direct preference optimization")
struct DirectPreferenceTests {
    @Test("Loss, implicit rewards and gradients equal hand-computed values (β = 0.5, two pairs)")
    func handComputedCase() {
        // z = β((π_w − ref_w) − (π_l − ref_l)) = 0.5·((−1 + 1.5) − (−3 + 2.5)) = 0.5 and 0.5·(0 − 0.5) = −0.25
        // L = (log(1 + e^−0.5) + log(1 + e^0.25)) / 2 = 0.6500082
        // ∂L/∂π_w,i = −β σ(−z_i) / 2 = −0.0943852, −0.1405441;  ∂L/∂π_l,i the opposite
        let chosen = Variable(Tensor([-1, -2]), requiresGrad: true)
        let rejected = Variable(Tensor([-3, -1]), requiresGrad: true)
        let dpo = DirectPreferenceLoss(policyChosen: chosen, policyRejected: rejected,
                                       referenceChosen: Tensor([-1.5, -2]), referenceRejected: Tensor([-2.5, -1.5]), beta: 0.5)
        #expect(abs(dpo.loss.value.item - 0.6500082) < 1e-6)
        #expect(dpo.chosenRewards.scalars == [0.25, 0])
        #expect(dpo.rejectedRewards.scalars == [-0.25, 0.25])
        #expect(dpo.accuracy == 0.5 && abs(dpo.margin - 0.125) < 1e-9)
        dpo.loss.backward()
        let expected: [Float] = [-0.0943852, -0.1405441]
        #expect(zip(chosen.grad!.scalars, expected).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(zip(rejected.grad!.scalars, expected).allSatisfy { abs($0 + $1) < 1e-6 })
    }

    /// Trains a 3-outcome policy by gradient descent on pairs 0 ≻ 1 (three times) and 1 ≻ 0 (once);
    /// returns log π − log π_ref per outcome.
    func tabularLogRatios(beta: Float) -> [Float] {
        let reference = Tensor([0.5, -0.2, 0.1])
        let logits = Variable(reference, requiresGrad: true)                 // the policy starts at the reference
        let referenceLog = Variable(reference).logSoftmax(axis: 0).value
        let optimizer = SGD([logits], learningRate: 0.2 / (beta * beta))
        let chosenIDs = [0, 0, 0, 1], rejectedIDs = [1, 1, 1, 0]
        for _ in 0..<3_000 {
            let logp = logits.logSoftmax(axis: 0)
            let dpo = DirectPreferenceLoss(policyChosen: logp.gathering(chosenIDs), policyRejected: logp.gathering(rejectedIDs),
                                           referenceChosen: referenceLog.gathering(chosenIDs, axis: 0),
                                           referenceRejected: referenceLog.gathering(rejectedIDs, axis: 0), beta: beta)
            optimizer.zeroGrad()
            dpo.loss.backward()
            optimizer.step()
        }
        return (noGrad { logits.logSoftmax(axis: 0).value } - referenceLog).scalars
    }

    @Test("The DPO optimum moves log π(0)/π(1) by log 3 / β from the reference: as β grows the policy stays at it")
    func largeBetaStaysAtReference() {
        // P(0 ≻ 1) = 3/4, so σ(β·Δ) = 3/4 at the optimum: Δ = log 3 / β, with Δ the shift of log π(0) − log π(1).
        var previousMove = Float.infinity
        for beta: Float in [1, 10, 100, 1_000] {
            let ratios = tabularLogRatios(beta: beta)
            let shift = ratios[0] - ratios[1]
            #expect(abs(shift - log(3) / beta) < 0.01 / beta, "β = \(beta): shift \(shift), expected \(log(3) / beta)")
            let move = ratios.map(abs).max()!
            #expect(move < previousMove)
            previousMove = move
        }
        #expect(previousMove < 2e-3)   // β = 1000: every log-probability within 0.002 of the reference
    }

    @Test("targetLogProbabilities equals logSoftmax at the targets, and its gradient finite differences")
    func targetLogProbabilities() {
        let logits = Tensor.normal([5, 7], seed: 3)
        let targets = [0, 6, 3, 3, 1]
        let picked = Variable(logits).targetLogProbabilities(targets).value.scalars
        let reference = Variable(logits).logSoftmax(axis: 1).value.scalars
        for (i, t) in targets.enumerated() { #expect(abs(picked[i] - reference[i * 7 + t]) < 1e-5) }
        let result = gradcheck([logits]) { $0[0].targetLogProbabilities(targets) }
        #expect(result.worstError < 1e-3, "\(result)")
    }

    @Test("A continuation's log-probability sums its own tokens only, not the prompt's")
    func continuationOnly() {
        let model = GPTModel(GPTConfiguration(vocabularySize: 6, blockSize: 8, layerCount: 1, headCount: 2, embeddingSize: 8), seed: 2)
        let sequences = [[1, 2, 3, 4, 5, 0], [5, 5, 1, 0, 2, 3]]
        let scored = noGrad { model.continuationLogProbabilities(ScoredSequences(sequences: sequences, promptLength: 2)).value.scalars }
        let logp = noGrad { model(sequences.flatMap { $0.dropLast() }, batch: 2, steps: 5).logSoftmax(axis: -1).value.scalars }
        for (b, sequence) in sequences.enumerated() {
            // targets at positions 1…5 are tokens 2…6; the prompt is tokens 0 and 1, so positions 1…4 count.
            let expected = (1..<5).reduce(Float(0)) { $0 + logp[(b * 5 + $1) * 6 + sequence[$1 + 1]] }
            #expect(abs(scored[b] - expected) < 1e-4)
        }
    }
}
