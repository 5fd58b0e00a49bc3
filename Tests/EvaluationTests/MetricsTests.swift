// Tests of the classification metrics against values worked out by hand (the
// working is in the comments), the ROC AUC against the Mann–Whitney statistic
// computed pair by pair, and scikit-learn's documented examples.
import Foundation
import Tensor
import Testing
@testable import Evaluation

@Suite struct MetricsTests {
    // yTrue = 0 0 1 1 2 2, yPred = 0 1 1 1 2 0.
    // Confusion (rows true, columns predicted): [1 1 0] [0 2 0] [1 0 1].
    // class 0: TP 1, FP 1 (row 2 → 0), FN 1 → P 1/2, R 1/2, F1 2/(2+1+1) = 1/2
    // class 1: TP 2, FP 1 (row 0 → 1), FN 0 → P 2/3, R 1,   F1 4/(4+1+0) = 4/5
    // class 2: TP 1, FP 0,             FN 1 → P 1,   R 1/2, F1 2/(2+0+1) = 2/3
    static let yTrue = Tensor([0, 0, 1, 1, 2, 2])
    static let yPred = Tensor([0, 1, 1, 1, 2, 0])

    @Test func confusionMatrixCountsTruthAgainstPrediction() {
        let (labels, counts) = Metrics.confusionMatrix(Self.yTrue, Self.yPred)
        #expect(labels == [0, 1, 2])
        #expect(counts == [[1, 1, 0], [0, 2, 0], [1, 0, 1]])
        // A label list orders rows and columns and drops samples with other labels:
        // true 2 → predicted 2, 0 gives row [1 1]; true 0 → predicted 0 gives [0 1] (0 → 1 is dropped).
        let (chosen, partial) = Metrics.confusionMatrix(Self.yTrue, Self.yPred, labels: [2, 0])
        #expect(chosen == [2, 0])
        #expect(partial == [[1, 1], [0, 1]])
    }

    @Test func macroAndMicroAveragesMatchTheHandComputation() {
        // macro P = (1/2 + 2/3 + 1)/3 = 0.72222, macro R = (1/2 + 1 + 1/2)/3 = 2/3,
        // macro F1 = (1/2 + 4/5 + 2/3)/3 = 0.65556; micro = ΣTP/n = 4/6 for all three.
        #expect(abs(Metrics.precision(Self.yTrue, Self.yPred, average: .macro) - 0.722222) < 1e-5)
        #expect(abs(Metrics.recall(Self.yTrue, Self.yPred, average: .macro) - 0.666667) < 1e-5)
        #expect(abs(Metrics.f1(Self.yTrue, Self.yPred, average: .macro) - 0.655556) < 1e-5)
        for metric in [Metrics.precision, Metrics.recall, Metrics.f1] {
            #expect(abs(metric(Self.yTrue, Self.yPred, .micro) - 4.0 / 6) < 1e-6)
        }
    }

    @Test func weightedAndBinaryAveragesMatchTheHandComputation() {
        // yTrue = 0 0 0 1, yPred = 0 0 1 1.
        // class 0: TP 2, FP 0, FN 1 → P 1,   R 2/3, F1 4/5;  support 3
        // class 1: TP 1, FP 1, FN 0 → P 1/2, R 1,   F1 2/3;  support 1
        // weighted P = (3·1 + 1/2)/4 = 0.875, R = (3·2/3 + 1)/4 = 0.75, F1 = (3·0.8 + 2/3)/4 = 0.766667.
        let t = Tensor([0, 0, 0, 1]), p = Tensor([0, 0, 1, 1])
        #expect(abs(Metrics.precision(t, p, average: .weighted) - 0.875) < 1e-6)
        #expect(abs(Metrics.recall(t, p, average: .weighted) - 0.75) < 1e-6)
        #expect(abs(Metrics.f1(t, p, average: .weighted) - 0.766667) < 1e-5)
        #expect(abs(Metrics.precision(t, p) - 0.5) < 1e-6)               // binary, positive class 1
        #expect(abs(Metrics.recall(t, p) - 1) < 1e-6)
        #expect(abs(Metrics.f1(t, p) - 2.0 / 3) < 1e-6)
        #expect(abs(Metrics.f1(t, p, average: .binary(positive: 0)) - 0.8) < 1e-6)
    }

    @Test func zeroDivisionCountsAsZero() {
        // Class 1 is never predicted: its precision 0/0 → 0, its F1 2·0/(0+0+1) = 0.
        // macro precision = (class 0: 2/3 + class 1: 0)/2 = 1/3.
        let t = Tensor([0, 0, 1]), p = Tensor([0, 0, 0])
        #expect(Metrics.precision(t, p) == 0)
        #expect(Metrics.f1(t, p) == 0)
        #expect(abs(Metrics.precision(t, p, average: .macro) - 1.0 / 3) < 1e-6)
        // A positive class absent from both vectors scores 0 too.
        #expect(Metrics.recall(t, p, average: .binary(positive: 7)) == 0)
    }

    // scikit-learn's documented example: y = 0 0 1 1, scores 0.1 0.4 0.35 0.8.
    // Highest first: 0.8 (pos) 0.4 (neg) 0.35 (pos) 0.1 (neg) → TP 1 1 2 2, FP 0 1 1 2,
    // TPR .5 .5 1 1, FPR 0 .5 .5 1; roc_auc_score = 0.75 (3 of the 4 positive–negative pairs ordered).
    static let docTruth = Tensor([0, 0, 1, 1])
    static let docScores = Tensor([0.1, 0.4, 0.35, 0.8])

    @Test func rocCurveOfTheScikitLearnExample() {
        let (fpr, tpr, thresholds) = Metrics.rocCurve(Self.docTruth, scores: Self.docScores)
        #expect(fpr == [0, 0, 0.5, 0.5, 1])
        #expect(tpr == [0, 0.5, 0.5, 1, 1])
        #expect(thresholds == [.infinity, 0.8, 0.4, 0.35, 0.1])
        #expect(abs(Metrics.rocAUC(Self.docTruth, scores: Self.docScores) - 0.75) < 1e-7)
    }

    @Test func rocCurveGivesOnePointPerDistinctScore() {
        // y = 0 1 0 1 1, scores .5 .5 .2 .9 .2 → thresholds .9, .5, .2:
        // at .9: TP 1 FP 0; at .5 (one pos, one neg tied): TP 2 FP 1; at .2: TP 3 FP 2.
        // P = 3, N = 2: TPR 1/3 2/3 1, FPR 0 1/2 1.
        // Trapezoids: 0 + ½·(1/3 + 2/3)/2 + ½·(2/3 + 1)/2 = 1/4 + 5/12 = 2/3.
        // Mann–Whitney: .9 beats both negatives (2), .5 ties .5 and beats .2 (1.5), .2 ties .2 (0.5) → 4/6.
        let y = Tensor([0, 1, 0, 1, 1]), s = Tensor([0.5, 0.5, 0.2, 0.9, 0.2])
        let (fpr, tpr, thresholds) = Metrics.rocCurve(y, scores: s)
        #expect(thresholds == [.infinity, 0.9, 0.5, 0.2])
        #expect(fpr == [0, 0, 0.5, 1])
        #expect(zip(tpr, [0, 1.0 / 3, 2.0 / 3, 1]).allSatisfy { abs(Double($0) - $1) < 1e-6 })
        #expect(abs(Metrics.rocAUC(y, scores: s) - 2.0 / 3) < 1e-6)
    }

    /// The Mann–Whitney AUC counted pair by pair: (1/PN) Σ_pos Σ_neg (1[sᵢ > sⱼ] + ½·1[sᵢ = sⱼ]).
    static func mannWhitney(_ labels: [Float], _ scores: [Float]) -> Double {
        var wins = 0.0, pairs = 0.0
        for (i, li) in labels.enumerated() where li == 1 {
            for (j, lj) in labels.enumerated() where lj != 1 {
                wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0
                pairs += 1
            }
        }
        return wins / pairs
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func rocAUCEqualsTheMannWhitneyStatistic(_ seed: UInt64) {
        // 300 samples, scores rounded to tenths so that many tie, positives shifted up a little.
        var generator = RandomGenerator(seed: seed)
        let labels = (0..<300).map { _ in Float(generator.nextInt(below: 2)) }
        let scores = labels.map { ($0 * 0.3 + generator.uniform() * 10).rounded() / 10 }
        let auc = Metrics.rocAUC(Tensor(labels), scores: Tensor(scores))
        #expect(abs(Double(auc) - Self.mannWhitney(labels, scores)) < 1e-6)
        // Swapping the roles of the classes turns the area into 1 − AUC.
        let flipped = Metrics.rocAUC(Tensor(labels), scores: Tensor(scores), positive: 0)
        #expect(abs(Double(auc + flipped) - 1) < 1e-6)
    }

    @Test func rocAUCIsNaNWithOneClass() {
        #expect(Metrics.rocAUC(Tensor([1, 1, 1]), scores: Tensor([0.2, 0.5, 0.9])).isNaN)
    }

    @Test func oneVsRestAUCIsTheMeanOfTheClassAreas() {
        // Class 0 vs rest: positives .7 .3, negatives .2 .1 .5 .2 → .7 beats 4, .3 beats 3 → 7/8.
        // Class 1 vs rest: positives .6 .3, negatives .2 .3 .4 .2 → 4 + (1 + ½ + 0 + 1) = 6.5/8.
        // Class 2 vs rest: positives .6 .6, negatives .1 .2 .3 .2 → 8/8.
        // Macro: (0.875 + 0.8125 + 1)/3 = 0.895833.
        let y = Tensor([0, 1, 2, 0, 1, 2])
        let p = Tensor([[0.7, 0.2, 0.1], [0.2, 0.6, 0.2], [0.1, 0.3, 0.6],
                        [0.3, 0.4, 0.3], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6]])
        #expect(abs(Metrics.rocAUCOneVsRest(y, probabilities: p, classes: [0, 1, 2]) - 0.895833) < 1e-5)
    }

    @Test func precisionRecallCurveAndAveragePrecisionOfTheScikitLearnExample() {
        // Highest first: 0.8 → P 1, R .5; 0.4 → P 1/2, R .5; 0.35 → P 2/3, R 1; 0.1 → P 1/2, R 1.
        // Returned with thresholds increasing, then (1, 0):
        //   precision .5 2/3 .5 1 1, recall 1 1 .5 .5 0, thresholds .1 .35 .4 .8 (scikit-learn's docs).
        // AP = (.5 − 0)·1 + (.5 − .5)·½ + (1 − .5)·⅔ + (1 − 1)·½ = 0.5 + 1/3 = 0.83333.
        let (precision, recall, thresholds) = Metrics.precisionRecallCurve(Self.docTruth, scores: Self.docScores)
        #expect(zip(precision, [0.5, 2.0 / 3, 0.5, 1, 1]).allSatisfy { abs(Double($0) - $1) < 1e-6 })
        #expect(recall == [1, 1, 0.5, 0.5, 0])
        #expect(thresholds == [0.1, 0.35, 0.4, 0.8])
        #expect(abs(Metrics.averagePrecision(Self.docTruth, scores: Self.docScores) - 0.833333) < 1e-5)
        // A perfect ranking has AP 1; no positive at all gives 0.
        #expect(Metrics.averagePrecision(Tensor([1, 1, 0]), scores: Tensor([0.9, 0.8, 0.1])) == 1)
        #expect(Metrics.averagePrecision(Tensor([0, 0]), scores: Tensor([0.9, 0.1])) == 0)
    }

    @Test func logLossOfTheScikitLearnExample() {
        // Labels spam/ham coded ham = 0, spam = 1: y = 1 0 0 1, probability of the true class .9 .9 .8 .65.
        // −(ln .9 + ln .9 + ln .8 + ln .65)/4 = (0.1053605 + 0.1053605 + 0.2231436 + 0.4307829)/4 = 0.2161619.
        let y = Tensor([1, 0, 0, 1])
        let p = Tensor([[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]])
        #expect(abs(Metrics.logLoss(y, probabilities: p, classes: [0, 1]) - 0.2161619) < 1e-6)
        // A vector of P(classes[1]) is the same thing for two classes.
        let positive = Tensor([0.9, 0.1, 0.2, 0.65])
        #expect(abs(Metrics.logLoss(y, probabilities: positive, classes: [0, 1]) - 0.2161619) < 1e-6)
        // Probability 0 for the true class is clipped to ε = 2⁻²³: loss = 23 ln 2 = 15.942385.
        let zero = Metrics.logLoss(Tensor([1]), probabilities: Tensor([[1, 0]]), classes: [0, 1])
        #expect(abs(zero - 15.942385) < 1e-4)
    }

    @Test func classificationReportListsEveryClassAndTheAverages() {
        // Same case as above: per class (P, R, F1) = (.5, .5, .5), (2/3, 1, .8), (1, .5, 2/3), support 2 each;
        // accuracy 4/6; with equal supports the weighted averages equal the macro ones.
        let report = ClassificationReport(Self.yTrue, Self.yPred, names: ["cat", "dog", "fox"])
        #expect(report.classes.map(\.name) == ["cat", "dog", "fox"])
        #expect(report.classes.map(\.support) == [2, 2, 2])
        #expect(abs(report.classes[1].f1 - 0.8) < 1e-12)
        #expect(abs(report.accuracy - 4.0 / 6) < 1e-12)
        #expect(abs(report.macroAverage.precision - 0.722222) < 1e-6)
        #expect(abs(report.weightedAverage.f1 - report.macroAverage.f1) < 1e-12)
        #expect(report.macroAverage.support == 6)
        let text = report.description
        #expect(text.contains("         dog      0.67      1.00      0.80         2"))
        #expect(text.contains("    accuracy                          0.67         6"))
        #expect(text.contains("   macro avg      0.72      0.67      0.66         6"))
    }
}
