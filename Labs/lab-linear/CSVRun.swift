// CSVRun: lab-linear on a learner's CSV file.
//
// TabularDataset reads and checks the file (a text cell in a numeric column,
// an unknown target or a single class stop here, naming line and column);
// TabularEvaluation holds out a test set, fits StandardScaler → model on the
// rest, scores the test rows and, with --cv K, cross-validates the same
// pipeline; this file picks the model, prints the figures and draws them.
import Foundation
import LabKit
import LinearModels

struct CSVRun {
    let path: String
    let options: TabularOptions
    let model: ModelChoice?
    let alpha: Float?
    let settings: TourSettings

    var seed: UInt64 { settings.seed }

    func run(files: inout [String]) throws -> JSONReport {
        let data = try TabularDataset.load(csv: path, target: options.target, task: options.task)
        var report = JSONReport(lab: "linear", mode: "csv", seed: seed, data: path)
        EvaluationLog.describe(data, into: &report)
        let choice = model ?? (data.task == .classification ? .logistic : .linear)
        guard choice.task == data.task else {
            throw EstimatorError.invalidParameter(name: "--model", value: choice.rawValue,
                                                  expected: "a \(data.task.rawValue) model (\(ModelChoice.allCases.filter { $0.task == data.task }.map(\.rawValue).joined(separator: ", ")))")
        }
        Log.info("  model: \(choice.summary); standardised features; test size \(options.testSize)\(options.cv.map { "; \($0)-fold cross-validation" } ?? "")")

        report.set("model", .string(choice.rawValue))
        switch choice {
        case .linear: try regress(LinearRegression(solver: .cholesky), data, &report, &files)
        case .qr: try regress(LinearRegression(solver: .qr), data, &report, &files)
        case .gd: try regress(LinearRegression(solver: .gradientDescent(GradientDescent(batching: .batch))), data, &report, &files)
        case .sgd: try regress(LinearRegression(solver: .gradientDescent(GradientDescent(batching: .miniBatch(32), learningRate: 0.01, seed: seed))), data, &report, &files)
        case .ridge: try regress(Ridge(alpha: alpha ?? 1), data, &report, &files)
        case .lasso: try regress(Lasso(alpha: alpha ?? 0.1), data, &report, &files)
        case .elasticnet: try regress(ElasticNet(alpha: alpha ?? 0.1, l1Ratio: 0.5), data, &report, &files)
        case .logistic: try classify(LogisticRegression(alpha: alpha), data, &report, &files)
        case .logisticNewton: try classify(LogisticRegression(alpha: alpha, solver: .newton), data, &report, &files)
        case .logisticGD: try classify(LogisticRegression(alpha: alpha, solver: .gradientDescent), data, &report, &files)
        case .logisticOVR: try classify(LogisticRegression(alpha: alpha, multiClass: .oneVsRest), data, &report, &files)
        case .logisticL1: try classify(LogisticRegression(penalty: .l1, alpha: alpha, solver: .gradientDescent), data, &report, &files)
        case .gaussianNB: try classify(GaussianNB(), data, &report, &files)
        case .multinomialNB: try classify(MultinomialNB(alpha: alpha ?? 1), data, &report, &files)
        }
        return report
    }

    private func classify<Model: Classifier & LinearInspection>(_ estimator: Model, _ data: TabularDataset,
                                                                 _ report: inout JSONReport, _ files: inout [String]) throws {
        let evaluation = try TabularEvaluation.classifier(estimator, x: data.features, y: data.target,
                                                          testSize: options.testSize, folds: options.cv, seed: seed)
        record(evaluation.metrics, evaluation.crossValidation, scoring: "accuracy", fitted: evaluation.model.final, into: &report)
        files += try evaluation.writePlots(to: settings.out, classNames: data.names(of:))
        let names = data.names(of: evaluation.confusion.labels)
        try drawModel(evaluation.model.final, featureNames: data.featureNames, classNames: names, &files)
    }

    private func regress<Model: Regressor & LinearInspection>(_ estimator: Model, _ data: TabularDataset,
                                                               _ report: inout JSONReport, _ files: inout [String]) throws {
        let evaluation = try TabularEvaluation.regressor(estimator, x: data.features, y: data.target,
                                                         testSize: options.testSize, folds: options.cv, seed: seed)
        record(evaluation.metrics, evaluation.crossValidation, scoring: "r2", fitted: evaluation.model.final, into: &report)
        files += try evaluation.writePlots(to: settings.out)
        try drawModel(evaluation.model.final, featureNames: data.featureNames, classNames: [], &files)
    }

    /// Prints and records the test metrics, the cross-validation summary and the solver's iterations.
    private func record(_ metrics: [(name: String, value: Double)], _ crossValidation: CrossValidationResult?,
                        scoring: String, fitted: some LinearInspection, into report: inout JSONReport) {
        EvaluationLog.record(metrics, crossValidation, scoring: scoring, into: &report)
        if let solver = fitted.solverReport {
            Log.info("  solver \(solver.solver): \(solver.iterations) iterations, \(solver.converged ? "converged" : "did NOT converge") (\(solver.criterion) = \(String(format: "%.2e", solver.finalValue)), tolerance \(solver.tolerance))")
            report.setMetric("iterations", JSONValue(solver.iterations))
            report.setMetric("converged", JSONValue(solver.converged))
        }
    }

    /// The loss curve and the coefficients of a fitted linear model.
    private func drawModel(_ fitted: some LinearInspection, featureNames: [String], classNames: [String],
                           _ files: inout [String]) throws {
        if let solver = fitted.solverReport, solver.lossHistory.count > 1 {
            try write("loss_curve.png", &files) {
                try EvaluationPlots.lossCurve([(solver.solver, solver.lossHistory)], title: "Training loss (\(solver.solver))").write(to: $0)
            }
        }
        let rows = fitted.coefficientRows
        if rows.count == 1 {
            try write("coefficients.png", &files) {
                try EvaluationPlots.coefficients(rows[0], names: featureNames).write(to: $0)
            }
        } else if rows.count > 1 {
            var map = Heatmap(rows.map { $0.map(Double.init) }, title: "Coefficients per class (standardised features)",
                              xLabel: "feature", yLabel: "class")
            map.rowLabels = classNames.count == rows.count ? classNames : nil
            map.columnLabels = featureNames.count <= 30 ? featureNames : nil
            map.colorMap = .redBlue
            // Square cells of at least 18 pixels, so that class names stay readable beside them.
            map.width = Swift.max(map.width, 220 + 18 * featureNames.count)
            map.height = Swift.max(360, 200 + 18 * rows.count)
            let extent = rows.flatMap { $0 }.map { Double(abs($0)) }.max() ?? 1
            map.valueRange = -extent...extent
            try write("coefficients.png", &files) { try map.write(to: $0) }
        }
    }

    private func write(_ name: String, _ files: inout [String], _ body: (URL) throws -> Void) throws {
        try settings.write(name, files: &files, body)
    }
}
