import Testing
@testable import Tensor

@Suite struct ShapeOpsTests {
    @Test func transposeAndPermuteMatchIndexing() {
        for (rows, cols) in [(1, 1), (3, 5), (33, 65), (64, 7)] {
            let t = Tensor.normal([rows, cols], seed: UInt64(rows * 100 + cols))
            let tt = t.transposed()
            #expect(tt.shape == [cols, rows])
            for _ in 0..<20 {
                let i = Int.random(in: 0..<rows), j = Int.random(in: 0..<cols)
                #expect(tt[j, i] == t[i, j])
            }
            #expect(tt.transposed() == t)
        }
        let t = Tensor.normal([2, 3, 4, 5], seed: 9)
        let p = t.permuted(2, 0, 3, 1)
        #expect(p.shape == [4, 2, 5, 3])
        let ps = p.scalars
        for o in 0..<p.count {
            let i = multiIndex(o, p.shape)
            #expect(ps[o] == t[i[1], i[3], i[0], i[2]])
        }
        #expect(t.swappingAxes(1, 3).shape == [2, 5, 4, 3])
        #expect(t.permuted(0, 1, 3, 2) == t.swappingAxes(-1, -2))
        let batch = Tensor.arange(24).reshaped(2, 3, 4)
        #expect(batch.transposed().shape == [2, 4, 3] && batch.transposed()[1, 3, 2] == batch[1, 2, 3])
    }

    @Test func slicingSelectingGathering() {
        let t = Tensor.arange(24).reshaped(4, 6)
        #expect(t.slice(axis: 0, 1..<3).scalars == Array((6..<18).map(Float.init)))
        #expect(t.slice(axis: 1, 0..<6, step: 2).shape == [4, 3])
        #expect(t.slice(axis: 1, 0..<6, step: 2)[1].scalars == [6, 8, 10])
        #expect(t.slice(axis: -1, 5..<6).scalars == [5, 11, 17, 23])
        #expect(t.slice(axis: 0, 2..<2).shape == [0, 6])
        #expect(t[2].scalars == [12, 13, 14, 15, 16, 17])
        #expect(t[1..<2].shape == [1, 6])
        #expect(t.selecting(-1, axis: 1).scalars == [5, 11, 17, 23])
        #expect(t.gathering([3, 0, 3]).scalars == [18, 19, 20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 18, 19, 20, 21, 22, 23])
        #expect(t.gathering([1], axis: 1).scalars == [1, 7, 13, 19])
    }

    @Test func squeezeUnsqueeze() {
        let t = Tensor.zeros([1, 3, 1, 2])
        #expect(t.squeezed().shape == [3, 2])
        #expect(t.squeezed(axis: 2).shape == [1, 3, 2])
        #expect(t.unsqueezed(axis: 0).shape == [1, 1, 3, 1, 2])
        #expect(t.unsqueezed(axis: -1).shape == [1, 3, 1, 2, 1])
    }

    @Test func concatenateAndStack() {
        let a = Tensor([[1, 2], [3, 4]]), b = Tensor([[5, 6]])
        #expect(Tensor.concatenated([a, b], axis: 0).scalars == [1, 2, 3, 4, 5, 6])
        let c = Tensor([[7], [8]])
        #expect(Tensor.concatenated([a, c], axis: 1).scalars == [1, 2, 7, 3, 4, 8])
        #expect(Tensor.concatenated([a, c], axis: -1).shape == [2, 3])
        let s0 = Tensor.stacked([Tensor([1, 2]), Tensor([3, 4]), Tensor([5, 6])])
        #expect(s0.shape == [3, 2] && s0.scalars == [1, 2, 3, 4, 5, 6])
        let s1 = Tensor.stacked([Tensor([1, 2]), Tensor([3, 4])], axis: 1)
        #expect(s1.shape == [2, 2] && s1.scalars == [1, 3, 2, 4])
        let s2 = Tensor.stacked([Tensor([1, 2]), Tensor([3, 4])], axis: -1)
        #expect(s2 == s1)
    }
}
