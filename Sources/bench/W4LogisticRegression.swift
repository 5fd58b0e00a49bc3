// W4: L2-penalised logistic regression, as the classical-ML peer (docs/BENCHMARKS.md)
// fits it with scikit-learn: X ~ N(0, 1) of 100 000 × 50 float32, true weights
// w ~ N(0, 1)·3/√50, labels y ~ Bernoulli(σ(X·w)); objective mean log-loss +
// (α/2)‖w‖² with α = 1e-4 (scikit-learn's C = 1/(α n)), no intercept, stopping
// at ‖∇f‖∞ ≤ 1e-6. The fit is timed (median of `repetitions` after one
// warm-up); the quality is the accuracy on 20 000 fresh rows and the
// iteration count, beside the accuracy of the true weights (each side draws
// its own data, so accuracies are compared through that: the true weights of
// one draw of w can be worth 0.80 and of another 0.85, and `excess_accuracy`
// = accuracy − that is what a fit controls). With `--save-data DIR` the rows
// are written as .npy files and Tests/Fixtures/w4_same_data.py fits
// scikit-learn on the very same rows. One record per solver (L-BFGS, Newton).
// `--quick` uses 10 000 training and 2 000 test rows.
import Foundation
import LabKit
import LinearModels
import Tensor

enum W4LogisticRegression {
    static func run(threads: Int, quick: Bool, repetitions: Int, seed: UInt64 = 4,
                    saveDataTo folder: String? = nil) throws -> [BenchRecord] {
        let (n, d, testRows) = quick ? (10_000, 50, 2_000) : (100_000, 50, 20_000)
        let alpha: Float = 1e-4
        Log.progress("W4 threads=\(threads) n=\(n) d=\(d)")
        var generator = RandomGenerator(seed: seed)
        let scale = 3 / Float(d).squareRoot()
        let trueWeights = (0..<d).map { _ in Float(generator.normal()) * scale }

        /// m rows of N(0, 1) features and labels drawn from the true model.
        func draw(_ m: Int) -> (x: Tensor, y: Tensor) {
            let x = Tensor(shape: [m, d]) { _ in Float(generator.normal()) }
            let logits = x.matmul(Tensor(shape: [d, 1], scalars: trueWeights)).scalars
            let y = logits.map { z -> Float in generator.nextUniformDouble() < 1 / (1 + Foundation.exp(-Double(z))) ? 1 : 0 }
            return (x, Tensor(shape: [m], scalars: y))
        }
        let train = draw(n)
        let test = draw(testRows)
        if let folder {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for (name, tensor) in [("w4_x_train", train.x), ("w4_y_train", train.y), ("w4_x_test", test.x), ("w4_y_test", test.y)] {
                try NPY.write(tensor, to: URL(fileURLWithPath: folder).appendingPathComponent("\(name).npy").path)
            }
        }
        // The accuracy of the true weights on the test rows: the best any fit can expect.
        let bayes = zip(test.x.matmul(Tensor(shape: [d, 1], scalars: trueWeights)).scalars, test.y.scalars)
            .reduce(0.0) { $0 + (($1.0 > 0 ? 1 : 0) == $1.1 ? 1 : 0) } / Double(testRows)

        var records: [BenchRecord] = []
        for (name, solver) in [("lbfgs", LogisticRegression.Solver.lbfgs), ("newton", .newton)] {
            var model = LogisticRegression(penalty: .l2, alpha: alpha, solver: solver, fitIntercept: false,
                                           tolerance: 1e-6, maxIterations: 10_000)
            var failure: Error?
            let (median, times) = Stopwatch.median(repetitions: repetitions, warmup: 1) {
                do { try model.fit(train.x, train.y) } catch { failure = error }
            }
            if let failure { throw failure }
            let accuracy = Double(model.score(test.x, test.y))
            Log.progress(String(format: "  W4 %@: %.4fs (median of %d) iterations %d converged %@ ‖∇f‖∞ %.2e test acc %.4f",
                                name, median, times.count, model.report.iterations, model.report.converged ? "yes" : "no",
                                model.report.finalValue, accuracy))
            records.append(BenchRecord(
                workload: "W4", impl: "mllab", threads: threads,
                params: [("solver", .string(name)), ("n", .number(Double(n))), ("d", .number(Double(d))),
                         ("alpha", .number(1e-4)), ("tol", .number(1e-6)), ("fit_intercept", .bool(false))],
                secondsMedian: median, rate: [],
                quality: [("test_accuracy", .number((accuracy * 1e5).rounded() / 1e5)),
                          ("bayes_accuracy_true_w", .number((bayes * 1e5).rounded() / 1e5)),
                          ("excess_accuracy", .number(((accuracy - bayes) * 1e5).rounded() / 1e5)),
                          ("n_iter", .number(Double(model.report.iterations))),
                          ("converged", .bool(model.report.converged)),
                          ("final_gradient_max_abs", .number(model.report.finalValue))]))
        }
        return records
    }
}
