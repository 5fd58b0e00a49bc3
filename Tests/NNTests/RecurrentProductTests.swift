// RecurrentProduct (the per-step product of the fused LSTM) against a naive triple loop,
// over sizes that hit the 8×32 tile (AVX-512), the 6- and 4-row tiles (AVX2), the edge tiles and the GEMM fallback (n not a multiple of 16).
import Testing
@testable import NN
import Autograd
import Tensor

@Suite("Recurrent product")
struct RecurrentProductTests {
    @Test("C (+)= A·B equals the naive sum", arguments: [(32, 1024, 256), (32, 256, 1024), (5, 48, 7), (9, 16, 3), (3, 20, 4), (8, 32, 5), (7, 16, 9), (4, 16, 2)])
    func matchesNaive(m: Int, n: Int, k: Int) {
        let lda = k + 3   // rows of A further apart than k, as in the strided state of the LSTM op
        let a = Tensor.normal([m, lda], seed: 1).scalars, b = Tensor.normal([k, n], seed: 2).scalars
        let start = Tensor.normal([m, n], seed: 3).scalars
        for accumulate in [false, true] {
            var c = start
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        RecurrentProduct.multiply(m: m, n: n, k: k, a: ap.baseAddress!, lda: lda, b: bp.baseAddress!,
                                                  c: cp.baseAddress!, ldc: n, accumulate: accumulate)
                    }
                }
            }
            var worst: Float = 0
            for i in 0..<m {
                for j in 0..<n {
                    var sum: Double = accumulate ? Double(start[i * n + j]) : 0
                    for p in 0..<k { sum += Double(a[i * lda + p]) * Double(b[p * n + j]) }
                    worst = max(worst, abs(c[i * n + j] - Float(sum)) / max(1, abs(Float(sum))))
                }
            }
            #expect(worst < 1e-4, "m \(m) n \(n) k \(k) accumulate \(accumulate): worst relative error \(worst)")
        }
    }
}
