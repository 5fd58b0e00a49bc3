// Part 3 of lab-tensors: the matrix-multiply shoot-out. Times the naive triple
// loop, MLLab's SIMD kernel and OpenBLAS on square products (GEMMShootout) and
// draws GFLOP/s against n.
import Foundation
import LabKit

enum Shootout {
    static func run(sizes: [Int], naiveMax: Int, quick: Bool, out: URL) throws -> ([(String, JSONValue)], String) {
        let threads = ComputeThreads.count
        Log.info("== GEMM shoot-out: C = A·B, n×n, \(threads) thread(s) (naive loop: 1 thread, n ≤ \(naiveMax)) ==")
        Log.info("     n     naive      simd      blas   GFLOP/s")
        var series: [GEMMEngine: [(Double, Double)]] = [:]
        var metrics: [(String, JSONValue)] = []
        let progress = ProgressBar(total: sizes.count, label: "shoot-out")
        for (done, n) in sizes.enumerated() {
            var row: [GEMMEngine: Double] = [:]
            for engine in GEMMEngine.allCases where engine != .naive || n <= naiveMax {
                // The naive loop needs seconds per product from n = 1024 on: time it once, without warm-up.
                let slow = engine == .naive && n >= 1024
                let seconds = GEMMShootout.seconds(n: n, engine: engine, threads: engine == .naive ? 1 : threads,
                                                   repetitions: slow ? 1 : (quick ? 3 : 5), warmup: slow ? 0 : 1,
                                                   minimumTotal: slow ? 0 : (quick ? 0.1 : 0.5))
                let gflops = GEMMShootout.gflops(n: n, seconds: seconds)
                row[engine] = gflops
                series[engine, default: []].append((Double(n), gflops))
                metrics.append(("gflops_\(engine.rawValue)_n\(n)", .number((gflops * 10).rounded() / 10)))
            }
            progress.update(completed: done + 1)
            func cell(_ e: GEMMEngine) -> String { row[e].map { String(format: "%9.1f", $0) } ?? "        —" }
            Log.info(String(format: "%6d ", n) + cell(.naive) + " " + cell(.simd) + " " + cell(.blas))
        }
        progress.finish()

        // Both axes logarithmic: n doubles from point to point, and the engines differ by 100×.
        var chart = LineChart(title: "C = A·B, float32, \(threads) thread(s)", xLabel: "n (matrix size)",
                              yLabel: "GFLOP/s", logScaleY: true)
        chart.xAxis.scale = .logarithmic
        for engine in GEMMEngine.allCases {
            if let points = series[engine] { chart.addSeries(engine.rawValue, x: points.map(\.0), y: points.map(\.1)) }
        }
        let url = out.appendingPathComponent("gemm_gflops.png")
        try chart.write(to: url)
        return (metrics, url.path)
    }
}
