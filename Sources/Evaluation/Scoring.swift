// Scoring: one number that says how good a fitted model is on (X, y), named as
// scikit-learn's `scoring` strings, with higher always better:
//     accuracy        (1/n) Σ 1[ŷᵢ = yᵢ]
//     f1_macro        mean over classes of 2·TP / (2·TP + FP + FN)
//     roc_auc         binary: AUC of the probability of classes[1];
//                     more classes: macro mean of the one-vs-rest AUCs
//     neg_log_loss    −(1/n) Σ −log p_{i, yᵢ}        (minus the loss)
//     r2              1 − SS_res / SS_tot
//     neg_mean_squared_error   −(1/n) Σ (yᵢ − ŷᵢ)²
//     neg_mean_absolute_error  −(1/n) Σ |yᵢ − ŷᵢ|
// roc_auc and neg_log_loss need class probabilities, so only a `Classifier` has them.

import Tensor

/// A named way to score a fitted estimator (scikit-learn's `scoring` strings); higher is better for all.
public enum Scoring: String, CaseIterable, Sendable {
    case accuracy
    case f1Macro = "f1_macro"
    case rocAUC = "roc_auc"
    case logLoss = "neg_log_loss"
    case r2
    case negMSE = "neg_mean_squared_error"
    case negMAE = "neg_mean_absolute_error"

    /// The score of the fitted `estimator` on X [m, d] against y [m].
    ///
    /// - Throws: `EstimatorError.invalidParameter` when the estimator cannot give this score (roc_auc or
    ///   neg_log_loss of a model that is not a `Classifier`), `EstimatorError.invalidValue` when y holds a
    ///   label the classifier never saw in fit, `EstimatorError.singleClass` when y holds one class and
    ///   the ROC AUC is undefined.
    public func score<E: Estimator>(_ estimator: E, _ x: Tensor, _ y: Tensor) throws -> Double {
        switch self {
        case .accuracy: return Double(Metrics.accuracy(y, estimator.predict(x)))
        case .f1Macro: return Double(Metrics.f1(y, estimator.predict(x), average: .macro))
        case .r2: return Double(Metrics.r2(y, estimator.predict(x)))
        case .negMSE: return -Double(Metrics.meanSquaredError(y, estimator.predict(x)))
        case .negMAE: return -Double(Metrics.meanAbsoluteError(y, estimator.predict(x)))
        case .rocAUC, .logLoss:
            guard let classifier = estimator as? any Classifier else {
                throw EstimatorError.invalidParameter(
                    name: "scoring", value: rawValue,
                    expected: "a Classifier (with predictProba); \(E.self) is not one")
            }
            return try probabilityScore(classifier, x, y)
        }
    }

    /// roc_auc or neg_log_loss from the classifier's probabilities.
    private func probabilityScore(_ classifier: any Classifier, _ x: Tensor, _ y: Tensor) throws -> Double {
        let classes = classifier.classes
        let known = Set(classes)
        if let row = y.scalars.firstIndex(where: { !known.contains($0) }) {
            throw EstimatorError.invalidValue(row: row, column: nil, value: y.scalars[row],
                                              expected: "one of the classes seen in fit \(classes)")
        }
        let probabilities = classifier.predictProba(x)
        if self == .logLoss {
            return -Double(Metrics.logLoss(y, probabilities: probabilities, classes: classes))
        }
        let auc = classes.count == 2
            ? Metrics.rocAUC(y, scores: probabilities.gathering([1], axis: 1).flattened(), positive: classes[1])
            : Metrics.rocAUCOneVsRest(y, probabilities: probabilities, classes: classes)
        guard !auc.isNaN else {
            // Some class (of the two, or of the one-vs-rest pairs) is missing from y.
            let present = Set(y.scalars)
            throw present.count == 1
                ? EstimatorError.singleClass(label: y.scalars[0])
                : EstimatorError.invalidParameter(
                    name: "scoring", value: rawValue,
                    expected: "every class \(classes) present in y (found \(present.sorted()))")
        }
        return Double(auc)
    }
}
