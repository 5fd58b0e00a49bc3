// The classification tour: logistic regression's straight boundaries, how
// features bend them, and three solvers reaching one optimum.
//
// Logistic regression models P(y = 1 | x) = σ(w·x + b), σ(z) = 1/(1 + e⁻ᶻ), and
// for k classes P(y = c | x) = softmax(Wx + b)_c. It minimises the mean log
// loss plus (α/2)‖W‖²; the boundary where two classes tie is a hyperplane.
//   two moons       no straight line separates them; degree-3 polynomial
//                   features (x, y, x², xy, y², x³, …) make a curved boundary
//                   a linear model can draw;
//   three blobs     softmax regression solved by gradient descent (first
//                   order, many cheap steps), Newton/IRLS (second order, a few
//                   steps each solving a Hessian system) and L-BFGS (a Hessian
//                   approximation from the last 10 gradients): same optimum,
//                   very different iteration counts; Gaussian Naive Bayes,
//                   which fits one Gaussian per class and feature, beside them.
import Foundation
import LabKit
import LinearModels

struct ClassificationTour {
    let settings: TourSettings
    init(_ settings: TourSettings) { self.settings = settings }

    func run(report: inout JSONReport, files: inout [String]) throws {
        try moons(report: &report, files: &files)
        try blobs(report: &report, files: &files)
    }

    private func moons(report: inout JSONReport, files: inout [String]) throws {
        let moons = TwoMoons(count: settings.quick ? 200 : 400, noise: 0.2, seed: settings.seed)
        let labels = Tensor(shape: [moons.labels.count], scalars: moons.labels.map(Float.init))
        Log.info("== classification: two moons, \(moons.labels.count) points, noise 0.2 ==")
        var straight = LogisticRegression()
        try straight.fit(moons.points, labels)
        var curved = Pipeline(steps: [PolynomialFeatures(degree: 3), StandardScaler()], final: LogisticRegression(alpha: 1e-4))
        try curved.fit(moons.points, labels)
        let straightAccuracy = straight.score(moons.points, labels), curvedAccuracy = curved.score(moons.points, labels)
        Log.info(String(format: "  logistic regression on (x, y):              training accuracy %.1f%%", straightAccuracy * 100))
        Log.info(String(format: "  on degree-3 polynomial features (9 of them): training accuracy %.1f%%", curvedAccuracy * 100))
        report.setMetric("moons_linear_accuracy", Double(straightAccuracy))
        report.setMetric("moons_polynomial_accuracy", Double(curvedAccuracy))
        let area = (x: -1.6...2.6, y: -1.1...1.6)
        try settings.write("moons_linear_boundary.png", files: &files) {
            try boundaryPlot(points: moons.points, labels: moons.labels, area: area, classNames: ["upper moon", "lower moon"],
                             title: String(format: "Logistic regression: straight boundary, accuracy %.1f%%", straightAccuracy * 100),
                             model: straight).write(to: $0)
        }
        try settings.write("moons_polynomial_boundary.png", files: &files) {
            try boundaryPlot(points: moons.points, labels: moons.labels, area: area, classNames: ["upper moon", "lower moon"],
                             title: String(format: "Degree-3 features: curved boundary, accuracy %.1f%%", curvedAccuracy * 100),
                             model: curved).write(to: $0)
        }
    }

    private func blobs(report: inout JSONReport, files: inout [String]) throws {
        let blobs = GaussianBlobs(count: settings.quick ? 300 : 600, blobs: 3, dimensions: 2, spread: 1.0, box: 6,
                                  seed: settings.seed &+ 2)
        let labels = Tensor(shape: [blobs.labels.count], scalars: blobs.labels.map(Float.init))
        // Standardised features: gradient descent's step is limited by the largest curvature, so
        // unscaled features (spreads of 10 against 1) would cost it thousands more iterations.
        var scaler = StandardScaler()
        let points = try scaler.fitTransform(blobs.points)
        Log.info("== classification: three Gaussian classes, \(blobs.labels.count) points, σ = 1, standardised ==")
        let solvers: [(name: String, key: String, model: LogisticRegression)] = [
            ("gradient descent (tol 1e-5)", "gd", LogisticRegression(solver: .gradientDescent, tolerance: 1e-5, maxIterations: 50000)),
            ("Newton (IRLS)", "newton", LogisticRegression(solver: .newton)),
            ("L-BFGS", "lbfgs", LogisticRegression(solver: .lbfgs)),
            ("L-BFGS, one-vs-rest", "lbfgs_ovr", LogisticRegression(solver: .lbfgs, multiClass: .oneVsRest)),
        ]
        var fitted: [(name: String, key: String, model: LogisticRegression)] = []
        for (name, key, model) in solvers {
            var model = model
            try model.fit(points, labels)
            fitted.append((name, key, model))
        }
        // Softmax is unchanged when one constant is added to every intercept and the intercepts are not
        // penalised, so solvers may differ by such a shift: compare intercepts minus their mean.
        func parameters(_ model: LogisticRegression) -> [Float] {
            let mean = model.intercepts.reduce(0, +) / Float(model.intercepts.count)
            return model.coefficients.scalars + model.intercepts.map { $0 - mean }
        }
        let reference = parameters(fitted[2].model)
        Log.info("  solver                       iterations  converged  final objective   max |W − W_lbfgs|  accuracy")
        for (name, key, model) in fitted {
            let weights = parameters(model)
            let gap = key == "lbfgs_ovr" ? Float.nan : zip(weights, reference).map { abs($0 - $1) }.max() ?? 0
            let accuracy = model.score(points, labels)
            Log.info("  " + name.padding(toLength: 28, withPad: " ", startingAt: 0)
                + String(format: " %10d  ", model.report.iterations) + (model.report.converged ? "yes       " : "no        ")
                + String(format: " %14.6f   ", model.report.lossHistory.last ?? .nan)
                + (gap.isNaN ? "(other model)" : String(format: "%.2e", gap)).padding(toLength: 17, withPad: " ", startingAt: 0)
                + String(format: "  %.1f%%",
                         accuracy * 100))
            report.setMetric("blobs_\(key)_iterations", JSONValue(model.report.iterations))
            report.setMetric("blobs_\(key)_accuracy", Double(accuracy))
        }
        var bayes = GaussianNB()
        try bayes.fit(points, labels)
        let bayesAccuracy = bayes.score(points, labels)
        Log.info(String(format: "  Gaussian Naive Bayes: training accuracy %.1f%%", bayesAccuracy * 100))
        report.setMetric("blobs_gaussian_nb_accuracy", Double(bayesAccuracy))

        let xy = points.scalars
        let xs = stride(from: 0, to: xy.count, by: 2).map { Double(xy[$0]) }, ys = stride(from: 1, to: xy.count, by: 2).map { Double(xy[$0]) }
        let area = (x: (xs.min()! - 1)...(xs.max()! + 1), y: (ys.min()! - 1)...(ys.max()! + 1))
        let names = ["class 0", "class 1", "class 2"]
        try settings.write("blobs_softmax_boundary.png", files: &files) {
            try boundaryPlot(points: points, labels: blobs.labels, area: area, classNames: names,
                             title: "Softmax regression (L-BFGS): straight boundaries", model: fitted[2].model).write(to: $0)
        }
        try settings.write("blobs_naive_bayes_boundary.png", files: &files) {
            try boundaryPlot(points: points, labels: blobs.labels, area: area, classNames: names,
                             title: "Gaussian Naive Bayes: quadratic boundaries", model: bayes).write(to: $0)
        }
        try settings.write("blobs_solver_loss.png", files: &files) {
            let series = fitted.prefix(3).map { (name: $0.name, losses: $0.model.report.lossHistory) }
            try EvaluationPlots.lossCurve(series, title: "Softmax regression: objective per iteration").write(to: $0)
        }
    }

    /// The points coloured by class over the regions where `model` predicts each class.
    private func boundaryPlot(points: Tensor, labels: [Int], area: (x: ClosedRange<Double>, y: ClosedRange<Double>),
                              classNames: [String], title: String, model: some Classifier) -> ScatterPlot {
        var plot = EvaluationPlots.decisionBoundary(points: points, labels: labels, area: area, classNames: classNames,
                                                    title: title, cells: settings.quick ? 120 : 240, model: model)
        plot.width = settings.quick ? 560 : 820
        plot.height = settings.quick ? 480 : 680
        return plot
    }
}
