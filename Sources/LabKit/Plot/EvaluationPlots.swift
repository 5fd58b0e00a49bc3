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
}
