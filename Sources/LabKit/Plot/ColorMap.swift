// ColorMap: numbers to colours, for heatmaps and colour bars.
//
// A colour map is a list of anchor colours c_0 … c_(n−1) spread evenly over
// [0, 1]. A value t ∈ [0, 1] falls between anchors i = ⌊t·(n−1)⌋ and i + 1 and
// gets the linear mix c_i + u·(c_(i+1) − c_i) with u = t·(n−1) − i. Values
// outside [0, 1] are clamped, NaN gets the map's `missing` colour.
//
// `viridis` uses nine anchors sampled from the viridis map of matplotlib (by
// Stéfan van der Walt and Nathaniel Smith, public domain): dark purple to
// yellow, brightness rising steadily, readable in gray and by colour-blind
// readers. `blues` (white to dark blue) suits counts such as confusion
// matrices; `redBlue` (blue, white, red) suits signed values around 0 such as
// correlations and weights, with 0 mapped to white when the range is symmetric.

/// A continuous map from [0, 1] to colours, by linear interpolation between anchors.
public struct ColorMap: Sendable, Equatable {
    /// The colours at t = 0, 1/(n−1), …, 1.
    public var anchors: [RGBColor]
    /// The colour of NaN.
    public var missing: RGBColor

    /// A map through `anchors` (at least two), evenly spaced over [0, 1].
    public init(anchors: [RGBColor], missing: RGBColor = RGBColor(gray: 200)) {
        precondition(anchors.count >= 2, "ColorMap: needs at least 2 anchor colours, got \(anchors.count)")
        self.anchors = anchors
        self.missing = missing
    }

    /// The colour at `t` (clamped to [0, 1]; NaN gives `missing`).
    public func color(at t: Double) -> RGBColor {
        guard !t.isNaN else { return missing }
        let position = min(max(t, 0), 1) * Double(anchors.count - 1)
        let i = min(Int(position), anchors.count - 2)
        return anchors[i].mixed(with: anchors[i + 1], amount: position - Double(i))
    }

    /// The colour of `value` when `range` spans the whole map.
    public func color(of value: Double, in range: ClosedRange<Double>) -> RGBColor {
        let span = range.upperBound - range.lowerBound
        return color(at: span > 0 ? (value - range.lowerBound) / span : 0.5)
    }

    /// Dark purple, blue, green, yellow: perceptually ordered.
    public static let viridis = ColorMap(anchors: [
        RGBColor(hex: 0x440154), RGBColor(hex: 0x472D7B), RGBColor(hex: 0x3B528B),
        RGBColor(hex: 0x2C728E), RGBColor(hex: 0x21918C), RGBColor(hex: 0x28AE80),
        RGBColor(hex: 0x5EC962), RGBColor(hex: 0xADDC30), RGBColor(hex: 0xFDE725),
    ])

    /// White to dark blue: for counts.
    public static let blues = ColorMap(anchors: [
        RGBColor(hex: 0xF7FBFF), RGBColor(hex: 0xC6DBEF), RGBColor(hex: 0x6BAED6),
        RGBColor(hex: 0x2171B5), RGBColor(hex: 0x08306B),
    ])

    /// Blue, white, red: for signed values centred on 0.
    public static let redBlue = ColorMap(anchors: [
        RGBColor(hex: 0x2166AC), RGBColor(hex: 0x92C5DE), RGBColor(hex: 0xF7F7F7),
        RGBColor(hex: 0xF4A582), RGBColor(hex: 0xB2182B),
    ])

    /// Black to white.
    public static let grays = ColorMap(anchors: [.black, .white])
}
