import Testing
@testable import Autograd
import Tensor

@Suite struct GraphTests {
    @Test func workedExampleByHand() {
        // L = Σ (a·b + a) = (3 + 1) + (8 + 2) = 14 with a = [1, 2], b = [3, 4]:  ∂L/∂a = b + 1 = [4, 5],  ∂L/∂b = a = [1, 2]
        let a = Variable(Tensor([1, 2]), requiresGrad: true)
        let b = Variable(Tensor([3, 4]), requiresGrad: true)
        let loss = (a * b + a).sum()
        #expect(loss.value.item == 14)
        loss.backward()
        #expect(a.grad?.scalars == [4, 5])
        #expect(b.grad?.scalars == [1, 2])
    }

    @Test func valueUsedTwiceAccumulates() {
        // b = a + a; c = b · b  →  c = 4a², dc/da = 8a
        let a = Variable(Tensor([3]), requiresGrad: true)
        let b = a + a
        let c = b * b
        c.sum().backward()
        #expect(a.grad?.scalars == [24])
    }

    @Test func reusedNonLeafGetsTheSumOfItsUses() {
        // h = x²; y = h·3 + h·h  →  dy/dx = (3 + 2h)·2x = (3 + 2·4)·4 = 44 at x = 2
        let x = Variable(Tensor([2]), requiresGrad: true)
        let h = x.squared()
        let y = h * 3 + h * h
        y.sum().backward()
        #expect(y.value.item == 28)
        #expect(x.grad?.scalars == [44])
    }

    @Test func deepChainNeedsNoRecursion() {
        // 10 000 ops: y = x · 1.0001^10000 … computed as repeated scaling.
        let x = Variable(Tensor([1]), requiresGrad: true)
        var y = x
        for _ in 0..<10_000 { y = y * Float(1.0001) }
        y.sum().backward()
        let expected = Foundation_pow(1.0001, 10_000)
        #expect(abs(Double(x.grad!.item) - expected) / expected < 1e-3)
    }

    @Test func gradientsAccumulateUntilZeroed() {
        let w = Variable(Tensor([1, 1]), requiresGrad: true)
        for _ in 0..<3 { (w * Variable(Tensor([2, 5]))).sum().backward() }
        #expect(w.grad?.scalars == [6, 15])
        w.zeroGrad()
        #expect(w.grad == nil)
    }

    @Test func broadcastGradientsReduceToTheInputShape() {
        let matrix = Variable(Tensor.ones([2, 3]), requiresGrad: true)
        let row = Variable(Tensor([1, 2, 3]), requiresGrad: true)
        let column = Variable(Tensor([[1], [2]]), requiresGrad: true)
        let scalar = Variable(Tensor(2), requiresGrad: true)
        ((matrix + row) * column * scalar).sum().backward()
        #expect(row.grad?.shape == [3] && row.grad?.scalars == [6, 6, 6])        // Σ over rows of column·2
        #expect(column.grad?.shape == [2, 1])
        #expect(column.grad?.scalars == [18, 18])                                  // Σ_j (1 + row_j)·2
        #expect(scalar.grad?.shape == [] && scalar.grad?.item == 27)               // Σ (1 + row_j)·column_i = 9·3
        #expect(matrix.grad?.scalars == [2, 2, 2, 4, 4, 4])
    }

    @Test func detachAndNoGradCutTheGraph() {
        let w = Variable(Tensor([2]), requiresGrad: true)
        let frozen = (w * 3).detached()
        #expect(!frozen.requiresGrad)
        let evaluated = noGrad { w * w }
        #expect(!evaluated.requiresGrad && evaluated.isLeaf)
        #expect(GradientMode.isEnabled)
        (w * frozen).sum().backward()
        #expect(w.grad?.scalars == [6])
    }

    @Test func backwardReleasesTheGraph() {
        let w = Variable(Tensor([1, 2]), requiresGrad: true)
        let y = (w * w).sum()
        #expect(y.parents.count == 1)
        y.backward()
        #expect(y.parents.isEmpty && y.backwardRule == nil)
    }
}

/// Double power, without importing Foundation into every test file.
func Foundation_pow(_ base: Double, _ exponent: Int) -> Double {
    (0..<exponent).reduce(1.0) { r, _ in r * base }
}
