// Exercises sigmoid-backward and tanh-backward (Sources/Autograd/ElementwiseOps.swift):
//   y = σ(x)    ∂L/∂x = g · y(1 − y)
//   y = tanh x  ∂L/∂x = g · (1 − y²)
// Each is checked at points worked out by hand and against finite differences.
import Autograd
import Foundation
import GradingSupport
import Tensor
import Testing

@Suite("Exercises sigmoid-backward and tanh-backward")
struct ActivationBackwardTests {
    /// ∂(Σ w ⊙ f(x))/∂x from backward(), at `points` with upstream weights `upstream`.
    func gradient(_ points: [Float], upstream: [Float], _ f: (Variable) -> Variable) -> [Float] {
        let x = Variable(Tensor(points), requiresGrad: true)
        (f(x) * Variable(Tensor(upstream))).sum().backward()
        return x.grad!.scalars
    }

    @Test("σ′ at 0 is 1/4; at ln 3 (σ = 3/4) it is 3/16; the upstream gradient multiplies it", .exercise("sigmoid-backward", points: 2))
    func sigmoidByHand() {
        let grad = gradient([0, Float(log(3.0)), 0], upstream: [1, 1, -2]) { $0.sigmoid() }
        #expect(abs(grad[0] - 0.25) < 1e-6)
        #expect(abs(grad[1] - 0.1875) < 1e-6)
        #expect(abs(grad[2] + 0.5) < 1e-6)
    }

    @Test("σ inside a composite function agrees with finite differences", .exercise("sigmoid-backward", points: 1))
    func sigmoidGradcheck() {
        let check = gradcheck([Tensor.normal([3, 4], seed: 7)]) { $0[0].sigmoid() * $0[0] }
        #expect(check.worstError < 1e-2, "\(check)")
    }

    @Test("tanh′ at 0 is 1; at atanh(1/2) (tanh = 1/2) it is 3/4; the upstream gradient multiplies it", .exercise("tanh-backward", points: 2))
    func tanhByHand() {
        let grad = gradient([0, Float(atanh(0.5)), 0], upstream: [1, 1, 3]) { $0.tanh() }
        #expect(abs(grad[0] - 1) < 1e-6)
        #expect(abs(grad[1] - 0.75) < 1e-6)
        #expect(abs(grad[2] - 3) < 1e-6)
    }

    @Test("tanh inside a composite function agrees with finite differences", .exercise("tanh-backward", points: 1))
    func tanhGradcheck() {
        let a = Tensor.normal([3, 4], seed: 8), b = Tensor.normal([4, 2], seed: 9)
        let check = gradcheck([a, b]) { $0[0].matmul($0[1]).tanh() }
        #expect(check.worstError < 1e-2, "\(check)")
    }
}
