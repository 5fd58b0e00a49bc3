// Temporary bridge until the SIMD GEMM lands: forwards to NaiveGEMM-like loops.
enum SIMDGEMM {
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
                         b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        for i in 0..<m {
            for j in 0..<n {
                var s: Float = 0
                for p in 0..<k {
                    s += (transposeA ? a[p * lda + i] : a[i * lda + p]) * (transposeB ? b[j * ldb + p] : b[p * ldb + j])
                }
                c[i * ldc + j] = accumulate ? c[i * ldc + j] + s : s
            }
        }
    }
}
