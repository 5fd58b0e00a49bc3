// Precision, recall and F1 of a classifier's predictions, per class and averaged.
//
// For a class ℓ, from the confusion matrix:
//     TP = true ℓ predicted ℓ,  FP = predicted ℓ but not ℓ,  FN = true ℓ predicted otherwise,
//     precision = TP / (TP + FP)      (of the samples called ℓ, how many are ℓ)
//     recall    = TP / (TP + FN)      (of the samples that are ℓ, how many were found)
//     F1        = 2·P·R / (P + R) = 2·TP / (2·TP + FP + FN)
// Zero division: a ratio whose denominator is 0 (a class never predicted, never
// present) counts as 0, scikit-learn's default `zero_division` value (it also
// warns; we do not).
// Averages over the labels (the sorted union of yTrue and yPred):
//     macro    = unweighted mean of the per-class values
//     weighted = mean weighted by support (TP + FN, the true count of each class)
//     micro    = the ratio of the summed counts ΣTP / (ΣTP + ΣFP) …; for single-label
//                data micro precision = micro recall = micro F1 = accuracy
//     binary   = the value for one positive class only

import Tensor

/// How per-class precision, recall or F1 are combined into one number (scikit-learn's `average`).
public enum Averaging: Sendable, Hashable {
    /// The unweighted mean over classes: every class counts the same.
    case macro
    /// Computed from the counts summed over classes (equals accuracy for single-label data).
    case micro
    /// The mean over classes weighted by each class's support (true count).
    case weighted
    /// The value for the class `positive` alone.
    case binary(positive: Float)
}

extension Metrics {
    /// Precision TP / (TP + FP), averaged as asked (0 where a class was never predicted).
    public static func precision(_ yTrue: Tensor, _ yPred: Tensor, average: Averaging = .binary(positive: 1)) -> Float {
        ClassCounts(yTrue, yPred, op: "precision").averaged(average) { tp, fp, _ in ratio(tp, tp + fp) }
    }

    /// Recall TP / (TP + FN), averaged as asked (0 for a class absent from yTrue).
    public static func recall(_ yTrue: Tensor, _ yPred: Tensor, average: Averaging = .binary(positive: 1)) -> Float {
        ClassCounts(yTrue, yPred, op: "recall").averaged(average) { tp, _, fn in ratio(tp, tp + fn) }
    }

    /// F1 = 2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall, averaged as asked.
    public static func f1(_ yTrue: Tensor, _ yPred: Tensor, average: Averaging = .binary(positive: 1)) -> Float {
        ClassCounts(yTrue, yPred, op: "f1").averaged(average) { tp, fp, fn in ratio(2 * tp, 2 * tp + fp + fn) }
    }

    /// a / b, or 0 when b is 0 (scikit-learn's zero_division=0).
    static func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
}

/// True positives, false positives and false negatives of every class of a pair of label vectors.
struct ClassCounts {
    /// The labels, increasing (the union of yTrue and yPred).
    let labels: [Float]
    let truePositives, falsePositives, falseNegatives: [Int]

    init(_ yTrue: Tensor, _ yPred: Tensor, op: String) {
        precondition(yTrue.count == yPred.count && yTrue.count > 0,
                     "\(op): yTrue \(yTrue.shape) and yPred \(yPred.shape) must be non-empty with equal counts")
        let (labels, counts) = Metrics.confusionMatrix(yTrue, yPred)
        self.labels = labels
        let k = labels.count
        truePositives = (0..<k).map { counts[$0][$0] }
        // Column sum minus diagonal: predicted ℓ but something else; row sum minus diagonal: ℓ missed.
        falsePositives = (0..<k).map { j in (0..<k).reduce(0) { $0 + counts[$1][j] } - counts[j][j] }
        falseNegatives = (0..<k).map { i in counts[i].reduce(0, +) - counts[i][i] }
    }

    /// The per-class value `measure(TP, FP, FN)` combined as `average` asks.
    func averaged(_ average: Averaging, _ measure: (Int, Int, Int) -> Double) -> Float {
        let k = labels.count
        switch average {
        case .macro:
            return Float((0..<k).reduce(0.0) { $0 + measure(truePositives[$1], falsePositives[$1], falseNegatives[$1]) } / Double(k))
        case .weighted:
            let support = (0..<k).map { truePositives[$0] + falseNegatives[$0] }
            let total = support.reduce(0, +)
            guard total > 0 else { return 0 }
            let sum = (0..<k).reduce(0.0) {
                $0 + Double(support[$1]) * measure(truePositives[$1], falsePositives[$1], falseNegatives[$1])
            }
            return Float(sum / Double(total))
        case .micro:
            return Float(measure(truePositives.reduce(0, +), falsePositives.reduce(0, +), falseNegatives.reduce(0, +)))
        case .binary(let positive):
            guard let j = labels.firstIndex(of: positive) else { return 0 }
            return Float(measure(truePositives[j], falsePositives[j], falseNegatives[j]))
        }
    }
}
