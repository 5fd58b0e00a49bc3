// Stopwatch: timing a piece of work the way docs/BENCHMARKS.md asks.
//
// One untimed warm-up (first-touch page faults, thread start-up, caches),
// then at least `repetitions` timed runs, more while their total is under
// `minimumTotal` seconds so that tiny kernels still give a stable figure.
// The median is reported: unlike the mean, one run slowed down by another
// process on a shared machine does not move it.
import Dispatch

/// Wall-clock timing with warm-up and median.
public enum Stopwatch {
    /// Seconds since an arbitrary fixed point (monotonic).
    public static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) * 1e-9
    }

    /// Seconds taken by `body`.
    public static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = now()
        try body()
        return now() - start
    }

    /// The median of the timed runs and every run's time; `setup` runs untimed before each run.
    public static func median(repetitions: Int = 5, warmup: Int = 1, minimumTotal: Double = 0,
                              maximumRepetitions: Int = 1000,
                              setup: () -> Void = {}, _ body: () -> Void) -> (median: Double, times: [Double]) {
        for _ in 0..<warmup {
            setup()
            body()
        }
        var times: [Double] = []
        while times.count < repetitions || (times.reduce(0, +) < minimumTotal && times.count < maximumRepetitions) {
            setup()
            times.append(time(body))
        }
        return (median(of: times), times)
    }

    /// The middle value (the mean of the two middle values for an even count).
    public static func median(of values: [Double]) -> Double {
        precondition(!values.isEmpty, "Stopwatch.median: no values")
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
