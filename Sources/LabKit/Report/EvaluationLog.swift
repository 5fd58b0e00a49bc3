// EvaluationLog: how every tabular lab prints and records what it found.
//
// The same words and the same report keys in every phase-3 lab: the data set
// (rows, features, target, task, dropped rows, classes), then the test-set
// metrics one per line, then the cross-validation summary
// (cv_<metric>_mean, cv_<metric>_std, cv_<metric>_per_fold, cv_folds in report.json).

/// Printing and recording a tabular evaluation, shared by the phase-3 labs.
public enum EvaluationLog {
    /// Prints what was read from a CSV file and records its size in the report.
    public static func describe(_ data: TabularDataset, into report: inout JSONReport) {
        let rows = data.target.count
        Log.info("== \(data.path): \(rows) rows, \(data.featureNames.count) features, target '\(data.targetName)' (\(data.task.rawValue)) ==")
        if !data.droppedLines.isEmpty {
            let shown = data.droppedLines.prefix(5).map(String.init).joined(separator: ", ")
            Log.info("  dropped \(data.droppedLines.count) rows with missing cells (lines \(shown)\(data.droppedLines.count > 5 ? ", …" : ""))")
        }
        if data.task == .classification {
            let classes = Array(Set(data.target.scalars)).sorted()
            Log.info("  classes: \(data.names(of: classes).joined(separator: ", "))")
        }
        report.setMetric("rows", JSONValue(rows))
        report.setMetric("features", JSONValue(data.featureNames.count))
        report.set("task", .string(data.task.rawValue))
    }

    /// Prints and records the test metrics and the cross-validation summary under `scoring`'s name.
    public static func record(_ metrics: [(name: String, value: Double)], _ crossValidation: CrossValidationResult?,
                              scoring: String, into report: inout JSONReport) {
        Log.info("  test set:")
        for (name, value) in metrics {
            Log.info("    " + name.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%.4f", value))
            report.setMetric(name, value)
        }
        if let crossValidation {
            let scores = crossValidation.scores.map { String(format: "%.4f", $0) }.joined(separator: " ")
            Log.info("  \(crossValidation.scores.count)-fold cross-validation \(scoring): "
                + String(format: "mean %.4f, std %.4f", crossValidation.mean, crossValidation.std) + "  (folds: \(scores))")
            report.setMetric("cv_\(scoring)_mean", crossValidation.mean)
            report.setMetric("cv_\(scoring)_std", crossValidation.std)
            report.setMetric("cv_folds", JSONValue(crossValidation.scores.count))
            report.setMetric("cv_\(scoring)_per_fold", .array(crossValidation.scores.map { .number($0) }))
        }
    }
}
