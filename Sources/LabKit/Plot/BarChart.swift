// BarChart: one bar per named category: feature importances, per-class scores.
//
// Bar i spans 70% of its category slot and runs from 0 to values[i], so
// negative values hang below (or left of) the zero line. The value axis
// always contains 0 and is widened to nice ticks; the category axis lists the
// names, turned upright when they do not fit side by side. Horizontal bars
// list the first category at the top, which suits long names (feature names)
// and sorted importances. With `showsValues` each bar carries its number at
// its end (the value axis gets 12% more room for them).

import Foundation

/// A chart of one bar per category.
public struct BarChart: Sendable {
    /// Which way the bars grow.
    public enum Orientation: Sendable {
        /// Bars grow upwards from a horizontal category axis.
        case vertical
        /// Bars grow rightwards from a vertical category axis (first category on top).
        case horizontal
    }

    /// Category names, one per bar.
    public private(set) var labels: [String]
    /// Bar lengths, one per category.
    public private(set) var values: [Double]
    /// Text above the plot.
    public var title: String
    /// The numeric axis (label, optional fixed range).
    public var valueAxis: ChartAxis
    /// The text along the category axis.
    public var categoryLabel: String
    /// Vertical or horizontal bars.
    public var orientation: Orientation
    /// Colour of every bar, unless `colors` is set.
    public var color = RGBColor.palette(0)
    /// One colour per bar (overrides `color`).
    public var colors: [RGBColor]?
    /// Print each value at the end of its bar.
    public var showsValues = false
    /// Canvas width in pixels.
    public var width = 800
    /// Canvas height in pixels.
    public var height = 500
    /// Font scale of all text.
    public var textScale = 2

    /// A bar chart of `values` named by `labels` (same length).
    public init<T: BinaryFloatingPoint>(labels: [String], values: [T], title: String = "", valueLabel: String = "",
                                        categoryLabel: String = "", orientation: Orientation = .vertical) {
        precondition(labels.count == values.count, "BarChart: \(labels.count) labels but \(values.count) values")
        precondition(!labels.isEmpty, "BarChart: needs at least one bar")
        self.labels = labels
        self.values = values.map { Double($0) }
        self.title = title
        valueAxis = ChartAxis(label: valueLabel)
        valueAxis.includesZero = true
        self.categoryLabel = categoryLabel
        self.orientation = orientation
    }

    /// The laid-out frame: the category axis and the value axis in their places.
    public func axes() -> ChartAxes {
        var categories = ChartAxis(label: categoryLabel, categories: labels)
        var numbers = valueAxis
        if showsValues { numbers.padding = max(numbers.padding, 0.12) }
        let extent = numbers.extent(of: values)
        switch orientation {
        case .vertical:
            return ChartAxes(width: width, height: height, title: title, x: categories, y: numbers,
                             xData: nil, yData: extent, textScale: textScale)
        case .horizontal:
            categories.isReversed = true
            return ChartAxes(width: width, height: height, title: title, x: numbers, y: categories,
                             xData: extent, yData: nil, textScale: textScale)
        }
    }

    /// Draws the chart.
    public func render() -> Canvas {
        let frame = axes()
        var canvas = frame.makeCanvas()
        canvas.clip = frame.plotArea
        let vertical = orientation == .vertical
        let valuesAxis = vertical ? frame.y : frame.x
        let zero = valuesAxis.canShow(0) ? 0 : valuesAxis.lower
        for (i, value) in values.enumerated() where valuesAxis.canShow(value) {
            let color = colors.map { $0[i % $0.count] } ?? color
            // The bar spans 70% of the slot around category i, from the zero line to the value.
            let bar: PixelRect
            if vertical {
                let a = frame.pixelX(Double(i) - 0.35), b = frame.pixelX(Double(i) + 0.35)
                let z = frame.pixelY(zero), v = frame.pixelY(value)
                bar = BarChart.rect(a, b, min(z, v), max(z, v))
            } else {
                let a = frame.pixelY(Double(i) - 0.35), b = frame.pixelY(Double(i) + 0.35)
                let z = frame.pixelX(zero), v = frame.pixelX(value)
                bar = BarChart.rect(min(z, v), max(z, v), min(a, b), max(a, b))
            }
            canvas.fillRect(bar, color: color)
            if showsValues { drawValue(value, of: bar, on: &canvas) }
        }
        // The zero line, when 0 is inside the value range.
        if valuesAxis.lower < 0 && valuesAxis.upper > 0 {
            if vertical {
                let row = Canvas.floorPixel(frame.pixelY(0))
                canvas.fillRect(PixelRect(x: frame.plotArea.x, y: row, width: frame.plotArea.width, height: 1), color: .midGray)
            } else {
                let column = Canvas.floorPixel(frame.pixelX(0))
                canvas.fillRect(PixelRect(x: column, y: frame.plotArea.y, width: 1, height: frame.plotArea.height), color: .midGray)
            }
        }
        canvas.clip = nil
        frame.drawDecorations(on: &canvas)
        return canvas
    }

    /// Writes the value beside the end of its bar (above / right for positive values, below / left for negative).
    func drawValue(_ value: Double, of bar: PixelRect, on canvas: inout Canvas) {
        let text = NiceTicks.compact(value, significantDigits: 3)
        let gap = 3 * textScale
        switch orientation {
        case .vertical:
            let y = value >= 0 ? bar.y - gap : bar.maxY + gap
            canvas.drawText(text, x: bar.x + bar.width / 2 + 1, y: y, scale: textScale, color: .darkGray,
                            alignment: .center, anchor: value >= 0 ? .baseline : .top)
        case .horizontal:
            let x = value >= 0 ? bar.maxX + gap : bar.x - gap
            canvas.drawText(text, x: x, y: bar.y + bar.height / 2 + 1, scale: textScale, color: .darkGray,
                            alignment: value >= 0 ? .leading : .trailing, anchor: .middle)
        }
    }

    /// The whole pixels between continuous coordinates left…right and top…bottom.
    static func rect(_ left: Double, _ right: Double, _ top: Double, _ bottom: Double) -> PixelRect {
        let x0 = Canvas.floorPixel(left + 0.5), x1 = Canvas.floorPixel(right + 0.5)
        let y0 = Canvas.floorPixel(top + 0.5), y1 = Canvas.floorPixel(bottom + 0.5)
        return PixelRect(x: x0, y: y0, width: max(1, x1 - x0), height: max(1, y1 - y0))
    }

    /// Draws the chart and writes it as a PNG file.
    public func write(to url: URL) throws(PlotError) {
        try render().write(to: url)
    }
}
