// lab-linear: phase 3's linear models, on built-in data or on any CSV file.
//
//   swift run -c release lab-linear [all|regression|regularization|classification] [options]
//   swift run -c release lab-linear --csv FILE --target COLUMN [--task classification|regression]
//                                   [--model NAME] [--alpha A] [--test-size 0.25] [--cv K]
//
// Built-in tours (RegressionTour, RegularizationTour, ClassificationTour):
//   regression      y = Xw + b + noise fitted by the normal equations (Cholesky),
//                   QR least squares, and batch, mini-batch and stochastic
//                   gradient descent: every method lands on the same weights,
//                   the iterative ones after a number of epochs you can watch.
//   regularization  a sparse problem (20 features, 5 that matter): Ridge shrinks
//                   every weight smoothly, Lasso sets the irrelevant ones to
//                   exactly zero; their coefficient paths as α grows.
//   classification  logistic regression on two moons (a straight boundary, then
//                   a curved one through polynomial features) and on three
//                   Gaussian classes (softmax), solved by gradient descent,
//                   Newton and L-BFGS; Gaussian Naive Bayes beside it.
// CSV mode (CSVRun): reads the file, splits, standardises, fits, reports test
// metrics and K-fold cross-validation, and draws the loss curve, confusion
// matrix, ROC curve and coefficients.
// Every run ends by writing report.json and its PNG plots into --out.
import ArgumentParser
import Foundation
import LabKit
import LinearModels

@main
struct LabLinear: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab-linear",
        abstract: "Phase 3: linear and logistic regression, Ridge and Lasso, Naive Bayes, on built-in data or any CSV file.")

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case all, regression, regularization, classification
    }

    @Argument(help: "Which built-in tour: \(Mode.allCases.map(\.rawValue).joined(separator: ", ")) (ignored with --csv).")
    var mode: Mode = .all

    @OptionGroup var common: LabOptions
    @OptionGroup var tabular: TabularOptions

    @Option(help: "Model for --csv: \(ModelChoice.allCases.map(\.rawValue).joined(separator: ", ")) (default: linear for regression, logistic for classification).")
    var model: ModelChoice?

    @Option(help: "Penalty strength α for ridge, lasso, elasticnet and the logistic models (default: ridge 1, lasso/elasticnet 0.1, logistic 1/n as scikit-learn's C = 1).")
    var alpha: Float?

    func validate() throws {
        if let alpha, !(alpha >= 0 && alpha.isFinite) { throw ValidationError("--alpha must be a finite number ≥ 0, got \(alpha)") }
        if model != nil && tabular.csv == nil { throw ValidationError("--model applies to a --csv file") }
    }

    func run() throws {
        common.applyThreads()
        let start = Stopwatch.now()
        let out = try common.outputDirectory(lab: "linear")
        var report: JSONReport
        var files: [String] = []
        if let csv = tabular.csv {
            let run = CSVRun(path: csv, options: tabular, model: model, alpha: alpha,
                             settings: TourSettings(seed: common.seed, quick: common.quick, out: out))
            report = try run.run(files: &files)
        } else {
            report = JSONReport(lab: "linear", mode: mode.rawValue, seed: common.seed, data: "built-in")
            let settings = TourSettings(seed: common.seed, quick: common.quick, out: out)
            if mode == .all || mode == .regression { try RegressionTour(settings).run(report: &report, files: &files) }
            if mode == .all || mode == .regularization { try RegularizationTour(settings).run(report: &report, files: &files) }
            if mode == .all || mode == .classification { try ClassificationTour(settings).run(report: &report, files: &files) }
        }
        try report.finish(in: out, startedAt: start, files: files)
    }
}
