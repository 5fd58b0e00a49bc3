// The regression tour: one problem, five ways to solve it.
//
// Data: y = X·w + b + ε with 5 features, w and b known, ε ~ N(0, 0.5²).
// Least squares minimises L(w, b) = (1/n)‖y − Xw − b‖². Setting ∇L = 0 gives
// the normal equations XᵀX w = Xᵀy (on centred data), solved directly by a
// Cholesky factorisation or, more stably, by QR (X = QR, R w = Qᵀy). Gradient
// descent walks downhill instead, w ← w − η·(2/n)Xᵀ(Xw + b − y), over the
// whole set per step (batch), over 32 rows (mini-batch) or one row
// (stochastic). All five must land on the same weights; the iterative ones
// take a number of epochs the lab prints, and their loss curves are drawn.
import Foundation
import LabKit
import LinearModels

struct RegressionTour {
    let settings: TourSettings
    init(_ settings: TourSettings) { self.settings = settings }

    func run(report: inout JSONReport, files: inout [String]) throws {
        let count = settings.quick ? 500 : 2000
        let data = SyntheticRegression(count: count, features: 5, noise: 0.5, intercept: 3, seed: settings.seed)
        Log.info("== regression: \(count) rows, 5 features, y = Xw + 3 + N(0, 0.5²) ==")
        Log.info("  true w: " + format(data.coefficients) + String(format: "   b: %.4f", data.intercept))

        let methods: [(name: String, key: String, model: LinearRegression)] = [
            ("normal equations (Cholesky)", "cholesky", LinearRegression(solver: .cholesky)),
            ("QR least squares", "qr", LinearRegression(solver: .qr)),
            ("batch gradient descent", "gd_batch", LinearRegression(solver: .gradientDescent(
                GradientDescent(batching: .batch, learningRate: 0.1, maxEpochs: 5000, tolerance: 1e-7)))),
            ("mini-batch GD (32 rows)", "gd_minibatch", LinearRegression(solver: .gradientDescent(
                GradientDescent(batching: .miniBatch(32), learningRate: 0.05, maxEpochs: 1000, tolerance: 1e-6, seed: settings.seed,
                               learningRateDecay: 0.1)))),
            ("stochastic GD (1 row)", "gd_stochastic", LinearRegression(solver: .gradientDescent(
                GradientDescent(batching: .stochastic, learningRate: 0.005, maxEpochs: 1000, tolerance: 1e-6, seed: settings.seed,
                               learningRateDecay: 0.1)))),
        ]
        var fitted: [(name: String, key: String, model: LinearRegression, seconds: Double)] = []
        for (name, key, model) in methods {
            var model = model
            let start = Stopwatch.now()
            try model.fit(data.x, data.y)
            fitted.append((name, key, model, Stopwatch.now() - start))
        }
        let closedForm = fitted[0].model
        Log.info("  method                        epochs  converged   max |w − w_cholesky|   train R²   time")
        for (name, key, model, seconds) in fitted {
            let gap = zip(model.coefficients + [model.intercept], closedForm.coefficients + [closedForm.intercept])
                .map { abs($0 - $1) }.max() ?? 0
            let r2 = model.score(data.x, data.y)
            Log.info("  " + name.padding(toLength: 28, withPad: " ", startingAt: 0)
                + String(format: "  %6d  ", model.report.iterations) + (model.report.converged ? "yes      " : "no       ")
                + String(format: "  %12.2e          %.5f    %.1f ms", Double(gap), Double(r2), seconds * 1000))
            report.setMetric("regression_\(key)_weight_gap", Double(gap))
            report.setMetric("regression_\(key)_epochs", JSONValue(model.report.iterations))
            report.setMetric("regression_\(key)_r2", Double(r2))
        }
        Log.info("  fitted w (Cholesky): " + format(closedForm.coefficients) + String(format: "   b: %.4f", closedForm.intercept))

        try settings.write("regression_gd_loss.png", files: &files) { url in
            let series = fitted.dropFirst(2).map { (name: $0.name, losses: $0.model.report.lossHistory) }
            var chart = EvaluationPlots.lossCurve(series, title: "Gradient descent: mean squared error per epoch", xLabel: "epoch")
            chart.yAxis.label = "MSE"
            try chart.write(to: url)
        }
    }

    private func format(_ values: [Float]) -> String {
        "[" + values.map { String(format: "%.4f", $0) }.joined(separator: ", ") + "]"
    }
}
