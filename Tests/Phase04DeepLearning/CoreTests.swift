// Phase 4's core: what the learner is given and does not re-implement
// (average pooling, cross-entropy, convolution). These pass in the student edition too.
import Autograd
import Foundation
import GradingSupport
import NN
import Tensor
import Testing

@Suite("Phase 4 core: average pooling, cross-entropy and convolution")
struct CoreTests {
    @Test("Average pooling spreads g/k² over each window", .points(1))
    func averagePooling() {
        let x = Variable(Tensor.uniform([1, 1, 4, 4], low: -1, high: 1, seed: 2), requiresGrad: true)
        x.avgPool2d(kernel: 2).sum().backward()
        #expect(x.grad!.scalars == [Float](repeating: 0.25, count: 16))
    }

    @Test("Cross-entropy's gradient is (softmax − one-hot)/B", .points(1))
    func crossEntropyGradient() {
        let logits = Variable(Tensor([[0, 0], [2, 0]]), requiresGrad: true)
        logits.crossEntropy([0, 1]).backward()
        let p = 1 / (1 + exp(Float(-2)))                  // softmax of [2, 0], first class
        let expected: [Float] = [(0.5 - 1) / 2, 0.5 / 2, p / 2, (1 - p - 1) / 2]
        #expect(zip(logits.grad!.scalars, expected).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test("A convolution's backward agrees with finite differences", .points(2))
    func convolutionGradcheck() {
        let input = Tensor.normal([2, 2, 5, 5], seed: 3), weight = Tensor.normal([3, 2, 3, 3], seed: 4)
        let check = gradcheck([input, weight]) { $0[0].conv2d(weight: $0[1], stride: 1, padding: 1) }
        #expect(check.worstError < 1e-2, "\(check)")
    }
}
