// W7: k-means, as the classical-ML peer (docs/BENCHMARKS.md) fits scikit-learn's KMeans:
// 16 centres c_j ~ U(−10, 10)^32, 100 000 points x = c_{label} + N(0, I) with
// labels uniform in 0..<16, float32; k-means++ start, one run, at most 100
// Lloyd iterations, tolerance 1e-4. The fit is timed (median of `repetitions`
// after one warm-up); the quality is
//     inertia_ratio = J(fitted centres) / J(true centres),  J(C) = Σᵢ minⱼ ‖xᵢ − cⱼ‖²
// both computed in Double, with the iterations run. `--quick` uses 10 000 points.
import Foundation
import LabKit
import Tensor
import Unsupervised

enum W7KMeans {
    static func run(threads: Int, quick: Bool, repetitions: Int, seed: UInt64 = 7) throws -> [BenchRecord] {
        let (k, d, n) = (16, 32, quick ? 10_000 : 100_000)
        Log.progress("W7 threads=\(threads) n=\(n) d=\(d) k=\(k)")
        var generator = RandomGenerator(seed: seed)
        let trueCenters = (0..<k * d).map { _ in generator.uniform(-10, 10) }
        var points = [Float](repeating: 0, count: n * d)
        for i in 0..<n {
            let label = generator.nextInt(below: k)
            for f in 0..<d { points[i * d + f] = trueCenters[label * d + f] + Float(generator.normal()) }
        }
        let x = Tensor(shape: [n, d], scalars: points)

        var model = KMeans(clusters: k, restarts: 1, maxIterations: 100, tolerance: 1e-4, seed: 0)
        var failure: Error?
        let (median, times) = Stopwatch.median(repetitions: repetitions, warmup: 1) {
            do { try model.fit(x) } catch { failure = error }
        }
        if let failure { throw failure }
        let ratio = inertia(points, n: n, d: d, centers: model.centers.scalars)
            / inertia(points, n: n, d: d, centers: trueCenters)
        Log.progress(String(format: "  W7 k-means: %.4fs (median of %d), inertia ratio %.6f, %d iterations",
                            median, times.count, ratio, model.iterations))
        return [BenchRecord(
            workload: "W7", impl: "mllab-KMeans", threads: threads,
            params: [("n", .number(Double(n))), ("d", .number(Double(d))), ("k", .number(Double(k)))],
            secondsMedian: median, rate: [],
            quality: [("inertia_ratio", .number((ratio * 1e6).rounded() / 1e6)),
                      ("n_iter", .number(Double(model.iterations))), ("algorithm", .string("lloyd"))])]
    }

    /// Σᵢ minⱼ ‖xᵢ − cⱼ‖² by direct differences in Double (the reference the ratio is taken against).
    static func inertia(_ points: [Float], n: Int, d: Int, centers: [Float]) -> Double {
        let k = centers.count / d
        var total = 0.0
        points.withUnsafeBufferPointer { xs in
            centers.withUnsafeBufferPointer { cs in
                for i in 0..<n {
                    var nearest = Double.infinity
                    for j in 0..<k {
                        var squared = 0.0
                        for f in 0..<d { let diff = Double(xs[i * d + f]) - Double(cs[j * d + f]); squared += diff * diff }
                        nearest = min(nearest, squared)
                    }
                    total += nearest
                }
            }
        }
        return total
    }
}
