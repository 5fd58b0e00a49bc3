// Classification report: precision, recall, F1 and support of every class,
// then accuracy and the macro and support-weighted averages, as a table
// (scikit-learn's classification_report). For class ℓ:
//     precision = TP/(TP+FP),  recall = TP/(TP+FN),  F1 = 2·TP/(2·TP+FP+FN),  support = TP+FN
// (zero divisions count as 0, see PrecisionRecallF1.swift); the averages are
// taken over the labels found in yTrue or yPred.

import Foundation
import Tensor

/// Per-class precision, recall, F1 and support, with accuracy and averages; `description` is the text table.
public struct ClassificationReport: Sendable, CustomStringConvertible {
    /// One class's line of the report.
    public struct Row: Sendable, Equatable {
        /// The class label, or the average's name ("macro avg", "weighted avg").
        public let name: String
        public let precision, recall, f1: Double
        /// How many samples of yTrue the line covers.
        public let support: Int
    }

    /// One row per label (the sorted union of yTrue and yPred).
    public let classes: [Row]
    /// The fraction of correct predictions.
    public let accuracy: Double
    /// The unweighted mean over classes.
    public let macroAverage: Row
    /// The mean over classes weighted by support.
    public let weightedAverage: Row

    /// The report of predictions yPred against yTrue; `names` replaces the labels in the table (one per label).
    public init(_ yTrue: Tensor, _ yPred: Tensor, names: [String]? = nil) {
        let counts = ClassCounts(yTrue, yPred, op: "ClassificationReport")
        precondition(names == nil || names!.count == counts.labels.count,
                     "ClassificationReport: \(names?.count ?? 0) names for the \(counts.labels.count) labels \(counts.labels)")
        var rows: [Row] = []
        for (k, label) in counts.labels.enumerated() {
            let (tp, fp, fn) = (counts.truePositives[k], counts.falsePositives[k], counts.falseNegatives[k])
            rows.append(Row(name: names?[k] ?? Self.text(label),
                            precision: Metrics.ratio(tp, tp + fp), recall: Metrics.ratio(tp, tp + fn),
                            f1: Metrics.ratio(2 * tp, 2 * tp + fp + fn), support: tp + fn))
        }
        let total = rows.reduce(0) { $0 + $1.support }
        func average(_ name: String, weight: (Row) -> Double) -> Row {
            let sum = rows.reduce(0.0) { $0 + weight($1) }
            func mean(_ value: (Row) -> Double) -> Double {
                sum == 0 ? 0 : rows.reduce(0.0) { $0 + weight($1) * value($1) } / sum
            }
            return Row(name: name, precision: mean(\.precision), recall: mean(\.recall), f1: mean(\.f1), support: total)
        }
        classes = rows
        accuracy = Double(counts.truePositives.reduce(0, +)) / Double(total)
        macroAverage = average("macro avg") { _ in 1 }
        weightedAverage = average("weighted avg") { Double($0.support) }
    }

    /// The table, two decimals, laid out like scikit-learn's.
    public var description: String {
        let width = Swift.max(12, (classes.map(\.name.count).max() ?? 0))
        func pad(_ text: String, _ size: Int) -> String { String(repeating: " ", count: Swift.max(0, size - text.count)) + text }
        func number(_ value: Double) -> String { pad(String(format: "%.2f", value), 10) }
        func line(_ row: Row) -> String {
            pad(row.name, width) + number(row.precision) + number(row.recall) + number(row.f1) + pad("\(row.support)", 10)
        }
        var lines = [pad("", width) + pad("precision", 10) + pad("recall", 10) + pad("f1-score", 10) + pad("support", 10), ""]
        lines += classes.map(line)
        lines.append("")
        lines.append(pad("accuracy", width) + pad("", 20) + number(accuracy) + pad("\(macroAverage.support)", 10))
        lines.append(line(macroAverage))
        lines.append(line(weightedAverage))
        return lines.joined(separator: "\n")
    }

    /// A label as text: whole numbers without ".0".
    static func text(_ label: Float) -> String {
        label.rounded() == label && abs(label) < 1e9 ? String(Int(label)) : "\(label)"
    }
}
