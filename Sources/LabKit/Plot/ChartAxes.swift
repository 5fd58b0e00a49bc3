// ChartAxes: the frame every chart shares: layout, axes, ticks, grid, labels, title.
//
// An axis maps data values to a fraction f ∈ [0, 1] of the plot area:
//     linear:       f = (v − lower) / (upper − lower)
//     logarithmic:  f = (log10 v − log10 lower) / (log10 upper − log10 lower)
//     categories:   item i of n sits at v = i, with lower = −0.5 and upper = n − 0.5
// and the plot area maps f to pixel centres: x = left + ½ + f·(width − 1),
// y = bottom − ½ − f·(height − 1) (y grows upwards in data, downwards on
// screen). A reversed axis uses 1 − f (categories listed top to bottom).
//
// Layout works from the outside in: the title takes a band at the top; the
// y-axis label, the widest y tick label and the tick marks take the left; the
// x tick labels and the x-axis label take the bottom. The number of ticks is
// chosen from the room available: about one y tick per 5 text heights, and as
// many x ticks as fit with their labels two text heights apart. Category labels
// that do not fit side by side are turned upright, and thinned to every k-th
// when even that is too crowded.
//
// Drawing happens in two passes around the data: `drawBackground` (plot area
// and grid lines) before it, `drawDecorations` (frame, ticks, labels, title)
// after it, so that the frame is never painted over.

import Foundation

/// How an axis maps values to positions.
public enum AxisScale: Sendable, Equatable {
    /// Equal distances for equal differences.
    case linear
    /// Equal distances for equal ratios (values must be positive; others are not drawn).
    case logarithmic
}

/// One axis of a chart: its label, scale and range, and after `resolve`, its ticks.
public struct ChartAxis: Sendable {
    /// The text along the axis ("epoch", "loss").
    public var label: String
    /// Linear or logarithmic.
    public var scale: AxisScale
    /// A fixed visible range; when nil the range comes from the data.
    public var range: ClosedRange<Double>?
    /// Fraction of the data span added on each side before choosing the range (linear, data ranges only).
    public var padding: Double = 0
    /// When true the range is widened to the ticks just outside the data, so the axis starts and ends
    /// on a tick (padding then only reaches beyond those ticks where they leave less room than asked).
    public var snapsToTicks = true
    /// When true the range always contains 0 (bar charts).
    public var includesZero = false
    /// When true values grow downwards (y) or leftwards (x).
    public var isReversed = false
    /// When set, the axis shows these names at positions 0, 1, …, n − 1 instead of numbers.
    public var categories: [String]?

    /// Smallest visible value (after `resolve`).
    public private(set) var lower = 0.0
    /// Largest visible value (after `resolve`).
    public private(set) var upper = 1.0
    /// Values that get a tick mark and a grid line (after `resolve`).
    public private(set) var ticks: [Double] = []
    /// The text under each tick (after `resolve`).
    public private(set) var tickLabels: [String] = []

    /// A numeric axis whose range will come from the data.
    public init(label: String = "", scale: AxisScale = .linear, range: ClosedRange<Double>? = nil) {
        self.label = label
        self.scale = scale
        self.range = range
    }

    /// A category axis: `names[i]` at position i.
    public init(label: String = "", categories names: [String]) {
        self.init(label: label)
        categories = names
    }

    /// The smallest and largest finite values (positive ones only for a logarithmic axis); nil if none.
    public func extent<S: Sequence>(of values: S) -> (min: Double, max: Double)? where S.Element == Double {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite && (scale == .linear || v > 0) {
            lo = min(lo, v)
            hi = max(hi, v)
        }
        return lo <= hi ? (lo, hi) : nil
    }

    /// True when `value` can be placed on this axis (finite, and positive on a log axis).
    public func canShow(_ value: Double) -> Bool {
        value.isFinite && (scale == .linear || value > 0)
    }

    /// Chooses the visible range, the ticks and their labels for data spanning `data` (nil: no data).
    public mutating func resolve(data: (min: Double, max: Double)?, maxIntervals: Int) {
        if let names = categories {
            lower = -0.5
            upper = Double(max(names.count, 1)) - 0.5
            ticks = names.indices.map(Double.init)
            tickLabels = names
            return
        }
        switch scale {
        case .logarithmic:
            let (lo, hi) = range.map { ($0.lowerBound, $0.upperBound) } ?? data ?? (1, 10)
            precondition(lo > 0, "ChartAxis '\(label)': a logarithmic range must be positive, got \(lo) … \(hi)")
            let candidates = NiceTicks.logarithmic(lo, hi)
            if range != nil {
                lower = lo
                upper = hi > lo ? hi : lo * 10
                ticks = candidates.filter { $0 >= lower * (1 - 1e-9) && $0 <= upper * (1 + 1e-9) }
            } else {
                lower = candidates.first!
                upper = candidates.last!
                ticks = candidates
            }
            tickLabels = ticks.map { NiceTicks.compact($0) }
        case .linear:
            if let fixed = range {
                (lower, upper) = NiceTicks.widened(fixed.lowerBound, fixed.upperBound)
                ticks = NiceTicks.within(lower, upper, maxIntervals: maxIntervals)
            } else {
                var (lo, hi) = data ?? (0, 1)
                if includesZero {
                    lo = min(lo, 0)
                    hi = max(hi, 0)
                }
                (lo, hi) = NiceTicks.widened(lo, hi)
                let pad = (hi - lo) * padding
                let paddedLo = includesZero && lo == 0 ? lo : lo - pad
                let paddedHi = includesZero && hi == 0 ? hi : hi + pad
                if snapsToTicks {
                    // Ticks enclose the data; the padding only reaches past them when they leave less room.
                    let enclosing = NiceTicks.enclosing(lo, hi, maxIntervals: maxIntervals)
                    lower = min(enclosing.first!, paddedLo)
                    upper = max(enclosing.last!, paddedHi)
                    ticks = enclosing
                } else {
                    (lower, upper) = (paddedLo, paddedHi)
                    ticks = NiceTicks.within(lower, upper, maxIntervals: maxIntervals)
                }
            }
            tickLabels = NiceTicks.labels(forLinear: ticks)
        }
    }

    /// Shortens tick labels wider than `maxWidth` pixels at `scale` with "…".
    mutating func truncateLabels(toWidth maxWidth: Int, scale: Int) {
        tickLabels = tickLabels.map { BitmapFont.truncated($0, toWidth: maxWidth, scale: scale) }
    }

    /// Where `value` falls between the ends of the axis: 0 at `lower`, 1 at `upper` (flipped when reversed).
    public func fraction(of value: Double) -> Double {
        let f: Double
        switch scale {
        case .linear: f = (value - lower) / (upper - lower)
        case .logarithmic: f = (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
        return isReversed ? 1 - f : f
    }

    /// The value at fraction `f` of the axis: the inverse of `fraction(of:)`.
    public func value(atFraction f: Double) -> Double {
        let t = isReversed ? 1 - f : f
        switch scale {
        case .linear: return lower + t * (upper - lower)
        case .logarithmic: return pow(10, log10(lower) + t * (log10(upper) - log10(lower)))
        }
    }
}

/// The frame of a chart: canvas size, title, two axes, and the plot area they leave for the data.
public struct ChartAxes: Sendable {
    /// Canvas width in pixels.
    public let width: Int
    /// Canvas height in pixels.
    public let height: Int
    /// Text above the plot (may be empty).
    public let title: String
    /// The horizontal axis, resolved.
    public private(set) var x: ChartAxis
    /// The vertical axis, resolved.
    public private(set) var y: ChartAxis
    /// Font scale of all text (2 = each font pixel is 2×2: 14-pixel capitals).
    public let textScale: Int
    /// Whether grid lines are drawn at the ticks of numeric axes.
    public var showsGrid = true
    /// The rectangle the data is drawn in (the frame lies one pixel outside it).
    public private(set) var plotArea: PixelRect

    /// Whether the x category labels are drawn upright because they do not fit side by side.
    private var xLabelsUpright = false
    /// Label every k-th category on x / y when they are too crowded for all.
    private var xLabelEvery = 1
    private var yLabelEvery = 1
    /// Distances from the plot area to the axis labels and the title, fixed at layout so that
    /// they follow the plot area when `keepCellAspect` moves it.
    private var yLabelDistance = 0
    private var xLabelDistance = 0
    private var titleDistance = 0

    static let tickLength = 5
    static let tickGap = 5
    static let edge = 14

    /// Lays out a chart of `width × height` whose data spans `xData` and `yData`, keeping
    /// `reservedRight` pixels free right of the plot area (for a colour bar or a legend).
    public init(width: Int, height: Int, title: String, x: ChartAxis, y: ChartAxis,
                xData: (min: Double, max: Double)?, yData: (min: Double, max: Double)?,
                textScale: Int = 2, reservedRight: Int = 0) {
        precondition(width >= 100 && height >= 80, "ChartAxes: a chart needs at least 100×80 pixels, got \(width)×\(height)")
        precondition(textScale >= 1, "ChartAxes: textScale must be at least 1, got \(textScale)")
        self.width = width
        self.height = height
        self.title = title
        self.textScale = textScale
        self.x = x
        self.y = y
        let s = textScale, cap = BitmapFont.capHeight * s, cell = BitmapFont.cellHeight * s
        let top = ChartAxes.edge + (title.isEmpty ? 0 : cell + 10)
        let xLabelBand = x.label.isEmpty ? 0 : cell + 10
        let ticksBand = ChartAxes.tickLength + ChartAxes.tickGap

        // 1. y ticks, from the height the plot will roughly have.
        var bottom = ChartAxes.edge + xLabelBand + ticksBand + cell
        let roughHeight = height - top - bottom
        self.y.resolve(data: yData, maxIntervals: max(1, min(8, roughHeight / (cap * 5))))
        if self.y.categories != nil {
            // Category names: thinned when crowded, shortened to a third of the width at most.
            yLabelEvery = ChartAxes.thinning(count: self.y.ticks.count, room: roughHeight, needed: cell + 2)
            self.y.truncateLabels(toWidth: width / 3, scale: s)
        } else {
            // Log decades cannot be thinned by choosing a coarser step: label every k-th instead.
            let closest = ChartAxes.closestSpacing(self.y, room: roughHeight)
            if closest < Double(cell + 4) { yLabelEvery = Int((Double(cell + 4) / max(closest, 1)).rounded(.up)) }
        }

        // 2. The left margin holds the y label and the widest y tick label.
        let yTickWidth = self.y.tickLabels.map { BitmapFont.width(of: $0, scale: s) }.max() ?? 0
        let left = ChartAxes.edge + (y.label.isEmpty ? 0 : cell + 10) + yTickWidth + ticksBand

        // 3. x ticks: as many as fit with their labels at least two text heights apart.
        var right = ChartAxes.edge + reservedRight
        var plotWidth = width - left - right
        var intervals = 8
        while true {
            self.x.resolve(data: xData, maxIntervals: intervals)
            if self.x.categories != nil { break }
            let needed = (self.x.tickLabels.map { BitmapFont.width(of: $0, scale: s) }.max() ?? 0) + 2 * cap
            let closest = ChartAxes.closestSpacing(self.x, room: plotWidth)
            if closest >= Double(needed) { break }
            if intervals == 1 || self.x.scale == .logarithmic {
                // Fewer ticks is not possible (log decades are fixed): label every k-th instead.
                xLabelEvery = max(1, Int((Double(needed) / max(closest, 1)).rounded(.up)))
                break
            }
            intervals -= 1
        }
        // The last x tick label is centred on the right edge: keep room for its right half.
        if let last = self.x.tickLabels.last, self.x.categories == nil {
            right = max(right, BitmapFont.width(of: last, scale: s) / 2 + 6 + reservedRight)
            plotWidth = width - left - right
        }

        // 4. Category labels on x: side by side, upright, or thinned.
        var xTickBand = cell
        if let names = self.x.categories, !names.isEmpty {
            let spacing = plotWidth / names.count
            let widest = names.map { BitmapFont.width(of: $0, scale: s) }.max() ?? 0
            if widest + cap > spacing {
                xLabelsUpright = true
                xTickBand = min(widest, height / 3)
                self.x.truncateLabels(toWidth: xTickBand, scale: s)
                xLabelEvery = ChartAxes.thinning(count: names.count, room: plotWidth, needed: cell + 2)
            }
        }
        bottom = ChartAxes.edge + xLabelBand + ticksBand + xTickBand
        plotArea = PixelRect(x: left, y: top, width: width - left - right, height: height - top - bottom)
        yLabelDistance = left - ChartAxes.edge
        xLabelDistance = (height - ChartAxes.edge - cell) - plotArea.maxY
        titleDistance = top - ChartAxes.edge
        precondition(plotArea.width >= 10 && plotArea.height >= 10,
                     "ChartAxes: \(width)×\(height) leaves no room for the plot after labels (\(plotArea.width)×\(plotArea.height))")
    }

    /// The smallest distance in pixels between neighbouring ticks of `axis` spread over `room` pixels.
    static func closestSpacing(_ axis: ChartAxis, room: Int) -> Double {
        let fractions = axis.ticks.map { axis.fraction(of: $0) }
        let gaps = zip(fractions, fractions.dropFirst()).map { abs($1 - $0) }
        return (gaps.min() ?? 1) * Double(room)
    }

    /// The smallest k such that every k-th of `count` labels, spread over `room` pixels, is `needed` apart.
    static func thinning(count: Int, room: Int, needed: Int) -> Int {
        guard count > 0, room > 0 else { return 1 }
        let spacing = Double(room) / Double(count)
        return max(1, Int((Double(needed) / spacing).rounded(.up)))
    }

    /// Shrinks the plot area to the largest rectangle in which a cell of one x unit by one y unit
    /// has the shape `cellAspect` (width / height), centred in the space laid out (heatmaps: 1).
    public mutating func keepCellAspect(_ cellAspect: Double) {
        let xUnits = x.upper - x.lower, yUnits = y.upper - y.lower
        let wanted = cellAspect * xUnits / yUnits  // plot width / plot height
        var area = plotArea
        if Double(area.width) / Double(area.height) > wanted {
            let w = Int((Double(area.height) * wanted).rounded())
            area.x += (area.width - w) / 2
            area.width = w
        } else {
            let h = Int((Double(area.width) / wanted).rounded())
            area.y += (area.height - h) / 2
            area.height = h
        }
        plotArea = area
    }

    // MARK: Data to pixels

    /// The horizontal pixel coordinate (continuous, pixel centres at .5) of data value `value`.
    public func pixelX(_ value: Double) -> Double {
        Double(plotArea.x) + 0.5 + x.fraction(of: value) * Double(plotArea.width - 1)
    }

    /// The vertical pixel coordinate (continuous, pixel centres at .5) of data value `value`.
    public func pixelY(_ value: Double) -> Double {
        Double(plotArea.maxY) - 0.5 - y.fraction(of: value) * Double(plotArea.height - 1)
    }

    /// The data x at horizontal pixel coordinate `px` (the inverse of `pixelX`).
    public func dataX(_ px: Double) -> Double {
        x.value(atFraction: (px - Double(plotArea.x) - 0.5) / Double(plotArea.width - 1))
    }

    /// The data y at vertical pixel coordinate `py` (the inverse of `pixelY`).
    public func dataY(_ py: Double) -> Double {
        y.value(atFraction: (Double(plotArea.maxY) - 0.5 - py) / Double(plotArea.height - 1))
    }

    /// The pixel coordinates of the data point (x, y).
    public func point(_ dataX: Double, _ dataY: Double) -> (x: Double, y: Double) {
        (pixelX(dataX), pixelY(dataY))
    }

    /// A canvas of the chart's size with the background and grid drawn.
    public func makeCanvas() -> Canvas {
        var canvas = Canvas(width: width, height: height)
        drawBackground(on: &canvas)
        return canvas
    }

    // MARK: Drawing

    /// Paints the plot area and the grid lines (before the data).
    public func drawBackground(on canvas: inout Canvas) {
        canvas.fillRect(plotArea, color: .white)
        guard showsGrid else { return }
        if x.categories == nil {
            for tick in x.ticks {
                let column = ChartAxes.pixelIndex(pixelX(tick))
                canvas.fillRect(PixelRect(x: column, y: plotArea.y, width: 1, height: plotArea.height), color: .lightGray)
            }
        }
        if y.categories == nil {
            for tick in y.ticks {
                let row = ChartAxes.pixelIndex(pixelY(tick))
                canvas.fillRect(PixelRect(x: plotArea.x, y: row, width: plotArea.width, height: 1), color: .lightGray)
            }
        }
    }

    /// Draws the frame, tick marks, tick labels, axis labels and title (after the data).
    public func drawDecorations(on canvas: inout Canvas) {
        let saved = canvas.clip
        canvas.clip = nil
        defer { canvas.clip = saved }
        let s = textScale
        let frame = plotArea.insetBy(-1)
        canvas.strokeRect(frame, color: .midGray)
        let tickStart = ChartAxes.tickLength + ChartAxes.tickGap

        // x ticks below the frame.
        for (i, tick) in x.ticks.enumerated() {
            let column = ChartAxes.pixelIndex(pixelX(tick))
            canvas.fillRect(PixelRect(x: column, y: frame.maxY, width: 1, height: ChartAxes.tickLength), color: .midGray)
            guard i % xLabelEvery == 0 else { continue }
            if xLabelsUpright {
                // Upright labels end just under the tick, reading upwards.
                let cap = BitmapFont.capHeight * s
                canvas.drawVerticalText(x.tickLabels[i], x: column - cap / 2, y: frame.maxY + tickStart,
                                        scale: s, color: .darkGray, alignment: .trailing)
            } else {
                canvas.drawText(x.tickLabels[i], x: column + 1, y: frame.maxY + tickStart,
                                scale: s, color: .darkGray, alignment: .center)
            }
        }
        // y ticks left of the frame.
        for (i, tick) in y.ticks.enumerated() {
            let row = ChartAxes.pixelIndex(pixelY(tick))
            canvas.fillRect(PixelRect(x: frame.x - ChartAxes.tickLength, y: row, width: ChartAxes.tickLength, height: 1), color: .midGray)
            guard i % yLabelEvery == 0 else { continue }
            canvas.drawText(y.tickLabels[i], x: frame.x - tickStart, y: row + 1, scale: s, color: .darkGray,
                            alignment: .trailing, anchor: .middle)
        }
        // Axis labels, centred on the plot area.
        if !x.label.isEmpty {
            canvas.drawText(x.label, x: plotArea.x + plotArea.width / 2, y: plotArea.maxY + xLabelDistance,
                            scale: s, color: .ink, alignment: .center)
        }
        if !y.label.isEmpty {
            canvas.drawVerticalText(y.label, x: plotArea.x - yLabelDistance, y: plotArea.y + plotArea.height / 2,
                                    scale: s, color: .ink, alignment: .center)
        }
        if !title.isEmpty {
            canvas.drawText(title, x: plotArea.x + plotArea.width / 2, y: plotArea.y - titleDistance,
                            scale: s, color: .ink, alignment: .center, bold: true)
        }
    }

    /// The pixel column or row whose centre is nearest to a continuous coordinate.
    static func pixelIndex(_ coordinate: Double) -> Int {
        Canvas.floorPixel(coordinate)
    }
}
