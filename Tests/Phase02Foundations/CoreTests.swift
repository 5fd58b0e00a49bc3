// Phase 2's core: what the learner is given and does not re-implement
// (broadcasting, the matrix product and its gradient, ReLU). These pass in the
// student edition too.
import Autograd
import GradingSupport
import Tensor
import Testing

@Suite("Phase 2 core: broadcasting and the matrix product's gradient")
struct CoreTests {
    @Test("Shapes line up from the right: [8, 1, 6] with [7, 1] gives [8, 7, 6]", .points(1))
    func broadcasting() {
        #expect(Tensor.broadcastShape([8, 1, 6], [7, 1]) == [8, 7, 6])
        let sum = Tensor([[1], [2]]) + Tensor([10, 20, 30])   // [2, 1] + [3] → [2, 3]
        #expect(sum.shape == [2, 3])
        #expect(sum.scalars == [11, 21, 31, 12, 22, 32])
    }

    @Test("∂(Σ A·B)/∂A = 1·Bᵀ by hand, and the product's backward agrees with finite differences", .points(2))
    func matmulGradient() {
        let a = Variable(Tensor([[1, 2], [3, 4]]), requiresGrad: true)
        let b = Variable(Tensor([[5, 6], [7, 8]]), requiresGrad: true)
        a.matmul(b).sum().backward()
        #expect(a.grad!.scalars == [11, 15, 11, 15])   // row sums of B, in every row
        #expect(b.grad!.scalars == [4, 4, 6, 6])       // column sums of A, in every column
        let check = gradcheck([Tensor.normal([3, 5], seed: 1), Tensor.normal([5, 2], seed: 2)]) { $0[0].matmul($0[1]) }
        #expect(check.worstError < 1e-2, "\(check)")
    }

    @Test("ReLU passes the gradient where x > 0 and stops it elsewhere", .points(1))
    func reluGradient() {
        let x = Variable(Tensor([-1, 0.5, 2, -3]), requiresGrad: true)
        x.relu().sum().backward()
        #expect(x.grad!.scalars == [0, 1, 1, 0])
    }
}
