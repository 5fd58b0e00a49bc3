// W2: row softmax, then GELU (tanh form), in place, on X ~ N(0, 1) of n×n.
// Each pass is timed separately, with the input restored (untimed) before each
// run. Rate: GB/s = 2 · n² · 4 bytes / t (one read and one write of the matrix,
// the least traffic an in-place pass can have).
// Quality: the worst |row sum − 1| after softmax, and the worst |GELU − reference|
// against the formula evaluated in Double.
import Foundation
import LabKit

enum W2RowKernels {
    static func run(n: Int, threads: Int, repetitions: Int) -> [BenchRecord] {
        Log.progress("W2 n=\(n) threads=\(threads)")
        let input = Tensor.normal([n, n], seed: 3)
        var x = input
        let bytes = 2.0 * Double(n * n) * 4
        var records: [BenchRecord] = []

        func restore() {
            x.withUnsafeMutableBufferPointer { out in
                input.withUnsafeBufferPointer { out.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
            }
        }

        /// Median seconds of `pass` over the matrix, restoring the input before each run.
        func timeInPlace(_ pass: (UnsafeMutablePointer<Float>) -> Void) -> Double {
            input.withUnsafeBufferPointer { source in
                x.withUnsafeMutableBufferPointer { target in
                    let from = source.baseAddress!, to = target.baseAddress!
                    return Stopwatch.median(repetitions: repetitions, minimumTotal: 0.5,
                                            setup: { to.update(from: from, count: n * n) }) { pass(to) }.median
                }
            }
        }

        // Softmax over each row.
        let softmaxSeconds = timeInPlace { RowKernels.softmaxRowsInPlace($0, rows: n, columns: n, threads: threads) }
        restore()
        x.withUnsafeMutableBufferPointer { RowKernels.softmaxRowsInPlace($0.baseAddress!, rows: n, columns: n, threads: threads) }
        let rowSumError = (x.sum(axis: 1) - 1).abs().max()
        records.append(BenchRecord(workload: "W2", impl: "mllab", threads: threads,
                                   params: [("op", .string("softmax")), ("n", .number(Double(n)))],
                                   secondsMedian: softmaxSeconds, rate: [("gb_per_s", bytes / softmaxSeconds / 1e9)],
                                   quality: [("max_rowsum_err", .number(Double(rowSumError)))]))

        // GELU, tanh form: 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))).
        let geluSeconds = timeInPlace { RowKernels.geluTanhInPlace($0, count: n * n, threads: threads) }
        restore()
        x.withUnsafeMutableBufferPointer { RowKernels.geluTanhInPlace($0.baseAddress!, count: n * n, threads: threads) }
        var worst = 0.0
        input.withUnsafeBufferPointer { inp in
            x.withUnsafeBufferPointer { out in
                for i in Swift.stride(from: 0, to: n * n, by: 97) {
                    let v = Double(inp[i])
                    let reference = 0.5 * v * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (v + 0.044715 * v * v * v)))
                    worst = Swift.max(worst, Swift.abs(Double(out[i]) - reference))
                }
            }
        }
        records.append(BenchRecord(workload: "W2", impl: "mllab", threads: threads,
                                   params: [("op", .string("gelu_tanh")), ("n", .number(Double(n)))],
                                   secondsMedian: geluSeconds, rate: [("gb_per_s", bytes / geluSeconds / 1e9)],
                                   quality: [("max_abs_err_vs_double", .number(worst))]))
        return records
    }
}
