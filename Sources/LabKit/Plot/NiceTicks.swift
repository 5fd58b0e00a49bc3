// NiceTicks: where to put tick marks on an axis, and how to label them.
//
// Linear axes use "nice" steps of 1, 2 or 5 × 10^k. For a range [lo, hi] and at
// most n intervals, the raw step (hi − lo)/n is rounded up to the next nice
// number: with magnitude m = 10^⌊log10(raw)⌋ and f = raw/m ∈ [1, 10), the step
// is 1, 2, 5 or 10 times m, whichever is the first ≥ f. Ticks are the integer
// multiples k·step (computed as k·step, never by repeated addition, so 0.6 does
// not become 0.6000000000000001 after three steps of 0.2).
//
//   0 … 1   → step 0.2: 0, 0.2, 0.4, 0.6, 0.8, 1
//   0 … 97  → step 20:  0, 20, 40, 60, 80, 100
//
// Logarithmic axes put ticks on powers of ten, adding 2·10^k and 5·10^k when
// the range spans three decades or fewer, and skipping decades when it spans
// more than about ten.
//
// Labels print just enough decimals to tell neighbouring ticks apart (step 0.2
// → one decimal), and switch to a compact scientific form ("2e6", "1.5e-5")
// for very large or very small numbers.

import Foundation

/// Tick positions (1, 2, 5 × 10^k steps, or powers of ten) and compact tick labels.
public enum NiceTicks {
    /// The smallest step of the form 1, 2 or 5 × 10^k that is at least `span / maxIntervals`.
    public static func step(span: Double, maxIntervals: Int) -> Double {
        precondition(span > 0 && span.isFinite, "NiceTicks.step: span must be positive and finite, got \(span)")
        precondition(maxIntervals >= 1, "NiceTicks.step: maxIntervals must be at least 1, got \(maxIntervals)")
        let raw = span / Double(maxIntervals)
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        // 1.0000000001 should still count as 1: allow a tiny relative slack.
        for nice in [1.0, 2.0, 5.0] where fraction <= nice * (1 + 1e-9) {
            return nice * magnitude
        }
        return 10 * magnitude
    }

    /// A non-empty range around `lo…hi`: a zero-width range v…v becomes v ± 10% of |v| (± 1 when v is 0).
    public static func widened(_ lo: Double, _ hi: Double) -> (lo: Double, hi: Double) {
        precondition(lo.isFinite && hi.isFinite && lo <= hi, "NiceTicks: need finite lo ≤ hi, got \(lo) … \(hi)")
        if hi > lo { return (lo, hi) }
        let delta = lo == 0 ? 1 : abs(lo) * 0.1
        return (lo - delta, hi + delta)
    }

    /// Ticks that enclose `lo…hi`: the first ≤ lo, the last ≥ hi, evenly spaced by a nice step,
    /// with at most `maxIntervals` intervals between the first and the last.
    public static func enclosing(_ lo: Double, _ hi: Double, maxIntervals: Int = 6) -> [Double] {
        let (a, b) = widened(lo, hi)
        var intervals = maxIntervals
        while true {
            let s = step(span: b - a, maxIntervals: intervals)
            let first = (a / s + 1e-9).rounded(.down), last = (b / s - 1e-9).rounded(.up)
            // Rounding outwards can add an interval; if that breaks the limit, try a coarser step.
            if Int(last - first) <= maxIntervals || intervals == 1 {
                return multiples(of: s, from: first, through: last)
            }
            intervals -= 1
        }
    }

    /// Ticks inside `lo…hi`: the multiples of a nice step that fall in the range, at most
    /// `maxIntervals + 1` of them (the range's ends need not be ticks).
    public static func within(_ lo: Double, _ hi: Double, maxIntervals: Int = 6) -> [Double] {
        let (a, b) = widened(lo, hi)
        let s = step(span: b - a, maxIntervals: maxIntervals)
        let first = (a / s - 1e-9).rounded(.up), last = (b / s + 1e-9).rounded(.down)
        return multiples(of: s, from: first, through: last)
    }

    /// Ticks for a logarithmic axis enclosing `lo…hi` (both must be > 0).
    ///
    /// Up to three decades: every 1, 2 and 5 × 10^k between the last such value ≤ lo and the first ≥ hi.
    /// More: the powers of ten enclosing the range, every d-th decade so that at most about ten remain.
    public static func logarithmic(_ lo: Double, _ hi: Double) -> [Double] {
        precondition(lo > 0 && hi >= lo && hi.isFinite, "NiceTicks.logarithmic: need 0 < lo ≤ hi, got \(lo) … \(hi)")
        var low = log10(lo).rounded(.down), high = log10(hi).rounded(.up)
        if high == low { high += 1 }
        if high - low <= 3 {
            var candidates: [Double] = []
            for e in Int(low)...Int(high) {
                for m in [1.0, 2.0, 5.0] { candidates.append(m * pow(10, Double(e))) }
            }
            let start = candidates.lastIndex { $0 <= lo * (1 + 1e-12) } ?? 0
            let end = candidates.firstIndex { $0 >= hi * (1 - 1e-12) } ?? candidates.count - 1
            return Array(candidates[start...max(start + 1, end)])
        }
        let every = max(1, Int(((high - low) / 10).rounded(.up)))
        low = (low / Double(every)).rounded(.down) * Double(every)
        high = (high / Double(every)).rounded(.up) * Double(every)
        return stride(from: Int(low), through: Int(high), by: every).map { pow(10, Double($0)) }
    }

    /// Labels for evenly spaced linear ticks: the same number of decimals for all, enough for the step.
    public static func labels(forLinear ticks: [Double]) -> [String] {
        guard ticks.count >= 2 else { return ticks.map { compact($0) } }
        let step = abs(ticks[1] - ticks[0])
        let largest = ticks.map { abs($0) }.max() ?? 0
        let stepExponent = Int(log10(step).rounded(.down))
        if largest >= 1e6 || step < 1e-4 {
            // Scientific: as many mantissa digits as separate the largest tick from its neighbour.
            let largestExponent = Int(log10(largest).rounded(.down))
            let digits = max(0, largestExponent - stepExponent)
            return ticks.map { $0 == 0 ? "0" : tidyScientific(String(format: "%.\(digits)e", $0)) }
        }
        let decimals = max(0, -stepExponent)
        return ticks.map { value in
            let text = String(format: "%.\(decimals)f", value)
            return Double(text) == 0 ? String(format: "%.\(decimals)f", 0.0) : text  // never "-0.0"
        }
    }

    /// A short label for any number: up to 4 significant digits, scientific ("1e-5", "2.5e6") outside 1e-3 … 1e5.
    public static func compact(_ value: Double, significantDigits: Int = 4) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        if value == 0 { return "0" }
        return tidyScientific(String(format: "%.\(significantDigits)g", value))
    }

    /// The multiples k·step for k in first…last.
    static func multiples(of step: Double, from first: Double, through last: Double) -> [Double] {
        guard last >= first else { return [] }
        return (Int(first)...Int(last)).map { Double($0) * step }
    }

    /// "2.50e+06" → "2.5e6", "1.0e-05" → "1e-5", "0.5000" → "0.5": trailing zeros, "+" and exponent padding removed.
    static func tidyScientific(_ text: String) -> String {
        var mantissa = text, exponent = ""
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(text[..<e])
            var digits = String(text[text.index(after: e)...])
            var sign = ""
            if digits.hasPrefix("+") { digits.removeFirst() } else if digits.hasPrefix("-") { digits.removeFirst(); sign = "-" }
            while digits.count > 1 && digits.hasPrefix("0") { digits.removeFirst() }
            exponent = "e" + sign + digits
        }
        if mantissa.contains(".") {
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        return mantissa + exponent
    }
}
