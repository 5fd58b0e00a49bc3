// W1: single-precision matrix multiply C = A·B, square n×n, A and B ~ N(0, 1).
// Timed: one multiply; rate: GFLOP/s = 2n³ / t. Two implementations:
//   mllab-blas  Tensor's OpenBLAS path (cblas_sgemm)
//   mllab-simd  MLLab's own packed, register-tiled SIMD16 kernel (Kernels/GEMM)
// (Both engines are checked against the naive loop in Tests/TensorTests/GEMMTests.swift.)
import LabKit

enum W1Matmul {
    static func run(sizes: [Int], threads: Int, repetitions: Int) -> [BenchRecord] {
        var records: [BenchRecord] = []
        for n in sizes {
            Log.progress("W1 n=\(n) threads=\(threads)")
            for (engine, impl) in [(GEMMEngine.blas, "mllab-blas"), (.simd, "mllab-simd")] {
                let seconds = GEMMShootout.seconds(n: n, engine: engine, threads: threads, repetitions: repetitions)
                records.append(BenchRecord(workload: "W1", impl: impl, threads: threads,
                                           params: [("n", .number(Double(n)))], secondsMedian: seconds,
                                           rate: [("gflops", GEMMShootout.gflops(n: n, seconds: seconds))]))
            }
        }
        return records
    }
}
