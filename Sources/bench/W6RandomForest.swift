// W6: a random forest classifier, as the classical-ML peer (docs/BENCHMARKS.md) fits
// scikit-learn's RandomForestClassifier: X ~ N(0, 1) of 50 000 × 28 float32,
//     y = 1[Σ_{j<8} sin(2 x_j) + x_8 · x_9 + N(0, 0.5²) > 0],
// 100 trees, max depth 12, ⌊√28⌋ = 5 features per split, bootstrap, Gini.
// The fit is timed (median of `repetitions` after one warm-up); the quality is
// the accuracy on 50 000 fresh rows. `--quick` uses 5 000 rows and 20 trees.
import Foundation
import LabKit
import Tensor
import Trees

enum W6RandomForest {
    static func run(threads: Int, quick: Bool, repetitions: Int, seed: UInt64 = 6) throws -> [BenchRecord] {
        let (n, d, testRows, trees) = quick ? (5_000, 28, 5_000, 20) : (50_000, 28, 50_000, 100)
        Log.progress("W6 threads=\(threads) n=\(n) d=\(d) trees=\(trees)")
        let train = SineSumClassification(count: n, features: d, seed: seed)
        let test = SineSumClassification(count: testRows, features: d, seed: seed &+ 1)

        var model = RandomForestClassifier(trees: trees, maxDepth: 12, maxFeatures: .sqrt, seed: 0)
        var failure: Error?
        let (median, times) = Stopwatch.median(repetitions: repetitions, warmup: 1) {
            do { try model.fit(train.x, train.y) } catch { failure = error }
        }
        if let failure { throw failure }
        let accuracy = Double(model.score(test.x, test.y))
        let nodes = model.estimators.reduce(0) { $0 + $1.nodeCount }
        Log.progress(String(format: "  W6 forest: %.3fs (median of %d) test acc %.4f, %.0f nodes per tree",
                            median, times.count, accuracy, Double(nodes) / Double(trees)))
        return [BenchRecord(
            workload: "W6", impl: "mllab", threads: threads,
            params: [("n", .number(Double(n))), ("d", .number(Double(d))), ("trees", .number(Double(trees))),
                     ("max_depth", .number(12)), ("max_features", .string("sqrt"))],
            secondsMedian: median, rate: [],
            quality: [("test_accuracy", .number((accuracy * 1e5).rounded() / 1e5))])]
    }
}
