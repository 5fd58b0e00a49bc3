// softmax, logSoftmax and logSumExp against a naive Double reference: random
// data, huge values (no overflow), −inf entries, special rows (as PyTorch),
// single-column rows, every axis of 3-D tensors, threads and in-place variants.
import Foundation
import Testing
import Tensor

/// The naive reference in Double along `axis`: (softmax, logSoftmax) in the input's layout and
/// logSumExp in the reduced layout. Inputs must be finite or −inf.
private func reference(_ x: Tensor, axis: Int) -> (softmax: [Double], logSoftmax: [Double], logSumExp: [Double]) {
    let shape = x.shape, values = x.scalars.map(Double.init)
    let a = axis < 0 ? axis + shape.count : axis
    let outer = shape[..<a].reduce(1, *), n = shape[a], inner = shape[(a + 1)...].reduce(1, *)
    var softmax = [Double](repeating: 0, count: values.count)
    var logSoftmax = softmax
    var logSumExp = [Double](repeating: 0, count: outer * inner)
    for o in 0..<outer {
        for c in 0..<inner {
            let indices = (0..<n).map { o * n * inner + $0 * inner + c }
            let m = indices.map { values[$0] }.max()!
            let sum = indices.reduce(0.0) { $0 + Foundation.exp(values[$1] - m) }
            for i in indices {
                softmax[i] = Foundation.exp(values[i] - m) / sum
                logSoftmax[i] = values[i] - m - Foundation.log(sum)
            }
            logSumExp[o * inner + c] = m + Foundation.log(sum)
        }
    }
    return (softmax, logSoftmax, logSumExp)
}

/// Largest |a − b| (both −inf counts as equal).
private func maxDifference(_ a: [Float], _ b: [Double]) -> Double {
    zip(a, b).reduce(0.0) { worst, pair in
        if Double(pair.0) == pair.1 { return worst }
        return Swift.max(worst, Swift.abs(Double(pair.0) - pair.1))
    }
}

/// Largest |a − b| / max(1, |b|).
private func maxScaledDifference(_ a: [Float], _ b: [Double]) -> Double {
    zip(a, b).reduce(0.0) { worst, pair in
        if Double(pair.0) == pair.1 { return worst }
        return Swift.max(worst, Swift.abs(Double(pair.0) - pair.1) / Swift.max(1, Swift.abs(pair.1)))
    }
}

/// Sums of a softmax along the last axis, in Double, each minus 1.
private func rowSumErrors(_ y: Tensor) -> Double {
    let n = y.shape.last!, v = y.scalars
    return stride(from: 0, to: v.count, by: n).map { start in
        Swift.abs(v[start..<start + n].reduce(0.0) { $0 + Double($1) } - 1)
    }.max() ?? 0
}

/// Checks all three functions along `axis` against the reference.
private func checkAgainstReference(_ x: Tensor, axis: Int, softmaxTolerance: Double = 1e-6,
                                   logTolerance: Double = 2e-6, sourceLocation: SourceLocation = #_sourceLocation) {
    let r = reference(x, axis: axis)
    let s = maxDifference(x.softmax(axis: axis).scalars, r.softmax)
    let l = maxScaledDifference(x.logSoftmax(axis: axis).scalars, r.logSoftmax)
    let e = maxScaledDifference(x.logSumExp(axis: axis).scalars, r.logSumExp)
    #expect(s <= softmaxTolerance, "softmax axis \(axis) of \(x.shape): \(s)", sourceLocation: sourceLocation)
    #expect(l <= logTolerance, "logSoftmax axis \(axis) of \(x.shape): \(l)", sourceLocation: sourceLocation)
    #expect(e <= logTolerance, "logSumExp axis \(axis) of \(x.shape): \(e)", sourceLocation: sourceLocation)
}

@Suite("Softmax") struct SoftmaxTests {
    @Test func workedExample() {
        // softmax([1, 2, 3]) = [e, e², e³] / (e + e² + e³) = [0.09003057, 0.24472847, 0.66524096]
        let y = Tensor([1, 2, 3]).softmax()
        for (v, r) in zip(y.scalars, [0.09003057, 0.24472847, 0.66524096]) { #expect(Swift.abs(Double(v) - r) <= 1e-7) }
        // logSumExp([1, 2, 3]) = 3 + log(1 + e^−1 + e^−2) = 3.40760596
        #expect(Swift.abs(Tensor([1, 2, 3]).logSumExp() - 3.40760596) <= 5e-7)
    }

    @Test func randomRowsMatchReference() {
        // 1029 columns = 16·64 + 5: the unrolled loops, the single-vector loop and a partial vector.
        for columns in [1029, 4096, 7, 16, 33] {
            let x = Tensor.normal([23, columns], std: 3, seed: UInt64(columns))
            checkAgainstReference(x, axis: -1)
            #expect(rowSumErrors(x.softmax()) <= 1e-6, "row sums, \(columns) columns")
        }
    }

    @Test func rowsOfTheBenchmarkSumToOne() {
        let x = Tensor.normal([64, 4096], seed: 1)
        var y = x
        y.withUnsafeMutableBufferPointer { RowKernels.softmaxRowsInPlace($0.baseAddress!, rows: 64, columns: 4096) }
        #expect(y == x.softmax())
        #expect(rowSumErrors(y) <= 1e-6)
        #expect(y.scalars.allSatisfy { $0 > 0 && $0 < 1 })
    }

    @Test func hugeValuesDoNotOverflow() {
        let x = Tensor([[1e30, 1e30, -1e30, 0], [3e38, -3e38, 3e38, 1], [-1e30, -1e30 + 1e24, -1e30, -1e30]])
        let y = x.softmax().scalars
        #expect(y[0..<4] == [0.5, 0.5, 0, 0])
        #expect(y[4..<8] == [0.5, 0, 0.5, 0])
        #expect(Swift.abs(y[9] - 1) <= 1e-6 && y[8] == 0)
        #expect(x.logSumExp().isFinite)
        let lse = x.logSumExp(axis: 1).scalars
        #expect(lse[0] == 1e30 && lse[1] == 3e38)
        #expect(x.logSoftmax().scalars[0] == -Float(M_LN2))
        // Random rows scaled to ~1e30 against the reference.
        checkAgainstReference(Tensor.normal([5, 100], std: 1e30, seed: 4), axis: 1, logTolerance: 1e-6)
    }

    @Test func minusInfinityEntriesGiveExactZeros() {
        let x = Tensor([[-.infinity, 0, 0, -.infinity], [1, -.infinity, 2, 3]])
        let y = x.softmax()
        #expect(y.scalars[0..<4] == [0, 0.5, 0.5, 0])
        #expect(y.scalars[5] == 0)
        let l = x.logSoftmax().scalars
        #expect(l[0] == -.infinity && l[3] == -.infinity && l[5] == -.infinity)
        checkAgainstReference(x, axis: 1)
        checkAgainstReference(x, axis: 0)
        // A masked attention row: many −inf, as from a causal mask.
        var masked = Tensor.normal([8, 40], seed: 2).scalars
        for i in 0..<8 { for j in (i * 5 + 1)..<40 { masked[i * 40 + j] = -.infinity } }
        checkAgainstReference(Tensor(shape: [8, 40], scalars: masked), axis: 1)
    }

    @Test func specialRowsFollowPyTorch() {
        let x = Tensor([[-.infinity, -.infinity, -.infinity],
                        [1, .nan, 2],
                        [1, .infinity, 2],
                        [1, 2, 3]])
        for axisValues in [x.softmax(), x.logSoftmax()] {
            let v = axisValues.scalars
            #expect(v[0..<9].allSatisfy { $0.isNaN })             // all −inf, NaN, +inf rows
            #expect(v[9..<12].allSatisfy { !$0.isNaN })            // the normal row is untouched
        }
        let lse = x.logSumExp(axis: 1).scalars
        #expect(lse[0] == -.infinity && lse[1].isNaN && lse[2] == .infinity && lse[3].isFinite)
        // The same along axis 0 (the strided path): transpose by hand.
        let t = Tensor(shape: [3, 4]) { x.scalars[($0 % 4) * 3 + $0 / 4] }
        #expect(t.softmax(axis: 0).scalars.enumerated().allSatisfy { ($0.offset % 4 == 3) != $0.element.isNaN })
        let lse0 = t.logSumExp(axis: 0).scalars
        #expect(lse0[0] == -.infinity && lse0[1].isNaN && lse0[2] == .infinity && lse0[3].isFinite)
    }

    @Test func singleColumnRows() {
        let x = Tensor([[3], [-1e30], [0], [-.infinity]])
        #expect(x.softmax().scalars[0..<3] == [1, 1, 1])
        #expect(x.logSoftmax().scalars[0..<3] == [0, 0, 0])
        #expect(x.logSumExp(axis: 1).scalars == [3, -1e30, 0, -.infinity])
        #expect(x.logSumExp(axis: 1, keepDims: true).shape == [4, 1])
    }

    @Test func everyAxisOfThreeDimensionalTensors() {
        // 21 = 16 + 5 columns: one full vector and one partial vector in the strided path.
        let x = Tensor.normal([3, 7, 21], std: 2, seed: 8)
        for axis in [0, 1, 2, -1, -2, -3] { checkAgainstReference(x, axis: axis) }
        // More than 256 entries along a strided axis: the blocked sums.
        checkAgainstReference(Tensor.normal([2, 300, 40], seed: 6), axis: 1)
        // Shapes of logSumExp.
        #expect(x.logSumExp(axis: 1).shape == [3, 21])
        #expect(x.logSumExp(axis: 1, keepDims: true).shape == [3, 1, 21])
        #expect(x.logSumExp(axis: 0).shape == [7, 21])
        #expect(x.logSumExp(axis: -1, keepDims: true).shape == [3, 7, 1])
    }

    @Test func logSumExpOverAllElements() {
        let x = Tensor.normal([200_003], std: 4, seed: 12)      // large enough to split across threads
        let values = x.scalars.map(Double.init), m = values.max()!
        let expected = m + Foundation.log(values.reduce(0) { $0 + Foundation.exp($1 - m) })
        #expect(Swift.abs(Double(x.logSumExp()) - expected) <= 2e-6 * Swift.abs(expected))
        #expect(Tensor(shape: [0], scalars: []).logSumExp() == -.infinity)
        #expect(Tensor([-.infinity, -.infinity]).logSumExp() == -.infinity)
        #expect(Tensor([1, .infinity]).logSumExp() == .infinity)
        #expect(Tensor([1, .nan]).logSumExp().isNaN)
        #expect(Tensor([1e30, 1e30]).logSumExp() == 1e30)
        #expect(Tensor(5).logSumExp() == 5)
    }

    @Test func inPlaceThreadsAndEdgeShapes() {
        let x = Tensor.normal([50, 777], seed: 10)
        var y = x
        y.softmaxInPlace()
        #expect(y == x.softmax())
        var z = Tensor.normal([4, 9, 5], seed: 3)
        let original = z
        z.softmaxInPlace(axis: 1)
        #expect(z == original.softmax(axis: 1))
        // One thread and two threads give identical rows.
        let big = Tensor.normal([64, 2048], seed: 13)
        var a = big, b = big
        a.withUnsafeMutableBufferPointer { RowKernels.softmaxRowsInPlace($0.baseAddress!, rows: 64, columns: 2048, threads: 1) }
        b.withUnsafeMutableBufferPointer { RowKernels.softmaxRowsInPlace($0.baseAddress!, rows: 64, columns: 2048, threads: 2) }
        #expect(a == b)
        // Rank 0 and empty shapes.
        #expect(Tensor(4).softmax().item == 1)
        #expect(Tensor(4).logSoftmax().item == 0)
        #expect(Tensor(4).logSumExp(axis: -1).item == 4)
        #expect(Tensor.zeros([0, 5]).softmax().shape == [0, 5])
        #expect(Tensor.zeros([0, 5]).logSumExp(axis: 1).shape == [0])
        #expect(Tensor.zeros([3, 0]).logSumExp(axis: 1).scalars == [-.infinity, -.infinity, -.infinity])
    }
}
