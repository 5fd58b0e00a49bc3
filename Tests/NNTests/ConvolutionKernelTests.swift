// The fast paths of conv2d and maxPool2d against plain references: the 2×2 stride-2
// max pooling written out (values and the gradient's scatter, with ties), conv2d on
// rows of every length the SIMD copy splits (16/8/4/scalar pieces), and conv2d's
// skipped input gradient (the weight and bias gradients must not change).
import Testing
@testable import NN
import Autograd
import Tensor

/// out[plane, y, x] = max of the 2×2 window at (2y, 2x); grad goes to the first maximum (row by row).
private func naiveMaxPool2x2(_ x: Tensor, gradient g: Tensor) -> (value: Tensor, grad: Tensor) {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (ho, wo) = (h / 2, w / 2)
    let xs = x.scalars, gs = g.scalars
    var out = [Float](repeating: 0, count: n * c * ho * wo), grad = [Float](repeating: 0, count: xs.count)
    for plane in 0..<(n * c) {
        for y in 0..<ho {
            for xo in 0..<wo {
                var best = plane * h * w + 2 * y * w + 2 * xo
                for (i, j) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                    let at = plane * h * w + (2 * y + i) * w + 2 * xo + j
                    if xs[at] > xs[best] { best = at }
                }
                let o = (plane * ho + y) * wo + xo
                out[o] = xs[best]
                grad[best] += gs[o]
            }
        }
    }
    return (Tensor(shape: [n, c, ho, wo], scalars: out), Tensor(shape: x.shape, scalars: grad))
}

@Suite struct ConvolutionKernelTests {
    @Test(arguments: [(6, 6), (7, 9), (28, 28), (10, 3)])
    func maxPool2x2MatchesNaiveReference(height: Int, width: Int) {
        // Values rounded to a coarse grid so that windows have ties: the first maximum must win.
        let x = Tensor.normal([2, 3, height, width], seed: 71).map { ($0 * 2).rounded() }
        let g = Tensor.normal([2, 3, height / 2, width / 2], seed: 72)
        let input = Variable(x, requiresGrad: true)
        let y = input.maxPool2d(kernel: 2)
        y.backward(g)
        let expected = naiveMaxPool2x2(x, gradient: g)
        #expect(y.value.shape == expected.value.shape && y.value.scalars == expected.value.scalars)
        #expect(input.grad?.scalars == expected.grad.scalars)
    }

    @Test(arguments: [1, 3, 4, 8, 13, 16, 21, 28, 37])
    func conv2dRowsOfEveryLength(width: Int) {
        // Output rows of Wo = width Floats (3×3 kernel, padding 1): every split of the SIMD row copy.
        let x = Tensor.normal([3, 2, 4, width], seed: 73), w = Tensor.normal([5, 2, 3, 3], seed: 74)
        let b = Tensor.normal([5], seed: 75)
        let got = Variable(x).conv2d(weight: Variable(w), bias: Variable(b), padding: 1)
        // The same sums, one output at a time.
        let biases = b.scalars
        var worst: Float = 0
        for n in 0..<3 {
            for o in 0..<5 {
                for yy in 0..<4 {
                    for xx in 0..<width {
                        var sum = Double(biases[o])
                        for c in 0..<2 {
                            for i in 0..<3 {
                                for j in 0..<3 {
                                    let (iy, ix) = (yy + i - 1, xx + j - 1)
                                    guard iy >= 0 && iy < 4 && ix >= 0 && ix < width else { continue }
                                    sum += Double(w[o, c, i, j]) * Double(x[n, c, iy, ix])
                                }
                            }
                        }
                        worst = Swift.max(worst, Swift.abs(got.value[n, o, yy, xx] - Float(sum)))
                    }
                }
            }
        }
        #expect(worst < 1e-4, "width \(width): worst difference \(worst)")
        // Gradients on one image: fewer outputs keep the Float32 finite differences within tolerance.
        check("conv2d width \(width)", [x.slice(axis: 0, 0..<1), w, b]) { $0[0].conv2d(weight: $0[1], bias: $0[2], padding: 1) }
    }

    @Test func conv2dWithoutInputGradientKeepsParameterGradients() {
        let x = Tensor.normal([4, 3, 9, 8], seed: 76), w = Tensor.normal([6, 3, 5, 5], seed: 77)
        let b = Tensor.normal([6], seed: 78), g = Tensor.normal([4, 6, 9, 8], seed: 79)
        func gradients(inputRequiresGrad: Bool) -> (Tensor?, Tensor, Tensor) {
            let input = Variable(x, requiresGrad: inputRequiresGrad)
            let weight = Variable(w, requiresGrad: true), bias = Variable(b, requiresGrad: true)
            input.conv2d(weight: weight, bias: bias, padding: 2).backward(g)
            return (input.grad, weight.grad!, bias.grad!)
        }
        let (dxWith, dwWith, dbWith) = gradients(inputRequiresGrad: true)
        let (dxWithout, dwWithout, dbWithout) = gradients(inputRequiresGrad: false)
        #expect(dxWith != nil && dxWithout == nil)
        #expect(dwWith.scalars == dwWithout.scalars && dbWith.scalars == dbWithout.scalars)
        // The bias gradient is the sum of ∂L/∂out over the batch and both spatial axes.
        let expected = g.sum(axes: [0, 2, 3]).scalars
        #expect(zip(dbWith.scalars, expected).allSatisfy { Swift.abs($0 - $1) < 1e-3 })
    }
}
