// W3: least-squares linear regression without intercept on X ~ N(0, 1), 100 000 × 100,
// y = X·w + N(0, 0.1²), w ~ N(0, 1), as the classical-ML peer does it (docs/BENCHMARKS.md).
// Timed: `LinearRegression.fit` (median of the repetitions after one warm-up), once
// per solver:
//   cholesky  normal equations: G = XᵀX by blocked ssyrk, Cholesky solve (NormalEquations.swift)
//   qr        Householder QR of X, then R·w = Qᵀy (QRLeastSquares.swift)
// Quality: R² on 20 000 fresh rows from the same distribution. `--quick` uses 20 000 × 50.
import LabKit
import LinearModels

enum W3LinearRegression {
    static func run(threads: Int, quick: Bool, repetitions: Int, seed: UInt64 = 3) throws -> [BenchRecord] {
        let (n, d, testRows) = quick ? (20_000, 50, 5_000) : (100_000, 100, 20_000)
        Log.progress("W3 n=\(n) d=\(d) threads=\(threads)")
        var generator = RandomGenerator(seed: seed)
        let w = (0..<d).map { _ in Float(generator.normal()) }

        /// X ~ N(0, 1) [rows, d] and y = X·w + N(0, 0.1²).
        func draw(_ rows: Int, seed: UInt64) -> (x: Tensor, y: Tensor) {
            let x = Tensor.normal([rows, d], seed: seed)
            let noise = Tensor.normal([rows], std: 0.1, seed: seed + 1)
            return (x, Tensor.matmul(x, Tensor(w)) + noise)
        }
        let train = draw(n, seed: seed + 10)
        let test = draw(testRows, seed: seed + 20)

        var records: [BenchRecord] = []
        for (name, solver) in [("cholesky", LinearRegression.Solver.cholesky), ("qr", .qr)] {
            var model = LinearRegression(solver: solver, fitIntercept: false)
            var failure: Error?
            let seconds = Stopwatch.median(repetitions: repetitions) {
                do { try model.fit(train.x, train.y) } catch { failure = error }
            }.median
            if let failure { throw failure }
            let r2 = Double(model.score(test.x, test.y))
            records.append(BenchRecord(workload: "W3", impl: "mllab", threads: threads,
                                       params: [("method", .string(name)), ("n", .number(Double(n))),
                                                ("d", .number(Double(d)))],
                                       secondsMedian: seconds,
                                       rate: [("samples_per_s", Double(n) / seconds)],
                                       quality: [("r2_test", .number((r2 * 1e6).rounded() / 1e6))]))
        }
        return records
    }
}
