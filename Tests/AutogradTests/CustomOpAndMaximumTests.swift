// A differentiable op defined from outside the module, through the public
// Variable(value, op:, parents:, backward:) (plain `import Autograd`, not
// @testable, so only public API is used), and maximum/minimum with broadcasting.
// gradcheck with step 1e-2 on inputs kept at least 0.05 from every tie.
import Autograd
import Testing
import Tensor

extension Variable {
    /// softplus(x) = ln(1 + eˣ); its derivative is σ(x). The example of Variable.swift's header.
    fileprivate func softplusForTest() -> Variable {
        let x = value
        return Variable((x.exp() + 1).log(), op: "softplus", parents: [self]) { g in [g * x.sigmoid()] }
    }

    /// x·y with a hand-written backward for two parents of the same shape.
    fileprivate static func productForTest(_ a: Variable, _ b: Variable) -> Variable {
        let (x, y) = (a.value, b.value)
        return Variable(x * y, parents: [a, b]) { g in [g * y, g * x] }
    }
}

@Suite struct CustomOpAndMaximumTests {
    @Test func anOpDefinedThroughThePublicInitialiserPassesGradcheck() {
        let x = Tensor.normal([3, 4], seed: 5)
        let one = gradcheck([x]) { $0[0].softplusForTest() }
        #expect(one.worstError < 1e-2, "softplus: \(one)")
        // Value and op name are what the initialiser was given; the default name is "custom".
        let v = Variable(Tensor([0]), requiresGrad: true).softplusForTest()
        #expect(abs(v.value.item - Float(0.6931472)) < 1e-6)
        #expect(v.op == "softplus")
        let two = gradcheck([x, Tensor.normal([3, 4], seed: 6)]) { Variable.productForTest($0[0], $0[1]).tanh() }
        #expect(two.worstError < 1e-2, "product: \(two)")
        #expect(Variable.productForTest(Variable(x, requiresGrad: true), Variable(x)).op == "custom")
    }

    @Test func aCustomOpComposesWithTheBuiltInOnes() {
        // d/dx softplus(x)² at x = 0: 2·ln 2·σ(0) = ln 2.
        let x = Variable(Tensor([0]), requiresGrad: true)
        x.softplusForTest().squared().backward()
        #expect(abs(x.grad!.item - Float(0.6931472)) < 1e-6)
    }

    /// Values k·0.1 − 1.15 for distinct k, so a and b never come within 0.05 of each other.
    let a = Tensor(shape: [3, 4]) { Float(($0 * 5) % 24) * 0.1 - 1.15 }
    let b = Tensor(shape: [3, 4]) { Float(($0 * 7 + 12) % 24) * 0.1 - 1.1 }
    let row = Tensor(shape: [4]) { Float($0) * 0.6 - 0.83 }

    @Test func maximumAndMinimumPassGradcheck() {
        for (name, f) in [("maximum", Variable.maximum), ("minimum", Variable.minimum)] as [(String, (Variable, Variable) -> Variable)] {
            let same = gradcheck([a, b]) { f($0[0], $0[1]) }
            #expect(same.worstError < 1e-2, "\(name) [3, 4] and [3, 4]: \(same)")
            let broadcast = gradcheck([a, row]) { f($0[0], $0[1]).squared() }
            #expect(broadcast.worstError < 1e-2, "\(name) [3, 4] and [4]: \(broadcast)")
        }
    }

    @Test func maximumAndMinimumByHandWithATie() {
        // PyTorch's rule: the picked input gets g, the other 0, and a tie splits g in half.
        let x = Variable(Tensor([1, 5, 2]), requiresGrad: true)
        let y = Variable(Tensor([3, 4, 2]), requiresGrad: true)
        let m = Variable.maximum(x, y)
        #expect(m.value.scalars == [3, 5, 2])
        m.sum().backward()
        #expect(x.grad!.scalars == [0, 1, 0.5])
        #expect(y.grad!.scalars == [1, 0, 0.5])
        x.zeroGrad(); y.zeroGrad()
        let n = Variable.minimum(x, y)
        #expect(n.value.scalars == [1, 4, 2])
        n.sum().backward()
        #expect(x.grad!.scalars == [1, 0, 0.5])
        #expect(y.grad!.scalars == [0, 1, 0.5])
        // A broadcast input receives the sum over the axis it was stretched along.
        let column = Variable(Tensor([[0], [10]]), requiresGrad: true)            // [2, 1]
        Variable.maximum(column, Variable(Tensor([1, 2, 3]))).sum().backward()   // [2, 3]
        #expect(column.grad!.scalars == [0, 3])
    }
}
