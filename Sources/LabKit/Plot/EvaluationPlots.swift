// EvaluationPlots: the pictures every supervised lab draws of a fitted model.
//
//   confusion matrix  counts[i][j] = test samples of true class i predicted as j;
//                     a perfect model is diagonal.
//   ROC curve         true-positive rate TPR = TP/(TP+FN) against false-positive
//                     rate FPR = FP/(FP+TN) as the decision threshold falls;
//                     the area under it (AUC) is the probability that a random
//                     positive scores above a random negative (0.5 = chance,
//                     the dashed diagonal).
//   loss curve        the solver's objective per iteration (log scale).
//   coefficients      one bar per feature: the weight a linear model gives it
//                     (on standardised features, so sizes compare).
//   predicted/actual  a regressor's predictions against the truth; a perfect
//                     model lies on the diagonal.
//   decision boundary 2-D points over the regions where a classifier predicts
//                     each class (DecisionRegions).

import Foundation

/// Ready-made charts of a model's evaluation.
public enum EvaluationPlots {
    /// The confusion matrix as a heatmap with counts printed in the cells.
    public static func confusionMatrix(_ counts: [[Int]], classNames: [String], title: String = "Confusion matrix (test set)") -> Heatmap {
        var map = Heatmap(counts.map { $0.map(Double.init) }, title: title, xLabel: "predicted", yLabel: "true")
        map.rowLabels = classNames
        map.columnLabels = classNames
        map.showsValues = counts.count <= 12
        return map
    }

    /// ROC curves, one series per curve named with its AUC, and the chance diagonal.
    public static func rocCurves(_ curves: [(name: String, fpr: [Float], tpr: [Float], auc: Double)],
                                 title: String = "ROC curve (test set)") -> LineChart {
        var chart = LineChart(title: title, xLabel: "false-positive rate", yLabel: "true-positive rate")
        chart.xAxis.range = 0...1
        chart.yAxis.range = 0...1
        chart.showsMarkers = false
        for curve in curves {
            chart.addSeries(curve.name + String(format: " (AUC %.3f)", curve.auc), x: curve.fpr, y: curve.tpr)
        }
        chart.addSeries("chance", x: [Float(0), 1], y: [Float(0), 1], color: RGBColor(gray: 160))
        return chart
    }

    /// The objective per iteration on a log scale (linear when some value is not positive).
    public static func lossCurve(_ series: [(name: String, losses: [Double])], title: String = "Training loss",
                                 xLabel: String = "iteration") -> LineChart {
        let positive = series.allSatisfy { $0.losses.allSatisfy { $0 > 0 } }
        var chart = LineChart(title: title, xLabel: xLabel, yLabel: "objective", logScaleY: positive)
        for (name, losses) in series where !losses.isEmpty { chart.addSeries(name, y: losses, firstX: 1) }
        return chart
    }

    /// One horizontal bar per feature (at most `limit`, the largest in magnitude first).
    public static func coefficients(_ values: [Float], names: [String], limit: Int = 30,
                                    title: String = "Coefficients (standardised features)") -> BarChart {
        let order = values.indices.sorted { abs(values[$0]) > abs(values[$1]) }.prefix(limit)
        var chart = BarChart(labels: order.map { names[$0] }, values: order.map { values[$0] }, title: title,
                             valueLabel: "weight", categoryLabel: "feature", orientation: .horizontal)
        chart.colors = order.map { values[$0] >= 0 ? RGBColor.palette(0) : RGBColor.palette(1) }
        chart.height = Swift.max(400, 120 + 22 * order.count)
        return chart
    }

    /// Predictions against true values, with the diagonal predicted = actual.
    public static func predictedAgainstActual(actual: [Float], predicted: [Float],
                                              title: String = "Predicted against actual (test set)") -> ScatterPlot {
        var plot = ScatterPlot(title: title, xLabel: "actual", yLabel: "predicted")
        plot.addPoints("test rows", x: actual, y: predicted)
        let low = Swift.min(actual.min() ?? 0, predicted.min() ?? 0), high = Swift.max(actual.max() ?? 1, predicted.max() ?? 1)
        let steps = 50
        let diagonal = (0...steps).map { low + (high - low) * Float($0) / Float(steps) }
        plot.addPoints("predicted = actual", x: diagonal, y: diagonal, color: RGBColor(gray: 150))
        return plot
    }

    /// 2-D points [n, 2] coloured by class over the regions where `model` predicts each class.
    public static func decisionBoundary(points: Tensor, labels: [Int], area: (x: ClosedRange<Double>, y: ClosedRange<Double>),
                                        classNames: [String], title: String, cells: Int = 240,
                                        model: some Classifier) -> ScatterPlot {
        precondition(points.rank == 2 && points.shape[1] == 2, "decisionBoundary: points must be [n, 2], got \(points.shape)")
        var plot = ScatterPlot(title: title, xLabel: "x1", yLabel: "x2")
        plot.markerRadius = 3.5
        plot.xAxis.range = area.x
        plot.yAxis.range = area.y
        plot.xAxis.snapsToTicks = false
        plot.yAxis.snapsToTicks = false
        let xy = points.scalars
        plot.addPoints(x: stride(from: 0, to: xy.count, by: 2).map { xy[$0] }, y: stride(from: 1, to: xy.count, by: 2).map { xy[$0] },
                       classes: labels, classNames: classNames)
        let classes = model.classes
        plot.regions = DecisionRegions.lookup(x: area.x, y: area.y, cells: cells) { grid in
            model.predict(grid).scalars.map { classes.firstIndex(of: $0) ?? 0 }
        }
        return plot
    }
}

extension ClassifierEvaluation {
    /// Writes confusion_matrix.png and (when the test set has both sides) roc_curve.png into `folder`,
    /// naming classes with `classNames`; returns the paths written.
    public func writePlots(to folder: URL, classNames: ([Float]) -> [String]) throws -> [String] {
        var files: [String] = []
        let confusionURL = folder.appendingPathComponent("confusion_matrix.png")
        try EvaluationPlots.confusionMatrix(confusion.counts, classNames: classNames(confusion.labels)).write(to: confusionURL)
        files.append(confusionURL.path)
        if !rocCurves.isEmpty {
            let curves = rocCurves.map { (name: classNames([$0.label])[0], fpr: $0.fpr, tpr: $0.tpr, auc: $0.auc) }
            let rocURL = folder.appendingPathComponent("roc_curve.png")
            try EvaluationPlots.rocCurves(curves).write(to: rocURL)
            files.append(rocURL.path)
        }
        return files
    }
}

extension RegressorEvaluation {
    /// Writes predicted_vs_actual.png into `folder`; returns its path.
    public func writePlots(to folder: URL) throws -> [String] {
        let url = folder.appendingPathComponent("predicted_vs_actual.png")
        try EvaluationPlots.predictedAgainstActual(actual: actual, predicted: predicted).write(to: url)
        return [url.path]
    }
}
