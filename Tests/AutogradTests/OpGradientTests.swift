// gradcheck for every differentiable op: central differences with step h = 1e-2
// (stated per test), worst error below 1e-2 (relative, with a floor of 1e-2).
import Testing
@testable import Autograd
import Tensor

func check(_ name: String, _ inputs: [Tensor], step: Float = 1e-2, _ f: @escaping ([Variable]) -> Variable) {
    let result = gradcheck(inputs, step: step, f)
    #expect(result.worstError < 1e-2, "\(name): \(result)")
}

@Suite struct OpGradientTests {
    let a = Tensor.normal([3, 4], seed: 1)
    let b = Tensor.normal([3, 4], seed: 2)
    let positive = Tensor.uniform([3, 4], low: 0.5, high: 2, seed: 3)

    @Test func arithmeticWithBroadcasting() {
        check("add", [a, Tensor.normal([4], seed: 4)]) { $0[0] + $0[1] }
        check("subtract", [a, Tensor.normal([3, 1], seed: 5)]) { $0[0] - $0[1] }
        check("multiply", [a, Tensor.normal([1, 4], seed: 6)]) { $0[0] * $0[1] }
        check("divide", [a, positive]) { $0[0] / $0[1] }
        check("negate", [a]) { -$0[0] }
        check("scalar ops", [a]) { 3 - ($0[0] * 2 + 1) / 4 }
        check("reciprocal", [positive]) { 1 / $0[0] }
        check("scalar broadcast", [a, Tensor(0.7)]) { $0[0] * $0[1] }
    }

    @Test func matmul() {
        check("matmul", [Tensor.normal([3, 5], seed: 7), Tensor.normal([5, 2], seed: 8)]) { $0[0].matmul($0[1]) }
        check("matmul transposed", [Tensor.normal([3, 5], seed: 7), Tensor.normal([2, 5], seed: 8)]) { $0[0].matmul($0[1], transposeOther: true) }
        check("batched matmul transposed", [Tensor.normal([2, 3, 4], seed: 9), Tensor.normal([5, 4], seed: 10)]) { $0[0].matmul($0[1], transposeOther: true) }
        check("batched matmul", [Tensor.normal([2, 3, 4], seed: 9), Tensor.normal([4, 2], seed: 10)]) { $0[0].matmul($0[1]) }
    }

    @Test func elementwise() {
        check("exp", [a]) { $0[0].exp() }
        check("log", [positive]) { $0[0].log() }
        check("tanh", [a]) { $0[0].tanh() }
        check("sigmoid", [a]) { $0[0].sigmoid() }
        check("relu", [a]) { $0[0].relu() }     // no element within h of the kink for this seed
        check("sqrt", [positive]) { $0[0].sqrt() }
        check("pow", [positive]) { $0[0].pow(2.5) }
        check("square", [a]) { $0[0].squared() }
        check("gelu", [a]) { $0[0].gelu() }
        check("silu", [a]) { $0[0].silu() }
    }

    @Test func reductionsAndShapes() {
        check("sum", [a]) { $0[0].sum() }
        check("sum axis 0", [a]) { $0[0].sum(axis: 0) }
        check("sum axis 1 keepDims", [a]) { $0[0].sum(axis: 1, keepDims: true) }
        check("mean", [a]) { $0[0].mean() }
        check("mean axis", [a]) { $0[0].mean(axis: -1) }
        check("reshape", [a]) { $0[0].reshaped(2, 6) * $0[0].reshaped(2, 6) }
        check("permute", [Tensor.normal([2, 3, 4], seed: 11)]) { $0[0].permuted([2, 0, 1]).squared() }
        check("transpose", [a]) { $0[0].transposed().matmul($0[0]) }
    }
}
