import Testing
@testable import Tensor

/// Reduces axis `axis` of `t` element by element in Double.
func naiveReduce(_ t: Tensor, axis: Int, _ f: ([Double]) -> Double) -> Tensor {
    var outShape = t.shape
    outShape.remove(at: axis)
    let count = outShape.reduce(1, *)
    let scalars = t.scalars
    let values = (0..<count).map { o -> Float in
        var index = multiIndex(o, outShape)
        index.insert(0, at: axis)
        let column = (0..<t.shape[axis]).map { i -> Double in
            index[axis] = i
            return Double(scalars[t.offset(of: index)])
        }
        return Float(f(column))
    }
    return Tensor(shape: outShape, scalars: values)
}

@Suite struct ReductionTests {
    static let shapes: [[Int]] = [[7], [100], [3, 5], [4, 1, 6], [2, 3, 37], [1, 1], [5, 70]]

    @Test(arguments: shapes)
    func reductionsOverEveryAxisMatchNaive(_ shape: [Int]) {
        let t = Tensor.normal(shape, seed: UInt64(shape.reduce(0, +)))
        for axis in 0..<shape.count {
            #expect(maxRelativeError(t.sum(axis: axis), naiveReduce(t, axis: axis) { $0.reduce(0, +) }) < 1e-5)
            #expect(maxRelativeError(t.mean(axis: axis), naiveReduce(t, axis: axis) { $0.reduce(0, +) / Double($0.count) }) < 1e-5)
            #expect(t.max(axis: axis) == naiveReduce(t, axis: axis) { $0.max()! })
            #expect(t.min(axis: axis) == naiveReduce(t, axis: axis) { $0.min()! })
            #expect(t.argmax(axis: axis) == naiveReduce(t, axis: axis) { Double($0.firstIndex(of: $0.max()!)!) })
            #expect(t.argmin(axis: axis) == naiveReduce(t, axis: axis) { Double($0.firstIndex(of: $0.min()!)!) })
            let variance = naiveReduce(t, axis: axis) { v in
                let m = v.reduce(0, +) / Double(v.count)
                return v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)
            }
            #expect(maxRelativeError(t.variance(axis: axis), variance) < 1e-5)
            // keepDims leaves a size-1 axis that broadcasts back against the input.
            let kept = t.sum(axis: axis, keepDims: true)
            #expect(kept.rank == t.rank && kept.shape[axis] == 1)
            #expect((t - t.mean(axis: axis, keepDims: true)).shape == t.shape)
        }
        #expect(abs(t.sum() - t.scalars.reduce(0, +)) < 1e-3)
        #expect(t.max() == t.scalars.max()! && t.min() == t.scalars.min()!)
        #expect(t.scalars[t.argmax()] == t.max())
    }

    @Test func negativeAxesAndSeveralAxes() {
        let t = Tensor.arange(24).reshaped(2, 3, 4)
        #expect(t.sum(axis: -1) == t.sum(axis: 2))
        #expect(t.sum(axes: [0, 2]).scalars == [60, 92, 124])
        #expect(t.sum(axes: [0, 2], keepDims: true).shape == [1, 3, 1])
        #expect(t.mean(axes: [1, 2]).scalars == [5.5, 17.5])
    }

    @Test func workedExamples() {
        let t = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(t.sum(axis: 0).scalars == [5, 7, 9])
        #expect(t.sum(axis: 1).scalars == [6, 15])
        #expect(t.mean() == 3.5)
        #expect(t.variance() == Float(35.0 / 12.0))
        #expect(t.variance(axis: 1, correction: 1).scalars == [1, 1])
        #expect(Tensor([3, 1, 3]).argmax() == 0)
        #expect(Tensor([1, .nan, 3]).max().isNaN)
        #expect(Tensor([1, .nan, 3]).argmax() == 1)
    }

    @Test func largeSumIsAccurateAndParallel() {
        // 4 million ones and a pattern whose exact sum is known.
        let ones = Tensor.ones([4_000_000])
        #expect(ones.sum() == 4_000_000)
        let pattern = Tensor(shape: [1_000_003]) { Float($0 % 7) - 3 }
        let exact = (0..<1_000_003).reduce(0.0) { $0 + Double($1 % 7) - 3 }
        #expect(Double(pattern.sum()) == exact)
    }
}
