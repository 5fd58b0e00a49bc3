// Indexing, joining and piecewise ops: gradcheck with step h = 1e-2 (worst error
// < 1e-2), on inputs whose values are at least 0.05 from every tie and kink, so
// that x ± h never changes the branch taken; plus hand-computed gradients.
import Testing
@testable import Autograd
import Tensor

@Suite struct IndexingAndSelectionTests {
    /// 0.0, 0.7, 1.4, …: a permutation of 0.1·(0..<24) (7 is prime to 24), so every gap is ≥ 0.1.
    let spaced = Tensor(shape: [2, 3, 4]) { Float(($0 * 7) % 24) * 0.1 - 1.15 }
    let x = Tensor.normal([3, 4, 5], seed: 31)

    @Test func maxAndMinAlongAnAxis() {
        check("max axis 0", [spaced]) { $0[0].max(axis: 0) }
        check("max axis 1 keepDims", [spaced]) { $0[0].max(axis: 1, keepDims: true) }
        check("min axis -1", [spaced]) { $0[0].min(axis: -1) }
        // On a tie the whole gradient goes to the first arg-max.
        let v = Variable(Tensor([[1, 3, 3], [2, 0, 1]]), requiresGrad: true)
        v.max(axis: 1).sum().backward()
        #expect(v.grad!.scalars == [0, 1, 0, 1, 0, 0])
    }

    @Test func slicing() {
        check("slice axis 1", [x]) { $0[0].slice(axis: 1, 1..<3) }
        check("slice with step", [x]) { $0[0].slice(axis: -1, 0..<5, step: 2).squared() }
        let v = Variable(Tensor([1, 2, 3, 4, 5]), requiresGrad: true)
        v.slice(1..<5, step: 2).sum().backward()
        #expect(v.grad!.scalars == [0, 1, 0, 1, 0])
    }

    @Test func gatheringScatterAddsRepeats() {
        // An embedding table [4, 3] looked up with a repeated token: row 0 is used twice.
        let table = Variable(Tensor.normal([4, 3], seed: 32), requiresGrad: true)
        let looked = table.gathering([0, 2, 0])
        #expect(looked.shape == [3, 3])
        looked.sum().backward()
        #expect(table.grad!.scalars == [2, 2, 2, 0, 0, 0, 1, 1, 1, 0, 0, 0])
        check("gathering axis 0", [Tensor.normal([4, 3], seed: 33)]) { $0[0].gathering([3, 1, 3, 3, 0]) }
        check("gathering axis 1", [x]) { $0[0].gathering([3, 0, 3], axis: 1).squared() }
    }

    @Test func joining() {
        let parts = [Tensor.normal([2, 1, 3], seed: 34), Tensor.normal([2, 4, 3], seed: 35), Tensor.normal([2, 2, 3], seed: 36)]
        check("concatenated axis 1", parts) { Variable.concatenated($0, axis: 1).squared() }
        check("concatenated axis 0", [x, x]) { Variable.concatenated([$0[0], $0[1].exp()], axis: 0) }
        let same = [Tensor.normal([3, 2], seed: 37), Tensor.normal([3, 2], seed: 38)]
        check("stacked axis 0", same) { Variable.stacked($0, axis: 0) * Variable.stacked($0, axis: 0) }
        check("stacked axis -1", same) { Variable.stacked([$0[0], $0[1].tanh()], axis: -1) }
        #expect(Variable.stacked([Variable(same[0]), Variable(same[1])], axis: -1).shape == [3, 2, 2])
    }

    @Test func squeezingAndUnsqueezing() {
        check("unsqueezed then squeezed", [Tensor.normal([3, 4], seed: 39)]) {
            ($0[0].unsqueezed(axis: 1) * $0[0].unsqueezed(axis: 0)).squared()   // (3,1,4)·(1,3,4) -> (3,3,4)
        }
        check("squeezed", [Tensor.normal([3, 1, 4], seed: 40)]) { $0[0].squeezed(axis: 1).exp() }
    }

    @Test func whereClampAndAbs() {
        let a = Tensor.normal([3, 4], seed: 41), b = Tensor.normal([4], seed: 42)
        let mask = Tensor.normal([3, 4], seed: 43) .> 0
        check("where with broadcasting", [a, b]) { Variable.where(mask, $0[0], $0[1]) }
        let v = Variable(Tensor([1, 2, 3]), requiresGrad: true), w = Variable(Tensor([4, 5, 6]), requiresGrad: true)
        Variable.where(Tensor([1, 0, 1]), v, w).sum().backward()
        #expect(v.grad!.scalars == [1, 0, 1] && w.grad!.scalars == [0, 1, 0])

        // spaced is ≥ 0.05 from −0.5, 0.5 and 0.
        check("clamped", [spaced]) { $0[0].clamped(min: -0.5, max: 0.5).squared() }
        check("abs", [spaced]) { $0[0].abs() }
        let c = Variable(Tensor([-2, 0, 0.5, 3]), requiresGrad: true)
        c.clamped(min: -1, max: 1).sum().backward()
        #expect(c.grad!.scalars == [0, 1, 1, 0])
        let d = Variable(Tensor([-2, 0, 3]), requiresGrad: true)
        d.abs().sum().backward()
        #expect(d.grad!.scalars == [-1, 0, 1])
    }

    @Test func variance() {
        check("variance axis 1", [x]) { $0[0].variance(axis: 1) }
        check("variance axis -1 keepDims, sample", [x]) { $0[0].variance(axis: -1, keepDims: true, correction: 1) }
        let got = Variable(x).variance(axis: 2, correction: 1).value
        let expected = x.variance(axis: 2, correction: 1)
        #expect(zip(got.scalars, expected.scalars).allSatisfy { Swift.abs($0 - $1) < 1e-5 })
    }
}
