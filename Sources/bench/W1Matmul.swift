// W1: single-precision matrix multiply C = A·B, square n×n, A and B ~ N(0, 1).
// Timed: one multiply; rate: GFLOP/s = 2n³ / t. Two implementations:
//   mllab-blas  Tensor's OpenBLAS path (cblas_sgemm)
//   mllab-simd  MLLab's own packed, register-tiled SIMD16 kernel (Kernels/GEMM)
// Quality: the largest |C_simd − C_blas| relative to max |C_blas|, to show both agree.
import LabKit

enum W1Matmul {
    static func run(sizes: [Int], threads: Int, repetitions: Int) -> [BenchRecord] {
        var records: [BenchRecord] = []
        for n in sizes {
            Log.progress("W1 n=\(n) threads=\(threads)")
            let a = Tensor.normal([n, n], seed: 1), b = Tensor.normal([n, n], seed: 2)
            var results: [MatmulBackend: Tensor] = [:]
            for backend in [MatmulBackend.blas, .simd] {
                var c = Tensor(uninitializedShape: [n, n])
                let seconds = a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        c.withUnsafeMutableBufferPointer { cp in
                            Stopwatch.median(repetitions: repetitions, minimumTotal: 0.5) {
                                GEMM.multiply(m: n, n: n, k: n, a: ap.baseAddress!, lda: n, transposeA: false,
                                              b: bp.baseAddress!, ldb: n, transposeB: false,
                                              c: cp.baseAddress!, ldc: n, backend: backend)
                            }.median
                        }
                    }
                }
                results[backend] = c
                let flops = 2.0 * Double(n) * Double(n) * Double(n)
                var record = BenchRecord(workload: "W1", impl: "mllab-\(backend.rawValue)", threads: threads,
                                         params: [("n", .number(Double(n)))], secondsMedian: seconds,
                                         rate: [("gflops", flops / seconds / 1e9)])
                if backend == .simd, let reference = results[.blas] {
                    let scale = Swift.max(reference.abs().max(), 1e-30)
                    record.quality = [("max_rel_diff_vs_blas", .number(Double((c - reference).abs().max() / scale)))]
                }
                records.append(record)
            }
        }
        return records
    }
}
