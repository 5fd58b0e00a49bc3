// Smoothing and thinning a curve of episode returns for a plot.
//   trailing mean   m_i = (v_{i−w+1} + … + v_i) / w   for every i ≥ w − 1,
//                   kept as a running sum: add v_i, drop v_{i−w}
// A return curve of 200 000 episodes has far more points than an 800-pixel
// chart has columns, so it is thinned to every k-th point, k = ⌈n / limit⌉
// (the last point always kept), before it is drawn.

enum MovingAverage {
    /// The mean of each full window of `window` values: (episode index of the window's end, mean), in order.
    static func trailing(_ values: [Double], window: Int) -> (index: [Int], mean: [Double]) {
        precondition(window >= 1, "MovingAverage.trailing: window must be at least 1, got \(window)")
        guard values.count >= window else { return ([], []) }
        var indices: [Int] = [], means: [Double] = []
        indices.reserveCapacity(values.count - window + 1)
        means.reserveCapacity(values.count - window + 1)
        var sum = values[0..<window].reduce(0, +)
        indices.append(window - 1)
        means.append(sum / Double(window))
        for i in window..<values.count {
            sum += values[i] - values[i - window]
            indices.append(i)
            means.append(sum / Double(window))
        }
        return (indices, means)
    }

    /// The positions of at most about `limit` points spread evenly over `count`, the first and the last included.
    static func thinned(count: Int, limit: Int = 2000) -> [Int] {
        guard count > 0 else { return [] }
        let stride = max(1, (count + limit - 1) / limit)
        var kept = Array(Swift.stride(from: 0, to: count, by: stride))
        if kept.last != count - 1 { kept.append(count - 1) }
        return kept
    }
}
