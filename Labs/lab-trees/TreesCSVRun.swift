// TreesCSVRun: lab-trees on a learner's CSV file.
//
// TabularDataset reads and checks the file; TabularEvaluation holds out a
// test set, fits the model on the rest without scaling (a tree compares one
// feature with a threshold, so rescaling a feature changes nothing), scores
// the test rows and, with --cv K, cross-validates; this file picks the model,
// prints the figures and draws them with the feature importances and, for
// boosting, the loss per round.
import Foundation
import LabKit
import Trees

struct TreesCSVRun {
    let path: String
    let options: TabularOptions
    let model: LabTrees.ModelChoice
    let settings: TreeSettings

    func run(files: inout [String]) throws -> JSONReport {
        let data = try TabularDataset.load(csv: path, target: options.target, task: options.task)
        var report = JSONReport(lab: "trees", mode: "csv", seed: settings.seed, data: path)
        EvaluationLog.describe(data, into: &report)
        report.set("model", .string(model.rawValue))
        Log.info("  model: \(model.rawValue); test size \(options.testSize)\(options.cv.map { "; \($0)-fold cross-validation" } ?? "")")
        switch (data.task, model) {
        case (.classification, .gbdt): try classify(settings.boostingClassifier(), data, &report, &files)
        case (.classification, .forest): try classify(settings.forestClassifier(), data, &report, &files)
        case (.classification, .tree): try classify(DecisionTreeClassifier(maxDepth: settings.maxDepth, seed: settings.seed), data, &report, &files)
        case (.regression, .gbdt):
            try regress(GradientBoostingRegressor(rounds: settings.trees, learningRate: settings.learningRate, maxLeaves: settings.maxLeaves,
                                                  maxDepth: settings.maxDepth, earlyStoppingRounds: settings.earlyStopping,
                                                  seed: settings.seed), data, &report, &files)
        case (.regression, .forest):
            try regress(RandomForestRegressor(trees: settings.trees, maxDepth: settings.maxDepth, seed: settings.seed), data, &report, &files)
        case (.regression, .tree):
            try regress(DecisionTreeRegressor(maxDepth: settings.maxDepth, seed: settings.seed), data, &report, &files)
        }
        return report
    }

    private func classify<Model: Classifier & TreeInspection>(_ estimator: Model, _ data: TabularDataset,
                                                               _ report: inout JSONReport, _ files: inout [String]) throws {
        let evaluation = try TabularEvaluation.classifier(estimator, x: data.features, y: data.target, testSize: options.testSize,
                                                          folds: options.cv, standardize: false, seed: settings.seed)
        EvaluationLog.record(evaluation.metrics, evaluation.crossValidation, scoring: "accuracy", into: &report)
        files += try evaluation.writePlots(to: settings.out, classNames: data.names(of:))
        try drawModel(evaluation.model.final, featureNames: data.featureNames, &report, &files)
    }

    private func regress<Model: Regressor & TreeInspection>(_ estimator: Model, _ data: TabularDataset,
                                                             _ report: inout JSONReport, _ files: inout [String]) throws {
        let evaluation = try TabularEvaluation.regressor(estimator, x: data.features, y: data.target, testSize: options.testSize,
                                                         folds: options.cv, standardize: false, seed: settings.seed)
        EvaluationLog.record(evaluation.metrics, evaluation.crossValidation, scoring: "r2", into: &report)
        files += try evaluation.writePlots(to: settings.out)
        try drawModel(evaluation.model.final, featureNames: data.featureNames, &report, &files)
    }

    /// Feature importances, and the loss per round for boosting.
    private func drawModel(_ fitted: some TreeInspection, featureNames: [String], _ report: inout JSONReport,
                           _ files: inout [String]) throws {
        try settings.write("feature_importance.png", files: &files) {
            var chart = EvaluationPlots.coefficients(fitted.importances, names: featureNames, title: "Feature importance (\(fitted.importanceKind))")
            chart.colors = nil
            chart.valueAxis.label = "importance"
            try chart.write(to: $0)
        }
        if let (train, validation) = fitted.lossPerRound {
            Log.info("  boosting: \(train.count) rounds")
            report.setMetric("rounds", JSONValue(train.count))
            try settings.write("boosting_loss.png", files: &files) {
                var series = [(name: "training", losses: train)]
                if !validation.isEmpty { series.append((name: "validation", losses: validation)) }
                try EvaluationPlots.lossCurve(series, title: "Gradient boosting: loss per round", xLabel: "round").write(to: $0)
            }
        }
    }
}

/// What the lab reads back from a fitted tree model.
protocol TreeInspection {
    /// One importance per feature, summing to 1.
    var importances: [Float] { get }
    /// What the importance measures, in words.
    var importanceKind: String { get }
    /// Boosting's training and validation loss per round; nil for other models.
    var lossPerRound: (train: [Double], validation: [Double])? { get }
}

extension TreeInspection {
    var lossPerRound: (train: [Double], validation: [Double])? { nil }
}

extension DecisionTreeClassifier: TreeInspection {
    var importances: [Float] { featureImportances }
    var importanceKind: String { "mean impurity decrease" }
}

extension DecisionTreeRegressor: TreeInspection {
    var importances: [Float] { featureImportances }
    var importanceKind: String { "mean impurity decrease" }
}

extension RandomForestClassifier: TreeInspection {
    var importances: [Float] { featureImportances }
    var importanceKind: String { "mean impurity decrease over the trees" }
}

extension RandomForestRegressor: TreeInspection {
    var importances: [Float] { featureImportances }
    var importanceKind: String { "mean impurity decrease over the trees" }
}

extension GradientBoostingClassifier: TreeInspection {
    var importances: [Float] { featureImportances(kind: .gain) }
    var importanceKind: String { "total gain" }
    var lossPerRound: (train: [Double], validation: [Double])? { (trainLoss, validationLoss) }
}

extension GradientBoostingRegressor: TreeInspection {
    var importances: [Float] { featureImportances(kind: .gain) }
    var importanceKind: String { "total gain" }
    var lossPerRound: (train: [Double], validation: [Double])? { (trainLoss, validationLoss) }
}
