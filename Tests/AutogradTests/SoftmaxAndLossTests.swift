// Softmax family and losses: gradcheck (central differences, step h = 1e-2, worst
// error < 1e-2), hand-computed values, and a naive Double reference.
import Foundation
import Testing
@testable import Autograd
import Tensor

/// Mean cross-entropy in Double, straight from the definition −Σ_j q_j log softmax(x)_j.
private func naiveCrossEntropy(_ logits: [[Float]], _ targets: [Int], smoothing: Double = 0, ignore: Int? = nil) -> Double {
    var total = 0.0, counted = 0
    for (row, t) in zip(logits, targets) where t != ignore {
        let x = row.map(Double.init)
        let sumExp = x.reduce(0) { $0 + Foundation.exp($1) }
        for j in x.indices {
            let q = (j == t ? 1 - smoothing : 0) + smoothing / Double(x.count)
            total -= q * Foundation.log(Foundation.exp(x[j]) / sumExp)
        }
        counted += 1
    }
    return total / Double(counted)
}

private func rows(_ t: Tensor) -> [[Float]] {
    let s = t.scalars, c = t.shape[1]
    return (0..<t.shape[0]).map { Array(s[($0 * c)..<($0 * c + c)]) }
}

@Suite struct SoftmaxAndLossTests {
    let logits = Tensor.normal([4, 5], seed: 21) * 2
    let targets = [3, 0, 4, 0]

    @Test func softmaxFamilyGradients() {
        let x = Tensor.normal([3, 4, 5], seed: 22)
        check("softmax last axis", [x]) { $0[0].softmax() }
        check("softmax axis 1", [x]) { $0[0].softmax(axis: 1) }
        check("logSoftmax last axis", [x]) { $0[0].logSoftmax(axis: -1) }
        check("logSoftmax axis 0", [x]) { $0[0].logSoftmax(axis: 0) }
        check("logSumExp", [x]) { $0[0].logSumExp(axis: 2) }
        check("logSumExp keepDims axis 1", [x]) { $0[0].logSumExp(axis: 1, keepDims: true) }
    }

    @Test func softmaxValues() {
        let y = Variable(Tensor([[0, Float(Foundation.log(3.0))]])).softmax().value.scalars
        #expect(Swift.abs(y[0] - 0.25) < 1e-6 && Swift.abs(y[1] - 0.75) < 1e-6)
        let s = Variable(Tensor([[0, 0, 0, 0]])).logSumExp(axis: 1).value
        #expect(s.shape == [1] && Swift.abs(s.item - Float(Foundation.log(4.0))) < 1e-6)
    }

    @Test func crossEntropyHandValues() {
        // Two equal logits: softmax is ½, the loss is ln 2, the gradient (½ − 1, ½).
        let x = Variable(Tensor([[0, 0]]), requiresGrad: true)
        let loss = x.crossEntropy([0])
        #expect(Swift.abs(loss.value.item - Float(Foundation.log(2.0))) < 1e-6)
        loss.backward()
        #expect(x.grad!.scalars.enumerated().allSatisfy { Swift.abs($0.element - [-0.5, 0.5][$0.offset]) < 1e-6 })
        // Stable for huge logits: −log softmax([1000, 0])₁ = 1000, with no overflow.
        let huge = Variable(Tensor([[1000, 0]])).crossEntropy([1]).value.item
        #expect(huge == 1000)
        // Mean over the batch: ln 2 for a row of ties, ≈ 0 for a confident right answer.
        let batch = Variable(Tensor([[0, 0], [50, 0]])).crossEntropy([1, 0]).value.item
        #expect(Swift.abs(batch - Float(Foundation.log(2.0)) / 2) < 1e-6)
    }

    @Test func crossEntropyMatchesNaiveReference() {
        let got = Variable(logits).crossEntropy(targets).value.item
        #expect(Swift.abs(Double(got) - naiveCrossEntropy(rows(logits), targets)) < 1e-5)
        let smoothed = Variable(logits).crossEntropy(targets, labelSmoothing: 0.2).value.item
        #expect(Swift.abs(Double(smoothed) - naiveCrossEntropy(rows(logits), targets, smoothing: 0.2)) < 1e-5)
        let ignoring = Variable(logits).crossEntropy([3, -100, 4, -100], ignoreIndex: -100).value.item
        #expect(Swift.abs(Double(ignoring) - naiveCrossEntropy(rows(logits), [3, -100, 4, -100], ignore: -100)) < 1e-5)
        // The fused op equals logSoftmax followed by nllLoss.
        let composed = Variable(logits).logSoftmax().nllLoss(targets).value.item
        #expect(Swift.abs(got - composed) < 1e-5)
    }

    @Test func crossEntropyGradients() {
        check("crossEntropy", [logits]) { $0[0].crossEntropy(targets) }
        check("crossEntropy labelSmoothing", [logits]) { $0[0].crossEntropy(targets, labelSmoothing: 0.1) }
        check("crossEntropy ignoreIndex", [logits]) { $0[0].crossEntropy([1, -1, 2, 2], ignoreIndex: -1) }
        check("crossEntropy 40 classes (SIMD body and tail)", [Tensor.normal([3, 40], seed: 23)]) {
            $0[0].crossEntropy([39, 0, 17])
        }
        // Classes on axis 1 of [N, C, L]: one target per (n, l).
        check("crossEntropy [N, C, L]", [Tensor.normal([2, 3, 4], seed: 24)]) {
            crossEntropy(logits: $0[0], targets: [0, 1, 2, 1, 2, 2, 0, 1])
        }
    }

    @Test func crossEntropyWithClassAxisOneEqualsRows() {
        // [N, C, L] logits give the same loss as the [N·L, C] rows they hold.
        let x = Tensor.normal([2, 3, 4], seed: 25)
        let t = [0, 1, 2, 1, 2, 2, 0, 1]
        let asRows = x.permuted([0, 2, 1]).reshaped([8, 3])
        let a = Variable(x).crossEntropy(t).value.item
        let b = Variable(asRows).crossEntropy(t).value.item
        #expect(Swift.abs(a - b) < 1e-6)
    }

    @Test func otherLosses() {
        // nllLoss picks −p at the targets: −(−1 − 3)/2 = 2.
        let p = Variable(Tensor([[-1, -2], [-3, -4]]))
        #expect(p.nllLoss([0, 0]).value.item == 2)
        check("nllLoss", [logits]) { $0[0].nllLoss(targets) }

        // mse of (1, 2) against (0, 0) is (1 + 4)/2.
        #expect(mseLoss(Variable(Tensor([1, 2])), Variable(Tensor([0, 0]))).value.item == 2.5)
        check("mseLoss", [logits, Tensor.normal([4, 5], seed: 26)]) { $0[0].mseLoss($0[1]) }

        // Binary cross-entropy against the definition, and stable at |x| = 100.
        let x = Tensor.normal([3, 4], seed: 27) * 3
        let y = Tensor.uniform([3, 4], low: 0, high: 1, seed: 28)
        let reference = zip(x.scalars, y.scalars).reduce(0.0) { sum, pair in
            let s = 1 / (1 + Foundation.exp(-Double(pair.0))), y = Double(pair.1)
            return sum - (y * Foundation.log(s) + (1 - y) * Foundation.log(1 - s))
        } / 12
        let got = binaryCrossEntropyWithLogits(Variable(x), targets: y).value.item
        #expect(Swift.abs(Double(got) - reference) < 1e-5)
        #expect(Variable(Tensor([100, -100])).binaryCrossEntropyWithLogits(Tensor([0, 1])).value.item == 100)
        #expect(Variable(Tensor([100, -100])).binaryCrossEntropyWithLogits(Tensor([1, 0])).value.item < 1e-6)
        check("binaryCrossEntropyWithLogits", [x]) { $0[0].binaryCrossEntropyWithLogits(y) }
    }

    @Test func badTargetsStop() async {
        await #expect(processExitsWith: .failure) {
            _ = Variable(Tensor.zeros([2, 3])).crossEntropy([0, 3])
        }
        await #expect(processExitsWith: .failure) {
            _ = Variable(Tensor.zeros([2, 3])).crossEntropy([0])
        }
        await #expect(processExitsWith: .failure) {
            _ = Variable(Tensor.zeros([2, 3])).nllLoss([-1, 0])
        }
        await #expect(processExitsWith: .failure) {
            _ = Variable(Tensor.zeros([2, 3])).mseLoss(Variable(Tensor.zeros([3, 2])))
        }
    }
}
