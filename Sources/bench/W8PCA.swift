// W8: PCA with 16 components, as the classical-ML peer (docs/BENCHMARKS.md) fits
// scikit-learn's PCA: a rank-16 signal plus noise, float32,
//     X = Z·W + N(0, 0.1²),   Z ~ N(0, 1)^{50 000 × 16},   W ~ N(0, 1)^{16 × 256}.
// The fit is timed (median of `repetitions` after one warm-up) with the
// automatic solver, which picks the covariance eigendecomposition here
// (d = 256 ≤ 1000, n ≥ 10·d), as scikit-learn's fastest solver does; the
// quality is the explained-variance ratio summed over the 16 components.
// `--quick` uses 5 000 rows.
import Foundation
import LabKit
import Tensor
import Unsupervised

enum W8PCA {
    static func run(threads: Int, quick: Bool, repetitions: Int, seed: UInt64 = 8) throws -> [BenchRecord] {
        let (n, d, rank, k) = (quick ? 5_000 : 50_000, 256, 16, 16)
        Log.progress("W8 threads=\(threads) n=\(n) d=\(d) components=\(k)")
        var generator = RandomGenerator(seed: seed)
        let z = Tensor.normal([n, rank], using: &generator)
        let w = Tensor.normal([rank, d], using: &generator)
        let noise = Tensor.normal([n, d], std: 0.1, using: &generator)
        let x = Tensor.matmul(z, w) + noise

        var model = PCA(components: k)
        var failure: Error?
        let (median, times) = Stopwatch.median(repetitions: repetitions, warmup: 1) {
            do { try model.fit(x) } catch { failure = error }
        }
        if let failure { throw failure }
        let ratio = model.explainedVarianceRatio.reduce(0.0) { $0 + Double($1) }
        Log.progress(String(format: "  W8 PCA (%@): %.4fs (median of %d) explained variance ratio %.6f",
                            solverName(model.solverUsed), median, times.count, ratio))
        return [BenchRecord(
            workload: "W8", impl: "mllab-PCA", threads: threads,
            params: [("n", .number(Double(n))), ("d", .number(Double(d))), ("components", .number(Double(k))),
                     ("solver", .string(solverName(model.solverUsed)))],
            secondsMedian: median, rate: [],
            quality: [("explained_variance_ratio", .number((ratio * 1e6).rounded() / 1e6))])]
    }

    /// scikit-learn's name for the solver that ran (its `svd_solver`).
    static func solverName(_ solver: PCA.Solver?) -> String {
        switch solver {
        case .covarianceEigh: "covariance_eigh"
        case .fullSVD: "full"
        case .randomized: "randomized"
        case .automatic, nil: "auto"
        }
    }
}
