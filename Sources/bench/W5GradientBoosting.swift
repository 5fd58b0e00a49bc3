// W5: gradient-boosted trees with binary log-loss, as the classical-ML peer (docs/BENCHMARKS.md)
// fits LightGBM: X ~ N(0, 1) of 200 000 × 28 float32, y = 1[Σ_{j<8} sin(2x_j) + x₈·x₉ + N(0, 0.5²) > 0];
// 100 trees, 31 leaves, learning rate 0.1, 255 bins, LightGBM's defaults otherwise.
// The timed part is the whole fit, binning included (median of `repetitions`
// after one warm-up); the quality is the ROC AUC on 50 000 fresh rows.
// `--quick` uses 20 000 training and 5 000 test rows.
import Foundation
import LabKit
import Tensor
import Trees

enum W5GradientBoosting {
    static func run(threads: Int, quick: Bool, repetitions: Int, seed: UInt64 = 5) throws -> [BenchRecord] {
        let (n, testRows, d) = quick ? (20_000, 5_000, 28) : (200_000, 50_000, 28)
        Log.progress("W5 threads=\(threads) n=\(n) d=\(d)")
        let train = SineSumClassification(count: n, features: d, seed: seed)
        let test = SineSumClassification(count: testRows, features: d, seed: seed &+ 1)

        var model = GradientBoostingClassifier(rounds: 100, learningRate: 0.1, maxLeaves: 31, maxBins: 255)
        var failure: Error?
        let (median, times) = Stopwatch.median(repetitions: repetitions, warmup: 1) {
            do { try model.fit(train.x, train.y) } catch { failure = error }
        }
        if let failure { throw failure }
        let probabilities = model.predictProba(test.x).gathering([1], axis: 1).flattened()
        let auc = Double(Metrics.rocAUC(test.y, scores: probabilities))
        Log.progress(String(format: "  W5 mllab: %.4fs (median of %d) test AUC %.5f, final train log-loss %.5f",
                            median, times.count, auc, model.trainLoss.last ?? .nan))
        return [BenchRecord(
            workload: "W5", impl: "mllab", threads: threads,
            params: [("n", .number(Double(n))), ("d", .number(Double(d))), ("trees", .number(100)),
                     ("leaves", .number(31)), ("learning_rate", .number(0.1)), ("max_bin", .number(255))],
            secondsMedian: median, rate: [],
            quality: [("test_auc", .number((auc * 1e5).rounded() / 1e5))])]
    }
}
