// ROC curve and the area under it, for a score where higher means "more likely positive".
//
// Sort the samples by score, highest first (one sort, n log n). Every distinct
// score s is a threshold: calling "positive" every sample with score ≥ s gives
//     TP(s) = positives with score ≥ s,   FP(s) = negatives with score ≥ s,
//     TPR = TP / P,   FPR = FP / N          (P positives and N negatives in all).
// Tied scores move together, so there is one point per distinct threshold (what
// scikit-learn's roc_curve returns with drop_intermediate=False), after a first
// point (0, 0) at threshold +∞.
// The AUC is the trapezoid area under (FPR, TPR), which equals the Mann–Whitney
// statistic: the probability that a random positive scores above a random
// negative, a tie counting one half,
//     AUC = (1 / (P·N)) Σ_{i positive} Σ_{j negative} ( 1[sᵢ > sⱼ] + ½·1[sᵢ = sⱼ] ).
// One-vs-rest for k classes: class j against the rest, scored by column j of
// the probabilities; the macro average is the mean of the k areas.

import Tensor

extension Metrics {
    /// The ROC curve: false and true positive rates at each distinct score, thresholds decreasing.
    ///
    /// The first point is (0, 0) at threshold +∞. When yTrue has no negatives (no positives) the
    /// false (true) positive rates are NaN, as scikit-learn's are.
    public static func rocCurve(_ yTrue: Tensor, scores: Tensor,
                                positive: Float = 1) -> (fpr: [Float], tpr: [Float], thresholds: [Float]) {
        let curve = RankedCounts(yTrue, scores: scores, positive: positive, op: "rocCurve")
        let p = curve.truePositives.last!, n = curve.falsePositives.last!
        return ([0] + curve.falsePositives.map { Float($0 / n) },
                [0] + curve.truePositives.map { Float($0 / p) },
                [.infinity] + curve.thresholds)
    }

    /// The area under the ROC curve (trapezoid rule), the chance that a positive outscores a negative.
    ///
    /// NaN when yTrue holds only one of the two sides (positives or negatives): the area is then undefined.
    public static func rocAUC(_ yTrue: Tensor, scores: Tensor, positive: Float = 1) -> Float {
        let curve = RankedCounts(yTrue, scores: scores, positive: positive, op: "rocAUC")
        let p = curve.truePositives.last!, n = curve.falsePositives.last!
        guard p > 0 && n > 0 else { return .nan }
        var area = 0.0, previousTP = 0.0, previousFP = 0.0
        for (tp, fp) in zip(curve.truePositives, curve.falsePositives) {
            area += (fp - previousFP) * (tp + previousTP) / 2
            (previousTP, previousFP) = (tp, fp)
        }
        return Float(area / (p * n))
    }

    /// The macro one-vs-rest ROC AUC of class probabilities [n, k] whose column j belongs to `classes[j]`.
    ///
    /// NaN when a class of `classes` is absent from yTrue (its one-vs-rest area is undefined).
    public static func rocAUCOneVsRest(_ yTrue: Tensor, probabilities: Tensor, classes: [Float]) -> Float {
        precondition(probabilities.rank == 2 && probabilities.shape[0] == yTrue.count
                        && probabilities.shape[1] == classes.count,
                     "rocAUCOneVsRest: probabilities \(probabilities.shape) must be [\(yTrue.count), \(classes.count)] for yTrue \(yTrue.shape) and \(classes.count) classes")
        var sum = 0.0
        for (j, label) in classes.enumerated() {
            let column = probabilities.gathering([j], axis: 1).flattened()
            sum += Double(rocAUC(yTrue, scores: column, positive: label))
        }
        return Float(sum / Double(classes.count))
    }
}

/// Cumulative true and false positive counts at each distinct score, highest score first.
struct RankedCounts {
    /// The distinct scores, decreasing.
    let thresholds: [Float]
    /// truePositives[t]: positives with score ≥ thresholds[t] (in Double, ready for ratios).
    let truePositives: [Double]
    /// falsePositives[t]: negatives with score ≥ thresholds[t].
    let falsePositives: [Double]

    init(_ yTrue: Tensor, scores: Tensor, positive: Float, op: String) {
        precondition(yTrue.count == scores.count && yTrue.count > 0,
                     "\(op): yTrue \(yTrue.shape) and scores \(scores.shape) must be non-empty with equal counts")
        let labels = yTrue.scalars, values = scores.scalars
        precondition(values.allSatisfy(\.isFinite), "\(op): scores must be finite")
        let order = values.indices.sorted { values[$0] > values[$1] }
        var thresholds: [Float] = [], tps: [Double] = [], fps: [Double] = []
        var tp = 0.0, fp = 0.0
        for (position, i) in order.enumerated() {
            if labels[i] == positive { tp += 1 } else { fp += 1 }
            // Close a point at the last sample of each run of equal scores.
            let next = position + 1
            if next == order.count || values[order[next]] != values[i] {
                thresholds.append(values[i])
                tps.append(tp)
                fps.append(fp)
            }
        }
        self.thresholds = thresholds
        truePositives = tps
        falsePositives = fps
    }
}
