// Heatmap: a matrix drawn as a grid of coloured cells: confusion matrices, attention maps.
//
// Cell (i, j) shows values[i][j] as colorMap((v − lo)/(hi − lo)), where lo…hi
// is `valueRange` or the finite values' minimum and maximum. Row 0 is at the
// top, as the matrix is written. Cells are square (ChartAxes.keepCellAspect),
// a colour bar on the right reads colours back as numbers, and with
// `showsValues` each cell also prints its number, in white on dark cells and
// in ink on light ones (luminance below or above 0.5), at the largest text
// size that fits the cell with two font pixels to spare on each side; numbers
// are left out when even the smallest does not fit. The default canvas,
// 820×680, is taller than the line charts' so that a 10×10 matrix of values
// like "0.07" prints at full size.

import Foundation

/// A matrix of numbers drawn as coloured cells, with row and column labels and a colour bar.
public struct Heatmap: Sendable {
    /// The matrix, one inner array per row; all rows have the same length.
    public private(set) var values: [[Double]]
    /// Text above the plot.
    public var title: String
    /// Text under the columns ("predicted").
    public var xLabel: String
    /// Text beside the rows ("true").
    public var yLabel: String
    /// Names of the rows (default "0", "1", …).
    public var rowLabels: [String]?
    /// Names of the columns (default "0", "1", …).
    public var columnLabels: [String]?
    /// How values become colours.
    public var colorMap = ColorMap.viridis
    /// Values mapped to the ends of the colour map; nil uses the data's minimum and maximum.
    public var valueRange: ClosedRange<Double>?
    /// Print each value in its cell.
    public var showsValues = false
    /// How a value is printed; nil prints integers when all values are whole, else 2 decimals
    /// (1 decimal from 10, none from 100).
    public var valueFormatter: (@Sendable (Double) -> String)?
    /// Draw the colour bar on the right.
    public var showsColorBar = true
    /// Canvas width in pixels.
    public var width = 820
    /// Canvas height in pixels.
    public var height = 680
    /// Font scale of labels and title.
    public var textScale = 2

    /// A heatmap of `values` (rows of equal length).
    public init(_ values: [[Double]], title: String = "", xLabel: String = "", yLabel: String = "") {
        let columns = values.first?.count ?? 0
        precondition(!values.isEmpty && columns > 0, "Heatmap: the matrix must have at least one row and one column")
        for (i, row) in values.enumerated() {
            precondition(row.count == columns, "Heatmap: row \(i) has \(row.count) values, row 0 has \(columns)")
        }
        self.values = values
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    /// A heatmap of a rank-2 tensor [rows, columns].
    public init(_ matrix: Tensor, title: String = "", xLabel: String = "", yLabel: String = "") {
        precondition(matrix.rank == 2, "Heatmap: needs a matrix [rows, columns], got shape \(matrix.shape)")
        let scalars = matrix.scalars, columns = matrix.shape[1]
        let rows = (0..<matrix.shape[0]).map { i in scalars[(i * columns)..<((i + 1) * columns)].map { Double($0) } }
        self.init(rows, title: title, xLabel: xLabel, yLabel: yLabel)
    }

    /// The range mapped onto the colour map.
    public var resolvedRange: ClosedRange<Double> {
        if let valueRange { return valueRange }
        let finite = values.joined().filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return 0...1 }
        return lo...hi
    }

    /// The text printed in a cell for `value`.
    public func label(for value: Double) -> String {
        if let valueFormatter { return valueFormatter(value) }
        guard value.isFinite else { return NiceTicks.compact(value) }
        let finite = values.joined().filter(\.isFinite)
        if finite.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e9 }) { return String(Int(value)) }
        let largest = finite.map { abs($0) }.max() ?? 0
        if largest >= 1e5 { return NiceTicks.compact(value, significantDigits: 2) }
        return String(format: largest < 10 ? "%.2f" : (largest < 100 ? "%.1f" : "%.0f"), value)
    }

    /// Draws the heatmap.
    public func render() -> Canvas {
        let rows = values.count, columns = values[0].count
        let s = textScale
        let range = resolvedRange
        let barTicks = NiceTicks.within(range.lowerBound, range.upperBound, maxIntervals: 5)
        let barLabels = NiceTicks.labels(forLinear: barTicks)
        let barWidth = 8 * s, barGap = 8 * s
        let barLabelWidth = barLabels.map { BitmapFont.width(of: $0, scale: s) }.max() ?? 0
        let reserved = showsColorBar ? barGap + barWidth + ChartAxes.tickLength + ChartAxes.tickGap + barLabelWidth : 0

        var x = ChartAxis(label: xLabel, categories: columnLabels ?? (0..<columns).map(String.init))
        x.isReversed = false
        var y = ChartAxis(label: yLabel, categories: rowLabels ?? (0..<rows).map(String.init))
        y.isReversed = true
        precondition(x.categories!.count == columns && y.categories!.count == rows,
                     "Heatmap: \(rows)×\(columns) matrix with \(y.categories!.count) row labels and \(x.categories!.count) column labels")
        var frame = ChartAxes(width: width, height: height, title: title, x: x, y: y,
                              xData: nil, yData: nil, textScale: s, reservedRight: reserved)
        frame.showsGrid = false
        frame.keepCellAspect(1)
        var canvas = frame.makeCanvas()
        let area = frame.plotArea

        // Cell edges at whole pixels: column j spans [left(j), left(j+1)).
        func left(_ j: Int) -> Int { area.x + Int((Double(j) * Double(area.width) / Double(columns)).rounded()) }
        func top(_ i: Int) -> Int { area.y + Int((Double(i) * Double(area.height) / Double(rows)).rounded()) }
        let cellWidth = area.width / columns, cellHeight = area.height / rows
        let labels = showsValues ? values.map { $0.map(label(for:)) } : []
        let widest = labels.joined().map { BitmapFont.width(of: $0) }.max() ?? 0
        // The largest text scale whose widest label and capitals fit the cell with two font pixels to spare on each side.
        let numberScale = showsValues
            ? (1...s).reversed().first { widest * $0 + 4 * $0 <= cellWidth && BitmapFont.capHeight * $0 + 4 * $0 <= cellHeight }
            : nil
        for i in 0..<rows {
            for j in 0..<columns {
                let value = values[i][j]
                let cell = PixelRect(x: left(j), y: top(i), width: left(j + 1) - left(j), height: top(i + 1) - top(i))
                let color = value.isFinite ? colorMap.color(of: value, in: range) : colorMap.missing
                canvas.fillRect(cell, color: color)
                if let numberScale {
                    canvas.drawText(labels[i][j], x: cell.x + cell.width / 2 + 1, y: cell.y + cell.height / 2,
                                    scale: numberScale, color: color.luminance < 0.5 ? .white : .ink,
                                    alignment: .center, anchor: .middle)
                }
            }
        }
        frame.drawDecorations(on: &canvas)
        if showsColorBar {
            drawColorBar(on: &canvas, next: area, width: barWidth, gap: barGap, range: range,
                         ticks: barTicks, labels: barLabels)
        }
        return canvas
    }

    /// A vertical strip of the colour map beside `area`, high values at the top, with ticks.
    func drawColorBar(on canvas: inout Canvas, next area: PixelRect, width: Int, gap: Int,
                      range: ClosedRange<Double>, ticks: [Double], labels: [String]) {
        let bar = PixelRect(x: area.maxX + 1 + gap, y: area.y, width: width, height: area.height)
        for row in bar.y..<bar.maxY {
            let t = 1 - (Double(row - bar.y) + 0.5) / Double(bar.height)
            canvas.fillRect(PixelRect(x: bar.x, y: row, width: bar.width, height: 1), color: colorMap.color(at: t))
        }
        canvas.strokeRect(bar.insetBy(-1), color: .midGray)
        let span = range.upperBound - range.lowerBound
        for (tick, text) in zip(ticks, labels) {
            let t = span > 0 ? (tick - range.lowerBound) / span : 0.5
            let row = bar.maxY - 1 - Int((t * Double(bar.height - 1)).rounded())
            canvas.fillRect(PixelRect(x: bar.maxX + 1, y: row, width: ChartAxes.tickLength, height: 1), color: .midGray)
            canvas.drawText(text, x: bar.maxX + 1 + ChartAxes.tickLength + ChartAxes.tickGap, y: row + 1,
                            scale: textScale, color: .darkGray, anchor: .middle)
        }
    }

    /// Draws the heatmap and writes it as a PNG file.
    public func write(to url: URL) throws(PlotError) {
        try render().write(to: url)
    }
}
