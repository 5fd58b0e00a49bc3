// The optimizers' paths drawn over the surface they descend: the surface as a
// colour map with contour lines (where the colour band changes), each path as
// a line from its start (circle) to its end (square), the minimum as a star.
// Rosenbrock's values span 0 … 2500, so its colours follow log10(1 + f).
import Foundation
import LabKit
import NN

enum PathPlot {
    /// Draws the paths of `runs` over `surface` and writes the PNG to `url`.
    static func write(_ surface: TestSurface, runs: [(DescentMethod, DescentPath)],
                      size: (width: Int, height: Int), to url: URL) throws {
        let region = surface.plotRegion
        var xAxis = ChartAxis(label: "x", range: region.x)
        var yAxis = ChartAxis(label: "y", range: region.y)
        xAxis.snapsToTicks = false
        yAxis.snapsToTicks = false
        let steps = runs.first.map { $0.1.points.count - 1 } ?? 0
        var frame = ChartAxes(width: size.width, height: size.height,
                              title: "\(surface.rawValue), \(steps) steps from (\(surface.start.x), \(surface.start.y))",
                              x: xAxis, y: yAxis, xData: nil, yData: nil)
        frame.showsGrid = false
        frame.keepCellAspect(1)
        var canvas = frame.makeCanvas()
        paintSurface(surface, frame: frame, on: &canvas)

        canvas.clip = frame.plotArea
        var entries: [LegendEntry] = []
        var samples: [(x: Double, y: Double)] = []
        for (index, (method, path)) in runs.enumerated() {
            let color = RGBColor.palette(index)
            let pixels = path.points.map { frame.point(Double($0.x), Double($0.y)) }
            canvas.strokePolyline(pixels, color: color, thickness: 2.5)
            let start = pixels[0], end = pixels[pixels.count - 1]
            canvas.fillCircle(centerX: start.x, centerY: start.y, radius: 5, color: color)
            canvas.fillRect(PixelRect(x: Int(end.x) - 5, y: Int(end.y) - 5, width: 11, height: 11), color: color)
            entries.append(LegendEntry(name: method.displayName, color: color, symbol: .line))
            samples += ChartLegend.samples(along: pixels)
        }
        if let minimum = surface.minimum {
            let p = frame.point(Double(minimum.x), Double(minimum.y))
            canvas.fillCircle(centerX: p.x, centerY: p.y, radius: 7, color: .white)
            canvas.fillCircle(centerX: p.x, centerY: p.y, radius: 3.5, color: .ink)
        }
        canvas.clip = nil
        frame.drawDecorations(on: &canvas)
        ChartLegend.draw(entries, on: &canvas, in: frame.plotArea, placement: .automatic,
                         textScale: frame.textScale, avoiding: samples)
        try canvas.write(to: url)
    }

    /// Fills the plot area with the colour of f at each pixel and darkens the pixels where
    /// the colour band (one of 14) changes, which draws contour lines.
    static func paintSurface(_ surface: TestSurface, frame: ChartAxes, on canvas: inout Canvas) {
        let area = frame.plotArea
        func shade(_ x: Double, _ y: Double) -> Double {
            let f = surface.value(x, y)
            return surface == .rosenbrock ? log10(1 + f) : f
        }
        // The colour range: the extremes of f over a coarse grid of the region.
        let grid = (0...40).map { Double($0) / 40 }
        let shades = grid.flatMap { u in
            grid.map { v in shade(frame.x.value(atFraction: u), frame.y.value(atFraction: v)) }
        }
        let range = shades.min()!...shades.max()!
        let bands = 14.0
        let colorMap = surface == .rosenbrock ? ColorMap.viridis : ColorMap.redBlue
        var previousRow = [Int](repeating: 0, count: area.width)
        for row in 0..<area.height {
            let py = Double(area.y + row) + 0.5
            var left = 0
            for column in 0..<area.width {
                let px = Double(area.x + column) + 0.5
                let value = Swift.min(Swift.max(shade(frame.dataX(px), frame.dataY(py)), range.lowerBound), range.upperBound)
                let band = Int(((value - range.lowerBound) / (range.upperBound - range.lowerBound) * bands).rounded(.down))
                var color = colorMap.color(of: value, in: range)
                if (column > 0 && band != left) || (row > 0 && band != previousRow[column]) {
                    color = color.mixed(with: .black, amount: 0.35)
                }
                canvas.setPixel(x: area.x + column, y: area.y + row, color: color)
                left = band
                previousRow[column] = band
            }
        }
    }
}
