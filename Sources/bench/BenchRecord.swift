// One line of benchmark output, as docs/BENCHMARKS.md defines it:
//   {"workload": "W1", "impl": "mllab-blas", "threads": 1, "params": {"n": 1024},
//    "seconds_median": 0.0123, "rate": {"gflops": 174.6}, "quality": {...}}
import LabKit

struct BenchRecord {
    var workload: String
    var impl: String
    var threads: Int
    var params: [(String, JSONValue)]
    var secondsMedian: Double
    var rate: [(String, Double)]
    var quality: [(String, JSONValue)] = []

    /// The record as one compact JSON object with the keys in the order above.
    var jsonLine: String {
        JSONValue.object([
            ("workload", .string(workload)),
            ("impl", .string(impl)),
            ("threads", .number(Double(threads))),
            ("params", .object(params)),
            ("seconds_median", .number(secondsMedian)),
            ("rate", .object(rate.map { ($0.0, JSONValue.number(($0.1 * 100).rounded() / 100)) })),
            ("quality", .object(quality)),
        ]).compactString
    }
}
