// LineChart: named series of (x, y) points joined by lines: loss curves, learning curves.
//
// Each series is drawn as an anti-aliased polyline in its palette colour, with
// dots on the points when there are few of them. Points that cannot be shown
// (NaN, ±∞, or y ≤ 0 on a logarithmic axis) break the line instead of
// dragging it to a wrong place. The axes come from ChartAxes: both ranges are
// fitted to the data and widened to the nearest nice ticks.
//
//     var chart = LineChart(title: "Training", xLabel: "epoch", yLabel: "loss")
//     chart.addSeries("train", y: trainLoss, firstX: 1)
//     chart.addSeries("validation", y: validLoss, firstX: 1)
//     try chart.write(to: outFolder.appendingPathComponent("loss.png"))

import Foundation

/// A chart of one or more named series drawn as lines.
public struct LineChart: Sendable {
    /// One named line.
    public struct Series: Sendable {
        /// Name shown in the legend (an empty name is left out of the legend).
        public var name: String
        /// Horizontal values, one per point.
        public var x: [Double]
        /// Vertical values, one per point.
        public var y: [Double]
        /// The line's colour; nil picks the next palette colour.
        public var color: RGBColor?
    }

    /// Text above the plot.
    public var title: String
    /// The horizontal axis (label, scale, optional fixed range).
    public var xAxis: ChartAxis
    /// The vertical axis (label, scale, optional fixed range).
    public var yAxis: ChartAxis
    /// Canvas width in pixels.
    public var width = 800
    /// Canvas height in pixels.
    public var height = 500
    /// Font scale of all text (2: 14-pixel capitals, right for about 800×500).
    public var textScale = 2
    /// Line thickness in pixels.
    public var lineWidth = 2.5
    /// Dots on the points: nil draws them when every series has at most 30 points.
    public var showsMarkers: Bool?
    /// Where the legend goes (shown when at least one series has a name).
    public var legendPlacement = LegendPlacement.automatic
    /// The series, in drawing order.
    public private(set) var series: [Series] = []

    /// An empty chart with its title and axis labels.
    public init(title: String = "", xLabel: String = "", yLabel: String = "", logScaleY: Bool = false) {
        self.title = title
        xAxis = ChartAxis(label: xLabel)
        yAxis = ChartAxis(label: yLabel, scale: logScaleY ? .logarithmic : .linear)
    }

    /// Whether the y axis is logarithmic.
    public var logScaleY: Bool {
        get { yAxis.scale == .logarithmic }
        set { yAxis.scale = newValue ? .logarithmic : .linear }
    }

    /// Adds a series of points (x[i], y[i]); both arrays must have the same length.
    public mutating func addSeries<X: BinaryFloatingPoint, Y: BinaryFloatingPoint>(
        _ name: String, x: [X], y: [Y], color: RGBColor? = nil
    ) {
        precondition(x.count == y.count, "LineChart.addSeries '\(name)': \(x.count) x values but \(y.count) y values")
        series.append(Series(name: name, x: x.map { Double($0) }, y: y.map { Double($0) }, color: color))
    }

    /// Adds a series whose x values are firstX, firstX + 1, … (epochs, steps).
    public mutating func addSeries<Y: BinaryFloatingPoint>(_ name: String, y: [Y], firstX: Double = 0, color: RGBColor? = nil) {
        addSeries(name, x: y.indices.map { firstX + Double($0) }, y: y, color: color)
    }

    /// The colour series number `index` is drawn in.
    public func color(ofSeries index: Int) -> RGBColor {
        series[index].color ?? .palette(index)
    }

    /// The laid-out frame for the current data, keeping `reservedRight` pixels free for a legend.
    public func axes(reservedRight: Int = 0) -> ChartAxes {
        let xs = series.flatMap { s in s.x.indices.filter { yAxis.canShow(s.y[$0]) }.map { s.x[$0] } }
        let ys = series.flatMap { s in s.y.indices.filter { xAxis.canShow(s.x[$0]) }.map { s.y[$0] } }
        return ChartAxes(width: width, height: height, title: title, x: xAxis, y: yAxis,
                         xData: xAxis.extent(of: xs), yData: yAxis.extent(of: ys),
                         textScale: textScale, reservedRight: reservedRight)
    }

    /// Each series' points in pixels; points that cannot be shown become NaN (a break in the line).
    func pixelPoints(in frame: ChartAxes) -> [[(x: Double, y: Double)]] {
        series.map { s in
            zip(s.x, s.y).map { x, y in
                frame.x.canShow(x) && frame.y.canShow(y) ? frame.point(x, y) : (.nan, .nan)
            }
        }
    }

    /// The legend rows: one per named series.
    var legendEntries: [LegendEntry] {
        series.indices.filter { !series[$0].name.isEmpty }.map {
            LegendEntry(name: series[$0].name, color: color(ofSeries: $0), symbol: .line)
        }
    }

    /// Draws the chart.
    public func render() -> Canvas {
        let entries = legendEntries
        let (frame, placement) = ChartLegend.arrange(
            entries, placement: legendPlacement, textScale: textScale,
            makeAxes: { axes(reservedRight: $0) },
            samples: { pixelPoints(in: $0).flatMap { ChartLegend.samples(along: $0) } })
        var canvas = frame.makeCanvas()
        let markers = showsMarkers ?? series.allSatisfy { $0.x.count <= 30 }
        let lines = pixelPoints(in: frame)
        canvas.clip = frame.plotArea.insetBy(-1)
        for (index, points) in lines.enumerated() {
            let color = color(ofSeries: index)
            canvas.strokePolyline(points, color: color, thickness: lineWidth)
            if markers {
                for p in points { canvas.fillCircle(centerX: p.x, centerY: p.y, radius: lineWidth + 1, color: color) }
            }
        }
        canvas.clip = nil
        frame.drawDecorations(on: &canvas)
        ChartLegend.draw(entries, on: &canvas, in: frame.plotArea, placement: placement, textScale: textScale,
                         avoiding: lines.flatMap { ChartLegend.samples(along: $0) })
        return canvas
    }

    /// Draws the chart and writes it as a PNG file.
    public func write(to url: URL) throws(PlotError) {
        try render().write(to: url)
    }
}
