import Testing
@testable import Tensor

/// op(a)·op(b) for 2-D tensors, in Double.
func naiveMatmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    let x = transposeA ? a.transposed() : a, y = transposeB ? b.transposed() : b
    let (m, k, n) = (x.shape[0], x.shape[1], y.shape[1])
    let xs = x.scalars, ys = y.scalars
    var out = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var s = 0.0
            for p in 0..<k { s += Double(xs[i * k + p]) * Double(ys[p * n + j]) }
            out[i * n + j] = Float(s)
        }
    }
    return Tensor(shape: [m, n], scalars: out)
}

@Suite struct MatmulTests {
    @Test func workedExample() {
        let a = Tensor([[1, 2, 3], [4, 5, 6]]), b = Tensor([[7, 8], [9, 10], [11, 12]])
        #expect(a.matmul(b).scalars == [58, 64, 139, 154])
        #expect(Tensor.dot(Tensor([1, 2, 3]), Tensor([4, 5, 6])) == 32)
    }

    @Test(arguments: MatmulBackend.allCases)
    func matricesAndTransposesMatchNaive(_ backend: MatmulBackend) {
        for (m, k, n) in [(1, 1, 1), (7, 3, 5), (33, 17, 9), (64, 100, 31)] {
            let a = Tensor.normal([m, k], seed: 1), b = Tensor.normal([k, n], seed: 2)
            let reference = naiveMatmul(a, b)
            #expect(maxRelativeError(Tensor.matmul(a, b, backend: backend), reference) < 1e-4)
            #expect(maxRelativeError(Tensor.matmul(a.transposed(), b, transposeA: true, backend: backend), reference) < 1e-4)
            #expect(maxRelativeError(Tensor.matmul(a, b.transposed(), transposeB: true, backend: backend), reference) < 1e-4)
            #expect(maxRelativeError(Tensor.matmul(a.transposed(), b.transposed(), transposeA: true, transposeB: true, backend: backend), reference) < 1e-4)
        }
    }

    @Test(arguments: MatmulBackend.allCases)
    func vectorsAndBatchesFollowNumPy(_ backend: MatmulBackend) {
        let a = Tensor.normal([4, 3], seed: 3), v = Tensor.normal([3], seed: 4), w = Tensor.normal([4], seed: 5)
        let av = Tensor.matmul(a, v, backend: backend)
        #expect(av.shape == [4])
        #expect(maxRelativeError(av, naiveMatmul(a, v.reshaped(3, 1)).reshaped(4)) < 1e-5)
        let wa = Tensor.matmul(w, a, backend: backend)
        #expect(wa.shape == [3])
        #expect(Tensor.matmul(v, v, backend: backend).shape == [])

        // A stack of 2×3 matrices times one 3×5 matrix (batch axes broadcast), and batch × batch.
        let stack = Tensor.normal([2, 4, 3], seed: 6), b = Tensor.normal([3, 5], seed: 7)
        let product = Tensor.matmul(stack, b, backend: backend)
        #expect(product.shape == [2, 4, 5])
        for i in 0..<2 { #expect(maxRelativeError(product[i], naiveMatmul(stack[i], b)) < 1e-5) }
        let other = Tensor.normal([3, 1, 5, 2], seed: 8), lhs = Tensor.normal([2, 4, 5], seed: 9)
        let batched = Tensor.matmul(lhs, other, backend: backend)
        #expect(batched.shape == [3, 2, 4, 2])
        #expect(maxRelativeError(batched[2][1], naiveMatmul(lhs[1], other[2][0])) < 1e-5)
    }
}
