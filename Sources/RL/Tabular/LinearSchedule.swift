// A value that moves in a straight line from `start` to `end` over the first
// `fraction` of a run, then stays at `end`: the ε of ε-greedy exploration
// (1.0 → 0.01 over half the episodes) and the step size α (0.1 → 0.01 over
// all of them) of W16, as CleanRL's linear_schedule.

/// start + (end − start) · min(1, progress / fraction), progress in [0, 1].
public struct LinearSchedule: Sendable, Equatable {
    /// The value at step 0.
    public var start: Double
    /// The value from `fraction` of the run on.
    public var end: Double
    /// The share of the run over which the value moves; after it the value is `end`.
    public var fraction: Double

    /// A value moving from `start` to `end` over the first `fraction` ∈ (0, 1] of the run (all of it by default).
    public init(from start: Double, to end: Double, over fraction: Double = 1) {
        precondition(fraction > 0 && fraction <= 1, "LinearSchedule: fraction must be in (0, 1], got \(fraction)")
        self.start = start
        self.end = end
        self.fraction = fraction
    }

    /// A value that never moves.
    public static func constant(_ value: Double) -> LinearSchedule { LinearSchedule(from: value, to: value) }

    /// The value at step `index` of `count`.
    public func value(at index: Int, of count: Int) -> Double {
        let progress = min(1, Double(index) / (fraction * Double(count)))
        return start + (end - start) * progress
    }
}
