// Exercise max-pool-backward (Sources/Autograd/PoolingOps.swift, maxPool2d):
//   out[n, c, y, x] = max over the k×k window at (y·s, x·s)
//   ∂L/∂in = ∂L/∂out at each window's arg-max, 0 elsewhere, added up where windows overlap
import Autograd
import GradingSupport
import Tensor
import Testing

@Suite("Exercise max-pool-backward: routing the gradient to each window's maximum")
struct MaxPoolBackwardTests {
    /// ∂(Σ g ⊙ maxPool(x))/∂x.
    func gradient(_ input: Tensor, upstream: [Float], kernel: Int, stride: Int) -> [Float] {
        let x = Variable(input, requiresGrad: true)
        let pooled = x.maxPool2d(kernel: kernel, stride: stride)
        (pooled * Variable(Tensor(shape: pooled.shape, scalars: upstream))).sum().backward()
        return x.grad!.scalars
    }

    @Test("2×2 windows, stride 2, on two 4×4 planes: each upstream value lands on its window's maximum",
          .exercise("max-pool-backward", points: 2))
    func againstNaiveReference() {
        let input = Tensor.uniform([1, 2, 4, 4], low: -1, high: 1, seed: 5)
        let upstream = (0..<8).map { Float($0 + 1) }
        var expected = [Float](repeating: 0, count: 32)
        let x = input.scalars
        for plane in 0..<2 {
            for wy in 0..<2 {
                for wx in 0..<2 {
                    var best = plane * 16 + (2 * wy) * 4 + 2 * wx
                    for i in 0..<2 {
                        for j in 0..<2 where x[plane * 16 + (2 * wy + i) * 4 + 2 * wx + j] > x[best] {
                            best = plane * 16 + (2 * wy + i) * 4 + 2 * wx + j
                        }
                    }
                    expected[best] += upstream[plane * 4 + wy * 2 + wx]
                }
            }
        }
        #expect(gradient(input, upstream: upstream, kernel: 2, stride: 2) == expected)
    }

    @Test("3×3 windows, stride 1: one peak wins all four windows and collects 1 + 2 + 3 + 4",
          .exercise("max-pool-backward", points: 1))
    func overlappingWindows() {
        var values = [Float](repeating: 0, count: 16)
        values[1 * 4 + 1] = 9
        let grad = gradient(Tensor(shape: [1, 1, 4, 4], scalars: values), upstream: [1, 2, 3, 4], kernel: 3, stride: 1)
        var expected = [Float](repeating: 0, count: 16)
        expected[5] = 10
        #expect(grad == expected)
    }

    @Test("3×3 windows, stride 1, over 0…15: the winners are the windows' bottom-right corners",
          .exercise("max-pool-backward", points: 1))
    func increasingPlane() {
        let grad = gradient(Tensor(shape: [1, 1, 4, 4], scalars: (0..<16).map(Float.init)), upstream: [1, 2, 3, 4], kernel: 3, stride: 1)
        var expected = [Float](repeating: 0, count: 16)
        (expected[10], expected[11], expected[14], expected[15]) = (1, 2, 3, 4)
        #expect(grad == expected)
    }
}
