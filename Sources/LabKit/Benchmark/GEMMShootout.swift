// GEMMShootout: timing three ways to compute C = A·B for square n×n matrices.
//
//   naive  the textbook triple loop (NaiveGEMM): one dot product per element of C
//   simd   MLLab's packed, cache-blocked, register-tiled SIMD16 kernel (SIMDGEMM)
//   blas   OpenBLAS's cblas_sgemm, what NumPy calls
//
// GFLOP/s = 2n³ / t / 10⁹: each of the n² outputs takes n multiplies and n adds.
// A and B are drawn from N(0, 1) with a fixed seed; each engine's time is the
// median of several runs after a warm-up (Stopwatch).
import Foundation

/// One of the three matrix-multiply engines being compared.
public enum GEMMEngine: String, CaseIterable, Sendable {
    case naive, simd, blas
}

/// Times square matrix products with each engine.
public enum GEMMShootout {
    /// Median seconds of one n×n×n product with `engine` on `threads` cores
    /// (the naive loop always runs on one).
    public static func seconds(n: Int, engine: GEMMEngine, threads: Int, repetitions: Int = 5, warmup: Int = 1,
                               minimumTotal: Double = 0.5, seed: UInt64 = 1) -> Double {
        let a = Tensor.normal([n, n], seed: seed), b = Tensor.normal([n, n], seed: seed + 1)
        var c = Tensor(uninitializedShape: [n, n])
        ComputeThreads.set(threads)   // OpenBLAS's thread count
        // OpenBLAS's idle workers keep spinning for a moment after a call and would take
        // a core from our threads: let them settle before timing anything else.
        Thread.sleep(forTimeInterval: 0.3)
        return a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    let (a, b, c) = (ap.baseAddress!, bp.baseAddress!, cp.baseAddress!)
                    return Stopwatch.median(repetitions: repetitions, warmup: warmup, minimumTotal: minimumTotal) {
                        switch engine {
                        case .naive:
                            NaiveGEMM.multiply(m: n, n: n, k: n, a: a, lda: n, transposeA: false,
                                               b: b, ldb: n, transposeB: false, c: c, ldc: n)
                        case .simd:
                            SIMDGEMM.multiply(m: n, n: n, k: n, a: a, lda: n, transposeA: false,
                                              b: b, ldb: n, transposeB: false, c: c, ldc: n, threads: threads)
                        case .blas:
                            GEMM.multiply(m: n, n: n, k: n, a: a, lda: n, transposeA: false,
                                          b: b, ldb: n, transposeB: false, c: c, ldc: n, backend: .blas)
                        }
                    }.median
                }
            }
        }
    }

    /// GFLOP/s of an n×n×n product that took `seconds`.
    public static func gflops(n: Int, seconds: Double) -> Double {
        2 * Double(n) * Double(n) * Double(n) / seconds / 1e9
    }
}
