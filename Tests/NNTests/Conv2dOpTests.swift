// conv2d (NN/Conv2dOp.swift) against a naive 7-loop reference (stride 1 and 2,
// padding 0 and 1) and gradcheck with step h = 1e-2, worst error < 1e-2.
import Testing
import Autograd
@testable import NN
import Tensor

/// gradcheck of `f` at `inputs`, expecting a worst error below 1e-2 (shared by the NN op tests).
func check(_ name: String, _ inputs: [Tensor], _ f: @escaping ([Variable]) -> Variable) {
    let result = gradcheck(inputs, step: 1e-2, f)
    #expect(result.worstError < 1e-2, "\(name): \(result)")
}

/// out[n, o, y, x] = b_o + Σ_c Σ_i Σ_j w[o, c, i, j] · x[n, c, y·s + i − p, x·s + j − p], in Double.
private func naiveConv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor, stride s: Int, padding p: Int) -> Tensor {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let ho = (h + 2 * p - kh) / s + 1, wo = (wd + 2 * p - kw) / s + 1
    let xs = x.scalars, ws = w.scalars, bs = b.scalars
    var out = [Float](repeating: 0, count: n * o * ho * wo)
    for image in 0..<n {
        for f in 0..<o {
            for y in 0..<ho {
                for xo in 0..<wo {
                    var sum = Double(bs[f])
                    for ch in 0..<c {
                        for i in 0..<kh {
                            for j in 0..<kw {
                                let iy = y * s + i - p, ix = xo * s + j - p
                                guard iy >= 0 && iy < h && ix >= 0 && ix < wd else { continue }
                                sum += Double(ws[((f * c + ch) * kh + i) * kw + j]) * Double(xs[((image * c + ch) * h + iy) * wd + ix])
                            }
                        }
                    }
                    out[((image * o + f) * ho + y) * wo + xo] = Float(sum)
                }
            }
        }
    }
    return Tensor(shape: [n, o, ho, wo], scalars: out)
}

@Suite struct Conv2dOpTests {
    @Test(arguments: [(1, 0), (1, 1), (2, 0), (2, 1), (1, 2), (3, 2)])
    func conv2dMatchesNaiveReference(stride: Int, padding: Int) {
        let x = Tensor.normal([2, 3, 7, 6], seed: 51)
        let w = Tensor.normal([4, 3, 3, 2], seed: 52)          // a non-square 3×2 kernel
        let b = Tensor.normal([4], seed: 53)
        let got = Variable(x).conv2d(weight: Variable(w), bias: Variable(b), stride: stride, padding: padding).value
        let expected = naiveConv2d(x, w, b, stride: stride, padding: padding)
        #expect(got.shape == expected.shape)
        let worst = zip(got.scalars, expected.scalars).map { Swift.abs($0 - $1) }.max()!
        #expect(worst < 1e-4, "stride \(stride) padding \(padding): worst difference \(worst)")
    }

    @Test func conv2dInGroupsOfImages() {
        // 5 images in groups of 2 (2, 2, 1): the same values and gradients as all at once.
        let x = Tensor.normal([5, 2, 6, 5], seed: 59), w = Tensor.normal([3, 2, 3, 3], seed: 60)
        let reference = naiveConv2d(x, w, Tensor.zeros([3]), stride: 2, padding: 1)
        let groupOfTwo = 2 * 18 * 9                                            // 2 images of cols [C·3·3, 3·3]
        let got = Variable(x).conv2d(weight: Variable(w), bias: nil, stride: 2, padding: 1, columnBudget: groupOfTwo).value
        #expect(zip(got.scalars, reference.scalars).allSatisfy { Swift.abs($0 - $1) < 1e-4 })
        check("conv2d in groups of 2", [x, w]) {
            $0[0].conv2d(weight: $0[1], bias: nil, stride: 2, padding: 1, columnBudget: groupOfTwo)
        }
    }

    @Test func conv2dOutputSize() {
        // ⌊(7 + 2 − 3)/2⌋ + 1 = 4 and ⌊(6 + 2 − 3)/2⌋ + 1 = 3.
        let y = Variable(Tensor.zeros([1, 2, 7, 6])).conv2d(weight: Variable(Tensor.zeros([5, 2, 3, 3])), stride: 2, padding: 1)
        #expect(y.shape == [1, 5, 4, 3])
    }

    @Test(arguments: [(1, 0), (1, 1), (2, 0), (2, 1)])
    func conv2dGradients(stride: Int, padding: Int) {
        let inputs = [Tensor.normal([2, 2, 5, 5], seed: 54), Tensor.normal([3, 2, 3, 3], seed: 55), Tensor.normal([3], seed: 56)]
        check("conv2d stride \(stride) padding \(padding)", inputs) {
            $0[0].conv2d(weight: $0[1], bias: $0[2], stride: stride, padding: padding)
        }
        check("conv2d without bias, 2×3 kernel", Array(inputs[0...0]) + [Tensor.normal([2, 2, 2, 3], seed: 57)]) {
            conv2d($0[0], weight: $0[1], stride: stride, padding: padding)
        }
    }

    @Test func badShapesStop() async {
        await #expect(processExitsWith: .failure) {          // 3 input channels, weight expects 2
            _ = Variable(Tensor.zeros([1, 3, 5, 5])).conv2d(weight: Variable(Tensor.zeros([4, 2, 3, 3])))
        }
        await #expect(processExitsWith: .failure) {          // bias [3] for 4 filters
            _ = conv2d(Variable(Tensor.zeros([1, 2, 5, 5])), weight: Variable(Tensor.zeros([4, 2, 3, 3])),
                       bias: Variable(Tensor.zeros([3])))
        }
    }
}
