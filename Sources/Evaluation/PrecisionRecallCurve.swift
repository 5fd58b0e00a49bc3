// Precision–recall curve and average precision, for a score where higher means positive.
//
// At each distinct score s (from the same single sort as the ROC curve),
// calling "positive" the samples with score ≥ s gives
//     precision(s) = TP / (TP + FP),   recall(s) = TP / P.
// As in scikit-learn's precision_recall_curve, the points are returned with
// thresholds increasing (recall decreasing), followed by a last point
// (precision 1, recall 0) that has no threshold.
// Average precision is the step-wise area, each recall gain weighted by the
// precision reached there (no interpolation):
//     AP = Σₜ (Rₜ − Rₜ₋₁) · Pₜ,   thresholds from highest to lowest, R₋₁ = 0.

import Tensor

extension Metrics {
    /// Precision and recall at each distinct score, thresholds increasing; the last point is (1, 0) with no threshold.
    ///
    /// When yTrue holds no positive, recall is 1 everywhere, as in scikit-learn.
    public static func precisionRecallCurve(_ yTrue: Tensor, scores: Tensor, positive: Float = 1)
        -> (precision: [Float], recall: [Float], thresholds: [Float]) {
        let curve = RankedCounts(yTrue, scores: scores, positive: positive, op: "precisionRecallCurve")
        let p = curve.truePositives.last!
        var precision: [Float] = [], recall: [Float] = []
        for (tp, fp) in zip(curve.truePositives, curve.falsePositives).reversed() {
            precision.append(Float(tp / (tp + fp)))           // every threshold holds ≥ 1 sample
            recall.append(p == 0 ? 1 : Float(tp / p))
        }
        return (precision + [1], recall + [0], curve.thresholds.reversed())
    }

    /// Average precision AP = Σ (Rₜ − Rₜ₋₁) Pₜ over the thresholds from highest to lowest.
    ///
    /// 0 when yTrue holds no positive (precision is then 0 at every threshold), as in scikit-learn.
    public static func averagePrecision(_ yTrue: Tensor, scores: Tensor, positive: Float = 1) -> Float {
        let curve = RankedCounts(yTrue, scores: scores, positive: positive, op: "averagePrecision")
        let p = curve.truePositives.last!
        var sum = 0.0, previousRecall = 0.0
        for (tp, fp) in zip(curve.truePositives, curve.falsePositives) {
            let recall = p == 0 ? 1 : tp / p
            sum += (recall - previousRecall) * (tp / (tp + fp))
            previousRecall = recall
        }
        return Float(sum)
    }
}
