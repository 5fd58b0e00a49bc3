// ProgressBar: how far a long loop has come, how fast, and how long is left.
//
// After `completed` of `total` items in `elapsed` seconds:
//     rate = completed / elapsed                      (items per second)
//     eta  = (total − completed) / rate               (seconds left, at the average rate so far)
// The average since the start is steadier than the last step's speed, and it
// is exact for loops whose steps all cost the same (epochs, batches).
//
// On a terminal (standard error is a tty) the bar redraws one line in place:
// "\r" returns to the start of the line, the text is written, and ESC[K
// erases what a longer previous line left behind. Redraws are throttled to
// one per `redrawInterval` (0.1 s): drawing costs a system call, and nobody
// reads faster than ten frames a second. When standard error is a file or a
// pipe (CI logs), "\r" would pile up into one enormous line, so the bar
// prints a whole line every `lineInterval` seconds (5 by default) instead,
// and always a final line from `finish()`.
//
//     train  [##########..............]   420/1000  42%  812 it/s  0:00 elapsed  0:01 left  loss 0.4123
//
// The clock and the output are injectable, so tests can replay time exactly.
// A ProgressBar belongs to the thread that drives the loop; it is not shared.

import Foundation

/// A one-line progress report on standard error: bar, count, rate, elapsed time, time left, metrics.
public final class ProgressBar {
    /// Number of items when done.
    public let total: Int
    /// Text at the start of the line ("train", "epoch 3").
    public let label: String
    /// True: redraw one line in place; false: print whole lines every `lineInterval` seconds.
    public let isTerminal: Bool
    /// Seconds between printed lines when not on a terminal.
    public let lineInterval: Double
    /// Seconds between redraws on a terminal.
    public let redrawInterval = 0.1
    /// Items done so far.
    public private(set) var completed = 0
    /// The last metrics passed in, shown on every line until replaced.
    public private(set) var metrics: [(String, Double)] = []

    private let clock: () -> Double
    private let output: (String) -> Void
    private let start: Double
    private var lastOutput: Double?
    private var isFinished = false

    /// Characters of the bar between its brackets.
    static let barWidth = 24

    /// A progress bar for `total` items.
    ///
    /// - Parameters:
    ///   - total: the number of items the work has.
    ///   - label: printed before the bar.
    ///   - isTerminal: whether to redraw in place; by default, whether standard error is a terminal.
    ///   - lineInterval: seconds between lines when not on a terminal.
    ///   - clock: the current time in seconds (any origin); by default a monotonic clock.
    ///   - output: receives each piece of text; by default it is written to standard error.
    public init(total: Int, label: String = "", isTerminal: Bool? = nil, lineInterval: Double = 5,
                clock: @escaping () -> Double = ProgressBar.monotonicSeconds,
                output: @escaping (String) -> Void = ProgressBar.writeToStandardError) {
        precondition(total >= 0, "ProgressBar: total must be ≥ 0, got \(total)")
        precondition(lineInterval > 0, "ProgressBar: lineInterval must be positive, got \(lineInterval)")
        self.total = total
        self.label = label
        self.isTerminal = isTerminal ?? (isatty(2) != 0)
        self.lineInterval = lineInterval
        self.clock = clock
        self.output = output
        start = clock()
    }

    /// Records that `completed` items are done (with the latest metrics) and shows it if it is time to.
    public func update(completed: Int, metrics: [(String, Double)]? = nil) {
        guard !isFinished else { return }
        self.completed = completed
        if let metrics { self.metrics = metrics }
        let now = clock()
        if isTerminal {
            // Draw at once the first time, then at most every redrawInterval, and always at the end.
            if lastOutput == nil || now - lastOutput! >= redrawInterval || completed >= total {
                output("\r" + line(now: now) + "\u{1B}[K")
                lastOutput = now
            }
        } else if completed < total && now - (lastOutput ?? start) >= lineInterval {
            // (The line for the last item is left to finish(), so that it is printed once.)
            output(line(now: now) + "\n")
            lastOutput = now
        }
    }

    /// Adds `count` to the items done.
    public func advance(by count: Int = 1, metrics: [(String, Double)]? = nil) {
        update(completed: completed + count, metrics: metrics)
    }

    /// Shows the final line (and ends the terminal line). Later calls and updates do nothing.
    public func finish(metrics: [(String, Double)]? = nil) {
        guard !isFinished else { return }
        if let metrics { self.metrics = metrics }
        let text = line(now: clock())
        output(isTerminal ? "\r" + text + "\u{1B}[K\n" : text + "\n")
        isFinished = true
    }

    /// The status line at time `now` (no "\r", no newline).
    public func line(now: Double) -> String {
        let elapsed = max(now - start, 0)
        let fraction = total > 0 ? min(max(Double(completed) / Double(total), 0), 1) : 1
        let filled = Int((fraction * Double(ProgressBar.barWidth)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: ProgressBar.barWidth - filled)
        let digits = String(total).count
        let count = String(repeating: " ", count: max(0, digits - String(completed).count)) + "\(completed)/\(total)"
        var parts = [label.isEmpty ? "[\(bar)]" : "\(label)  [\(bar)]", count, String(format: "%3d%%", Int(fraction * 100))]
        let rate = elapsed > 0 ? Double(completed) / elapsed : 0
        parts.append(rate > 0 ? ProgressBar.formatRate(rate) + " it/s" : "-- it/s")
        parts.append(ProgressBar.formatDuration(elapsed) + " elapsed")
        if completed < total {
            parts.append(rate > 0 ? ProgressBar.formatDuration(Double(total - completed) / rate) + " left" : "--:-- left")
        }
        for (name, value) in metrics {
            parts.append("\(name) \(NiceTicks.compact(value))")
        }
        return parts.joined(separator: "  ")
    }

    /// "0:07", "12:34", "1:02:03": minutes and seconds, with hours when needed.
    public static func formatDuration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds < 1e9 else { return "--:--" }
        let whole = Int(max(seconds, 0).rounded())
        let h = whole / 3600, m = (whole % 3600) / 60, s = whole % 60
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }

    /// A rate with three significant figures or as an integer: "0.512", "42.5", "812", "12345".
    public static func formatRate(_ rate: Double) -> String {
        if rate >= 100 { return String(format: "%.0f", rate) }
        if rate >= 10 { return String(format: "%.1f", rate) }
        if rate >= 1 { return String(format: "%.2f", rate) }
        return String(format: "%.3g", rate)
    }

    /// Seconds from a monotonic clock (never jumps with the wall clock).
    public static func monotonicSeconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    /// Writes text to standard error immediately.
    public static func writeToStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
