// The sine-sum tour: one tree, a forest and boosting on the W5/W6 set.
//
// A single tree cuts the space into boxes and predicts each box's majority:
// deep trees fit noise, shallow ones miss detail. A random forest averages
// many deep trees, each grown on a bootstrap sample with √d candidate
// features per split, so their errors partly cancel (variance falls; the
// out-of-bag rows each tree never saw give a free test score). Gradient
// boosting adds small trees one at a time, each fitted to the gradient of the
// loss of the sum so far, F_m = F_{m−1} + η·f_m: bias falls round by round,
// and a validation set says when to stop.
import Foundation
import LabKit
import Trees

struct SineSumTour {
    let settings: TreeSettings
    init(_ settings: TreeSettings) { self.settings = settings }

    func run(report: inout JSONReport, files: inout [String]) throws {
        let (trainRows, testRows) = settings.quick ? (4000, 4000) : (20_000, 20_000)
        let train = SineSumClassification(count: trainRows, seed: settings.seed)
        let test = SineSumClassification(count: testRows, seed: settings.seed &+ 1)
        let featureNames = (0..<28).map { "x\($0)" }
        Log.info("== sine-sum set: \(trainRows) training rows, \(testRows) test rows, 28 features; y = 1[Σ_{j<8} sin(2x_j) + x8·x9 + noise > 0] ==")

        var tree = DecisionTreeClassifier(maxDepth: settings.maxDepth ?? 8, seed: settings.seed)
        var forest = RandomForestClassifier(trees: settings.quick ? Swift.min(settings.trees, 30) : settings.trees,
                                            maxDepth: settings.maxDepth ?? 12, oobScore: true, seed: settings.seed)
        var boosting = GradientBoostingClassifier(rounds: settings.quick ? Swift.min(settings.trees, 60) : settings.trees,
                                                  learningRate: settings.learningRate, maxLeaves: settings.maxLeaves,
                                                  maxDepth: settings.maxDepth, earlyStoppingRounds: settings.earlyStopping ?? 20,
                                                  seed: settings.seed)
        Log.info("  model                         fit time   test accuracy   test AUC")
        let treeSeconds = try Stopwatch.time { try tree.fit(train.x, train.y) }
        try score("decision tree (depth ≤ \(settings.maxDepth ?? 8))", key: "tree", tree, seconds: treeSeconds, test, &report)
        let forestSeconds = try Stopwatch.time { try forest.fit(train.x, train.y) }
        try score("random forest (\(forest.trees) trees)", key: "forest", forest, seconds: forestSeconds, test, &report)
        let boostingSeconds = try Stopwatch.time { try boosting.fit(train.x, train.y) }
        try score("gradient boosting", key: "boosting", boosting, seconds: boostingSeconds, test, &report)
        if let oob = forest.oobScore {
            Log.info(String(format: "  forest out-of-bag accuracy %.4f (rows each tree never saw: a test score for free)", oob))
            report.setMetric("forest_oob_accuracy", Double(oob))
        }
        Log.info("  boosting: \(boosting.roundsTrained) rounds trained" + (boosting.bestRound.map { ", best validation loss at round \($0)" } ?? ""))
        report.setMetric("boosting_rounds", JSONValue(boosting.roundsTrained))

        // Which features each model relies on: the eight sine features and x8, x9 should lead.
        let gain = boosting.featureImportances(kind: .gain)
        let top = gain.indices.sorted { gain[$0] > gain[$1] }.prefix(10)
        Log.info("  boosting's top features by gain: " + top.map { featureNames[$0] }.joined(separator: ", "))
        let signalFound = top.filter { $0 < 10 }.count
        report.setMetric("boosting_signal_features_in_top10", JSONValue(signalFound))
        try settings.write("feature_importance.png", files: &files) { url in
            let boostingChart = EvaluationPlots.coefficients(gain, names: featureNames, limit: 28,
                                                             title: "Boosting: importance by gain")
            let forestChart = EvaluationPlots.coefficients(forest.featureImportances, names: featureNames, limit: 28,
                                                           title: "Forest: mean impurity decrease")
            try Canvas.sideBySide([Self.importance(boostingChart).render(), Self.importance(forestChart).render()]).write(to: url)
        }
        try settings.write("boosting_loss.png", files: &files) { url in
            var series = [(name: "training", losses: boosting.trainLoss)]
            if !boosting.validationLoss.isEmpty { series.append((name: "validation", losses: boosting.validationLoss)) }
            var chart = EvaluationPlots.lossCurve(series, title: "Gradient boosting: log loss per round", xLabel: "round")
            chart.yAxis.label = "log loss"
            try chart.write(to: url)
        }

        // A tree small enough to read.
        var small = DecisionTreeClassifier(maxDepth: 3, seed: settings.seed)
        try small.fit(train.x, train.y)
        let dump = small.textDump(featureNames: featureNames, classNames: ["0", "1"])
        Log.info("  a depth-3 tree (accuracy \(String(format: "%.3f", small.score(test.x, test.y)))):\n" + dump)
        try settings.write("tree.txt", files: &files) { try dump.write(to: $0, atomically: true, encoding: .utf8) }
    }

    /// Prints and records a model's test accuracy and AUC.
    private func score(_ name: String, key: String, _ model: some Classifier, seconds: Double,
                       _ test: SineSumClassification, _ report: inout JSONReport) throws {
        let accuracy = Double(model.score(test.x, test.y))
        let probabilities = model.predictProba(test.x)
        let positive = probabilities.slice(axis: 1, 1..<2).flattened()
        let auc = Double(Metrics.rocAUC(test.y, scores: positive, positive: 1))
        Log.info("  " + name.padding(toLength: 28, withPad: " ", startingAt: 0)
            + String(format: "  %7.2f s   %.4f          %.4f", seconds, accuracy, auc))
        report.setMetric("\(key)_accuracy", accuracy)
        report.setMetric("\(key)_auc", auc)
        report.setMetric("\(key)_fit_seconds", seconds)
    }

    /// A feature-importance bar chart: one colour, value axis labelled "importance".
    static func importance(_ chart: BarChart) -> BarChart {
        var chart = chart
        chart.colors = nil
        chart.valueAxis.label = "importance"
        chart.width = 560
        return chart
    }
}
