// ScatterPlot: points in the plane, coloured by class: data sets, embeddings, clusters.
//
// Points come in groups; each group has a name (its legend row) and a colour
// (by default the palette colour of its class number, so class k has the same
// colour in every chart of a lab). Markers are translucent discs, so dense
// regions read darker. Axis ranges are fitted to the data with 5% padding on
// every side (markers are not cut by the frame) and ticks inside the range.
//
// Optionally the background shows decision regions: `regions(x, y)` returns a
// class number for any point of the plane, and every pixel of the plot area
// is tinted with a pale version of that class's colour (20% of the colour,
// 80% white). Drawn under the points, this shows where a classifier draws its
// boundaries.

import Foundation

/// A chart of points, one colour per group or class, with an optional decision-region background.
public struct ScatterPlot: Sendable {
    /// Points drawn in one colour with one legend row.
    public struct Group: Sendable {
        /// Legend text (an empty name is left out of the legend).
        public var name: String
        /// Horizontal positions.
        public var x: [Double]
        /// Vertical positions.
        public var y: [Double]
        /// Marker colour.
        public var color: RGBColor
    }

    /// Text above the plot.
    public var title: String
    /// The horizontal axis.
    public var xAxis: ChartAxis
    /// The vertical axis.
    public var yAxis: ChartAxis
    /// Canvas width in pixels.
    public var width = 800
    /// Canvas height in pixels.
    public var height = 500
    /// Font scale of all text.
    public var textScale = 2
    /// Marker radius in pixels.
    public var markerRadius = 4.0
    /// Marker opacity (lower for many overlapping points).
    public var markerAlpha = 0.75
    /// Where the legend goes (shown when a group has a name).
    public var legendPlacement = LegendPlacement.automatic
    /// When set, the class number at a point of the plane, shown as a pale background.
    public var regions: (@Sendable (Double, Double) -> Int)?
    /// The groups, in drawing order.
    public private(set) var groups: [Group] = []

    /// An empty plot with its title and axis labels.
    public init(title: String = "", xLabel: String = "", yLabel: String = "") {
        self.title = title
        xAxis = ChartAxis(label: xLabel)
        xAxis.padding = 0.05
        xAxis.snapsToTicks = false
        yAxis = ChartAxis(label: yLabel)
        yAxis.padding = 0.05
        yAxis.snapsToTicks = false
    }

    /// Adds points in one colour (the next palette colour unless given).
    public mutating func addPoints<T: BinaryFloatingPoint>(_ name: String = "", x: [T], y: [T], color: RGBColor? = nil) {
        precondition(x.count == y.count, "ScatterPlot.addPoints '\(name)': \(x.count) x values but \(y.count) y values")
        groups.append(Group(name: name, x: x.map { Double($0) }, y: y.map { Double($0) },
                            color: color ?? .palette(groups.count)))
    }

    /// Adds points coloured by class: point i belongs to class `classes[i]` (0, 1, 2, …), drawn in
    /// palette colour `classes[i]` and named `classNames[classes[i]]` (default "class k").
    public mutating func addPoints<T: BinaryFloatingPoint>(x: [T], y: [T], classes: [Int], classNames: [String]? = nil) {
        precondition(x.count == y.count && x.count == classes.count,
                     "ScatterPlot.addPoints: \(x.count) x, \(y.count) y and \(classes.count) class values must match")
        for k in Set(classes).sorted() {
            let members = classes.indices.filter { classes[$0] == k }
            let name = classNames.flatMap { k >= 0 && k < $0.count ? $0[k] : nil } ?? "class \(k)"
            groups.append(Group(name: name, x: members.map { Double(x[$0]) }, y: members.map { Double(y[$0]) },
                                color: .palette(k)))
        }
    }

    /// The laid-out frame for the current points, keeping `reservedRight` pixels free for a legend.
    public func axes(reservedRight: Int = 0) -> ChartAxes {
        ChartAxes(width: width, height: height, title: title, x: xAxis, y: yAxis,
                  xData: xAxis.extent(of: groups.lazy.flatMap(\.x)), yData: yAxis.extent(of: groups.lazy.flatMap(\.y)),
                  textScale: textScale, reservedRight: reservedRight)
    }

    /// Each group's points in pixels (points that cannot be shown are left out).
    func pixelPoints(in frame: ChartAxes) -> [[(x: Double, y: Double)]] {
        groups.map { g in
            zip(g.x, g.y).compactMap { x, y in frame.x.canShow(x) && frame.y.canShow(y) ? frame.point(x, y) : nil }
        }
    }

    /// Draws the plot.
    public func render() -> Canvas {
        let entries = groups.filter { !$0.name.isEmpty }.map { LegendEntry(name: $0.name, color: $0.color, symbol: .marker) }
        let (frame, placement) = ChartLegend.arrange(
            entries, placement: legendPlacement, textScale: textScale,
            makeAxes: { axes(reservedRight: $0) }, samples: { pixelPoints(in: $0).flatMap { $0 } })
        var canvas = frame.makeCanvas()
        if let regions {
            drawRegions(regions, frame: frame, on: &canvas)
        }
        canvas.clip = frame.plotArea
        for (group, points) in zip(groups, pixelPoints(in: frame)) {
            for p in points {
                canvas.fillCircle(centerX: p.x, centerY: p.y, radius: markerRadius, color: group.color, alpha: markerAlpha)
            }
        }
        canvas.clip = nil
        frame.drawDecorations(on: &canvas)
        ChartLegend.draw(entries, on: &canvas, in: frame.plotArea, placement: placement, textScale: textScale)
        return canvas
    }

    /// Tints each pixel of the plot area with the pale colour of the class `regions` gives at its centre.
    func drawRegions(_ regions: (Double, Double) -> Int, frame: ChartAxes, on canvas: inout Canvas) {
        let area = frame.plotArea
        var pale: [Int: RGBColor] = [:]
        for row in area.y..<area.maxY {
            let dataY = frame.dataY(Double(row) + 0.5)
            for column in area.x..<area.maxX {
                let k = regions(frame.dataX(Double(column) + 0.5), dataY)
                let color = pale[k] ?? RGBColor.palette(k).mixed(with: .white, amount: 0.8)
                pale[k] = color
                canvas[column, row] = color
            }
        }
    }

    /// Draws the plot and writes it as a PNG file.
    public func write(to url: URL) throws(PlotError) {
        try render().write(to: url)
    }
}
