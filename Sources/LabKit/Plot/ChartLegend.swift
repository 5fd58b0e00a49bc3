// ChartLegend: the box that names each series or class next to its colour.
//
// The legend sits inside a corner of the plot area. With automatic placement
// it goes where it hides the least data: each candidate corner's rectangle is
// scored by how many of the chart's sample points (data points, and points
// every few pixels along lines) fall inside it, and the lowest score wins;
// ties keep the order top-right, top-left, bottom-right, bottom-left. When
// every corner would hide some data, the legend moves outside, right of the
// plot, and the plot area narrows to make room for it (`arrange`).

/// The small picture beside a legend entry's name.
public enum LegendSymbol: Sendable {
    /// A short thick line (line charts).
    case line
    /// A dot (scatter plots).
    case marker
    /// A filled square (bars, regions).
    case box
}

/// One row of a legend.
public struct LegendEntry: Sendable, Equatable {
    /// The series or class name.
    public var name: String
    /// Its colour in the chart.
    public var color: RGBColor
    /// How the colour is shown.
    public var symbol: LegendSymbol

    /// A legend row.
    public init(name: String, color: RGBColor, symbol: LegendSymbol) {
        self.name = name
        self.color = color
        self.symbol = symbol
    }
}

/// Where a chart puts its legend.
public enum LegendPlacement: Sendable, Equatable {
    /// The corner that hides the fewest data points.
    case automatic
    case topRight, topLeft, bottomRight, bottomLeft
    /// Outside the plot area, to its right (the plot narrows).
    case outside
    /// No legend.
    case hidden
}

/// Draws legends inside a chart's plot area.
public enum ChartLegend {
    /// Width and height of the legend box for `entries` at `textScale`.
    public static func size(of entries: [LegendEntry], textScale s: Int) -> (width: Int, height: Int) {
        let widest = entries.map { BitmapFont.width(of: $0.name, scale: s) }.max() ?? 0
        return (2 * padding(s) + swatchWidth(s) + 4 * s + widest, 2 * padding(s) + entries.count * rowHeight(s) - 5 * s)
    }

    /// The four inside corners a legend of `entries` can take in `plotArea`, in tie-breaking order.
    static func corners(for entries: [LegendEntry], in plotArea: PixelRect,
                        textScale s: Int) -> [(placement: LegendPlacement, rect: PixelRect)] {
        let (w, h) = size(of: entries, textScale: s)
        let inset = 6 * s
        let left = plotArea.x + inset, right = plotArea.maxX - inset - w
        let top = plotArea.y + inset, bottom = plotArea.maxY - inset - h
        return [
            (.topRight, PixelRect(x: right, y: top, width: w, height: h)),
            (.topLeft, PixelRect(x: left, y: top, width: w, height: h)),
            (.bottomRight, PixelRect(x: right, y: bottom, width: w, height: h)),
            (.bottomLeft, PixelRect(x: left, y: bottom, width: w, height: h)),
        ]
    }

    /// The corner hiding the fewest `samples` (the first on ties), and how many it hides.
    static func bestCorner(for entries: [LegendEntry], in plotArea: PixelRect, textScale s: Int,
                           samples: [(x: Double, y: Double)]) -> (placement: LegendPlacement, rect: PixelRect, hidden: Int) {
        let candidates = corners(for: entries, in: plotArea, textScale: s)
        let scores = candidates.map { candidate in
            let grown = candidate.rect.insetBy(-2 * s)
            return samples.reduce(0) { count, p in
                count + (grown.contains(x: Canvas.floorPixel(p.x), y: Canvas.floorPixel(p.y)) ? 1 : 0)
            }
        }
        let best = scores.firstIndex(of: scores.min()!)!
        return (candidates[best].placement, candidates[best].rect, scores[best])
    }

    /// The rectangle the legend takes for `placement` (nil when hidden or empty).
    public static func frame(of entries: [LegendEntry], in plotArea: PixelRect, placement: LegendPlacement,
                             textScale s: Int, avoiding samples: [(x: Double, y: Double)]) -> PixelRect? {
        guard !entries.isEmpty else { return nil }
        switch placement {
        case .hidden:
            return nil
        case .outside:
            let (w, h) = size(of: entries, textScale: s)
            return PixelRect(x: plotArea.maxX + outsideGap(s), y: plotArea.y, width: w, height: h)
        case .automatic:
            return bestCorner(for: entries, in: plotArea, textScale: s, samples: samples).rect
        default:
            return corners(for: entries, in: plotArea, textScale: s).first { $0.placement == placement }!.rect
        }
    }

    /// Lays out a chart and its legend together.
    ///
    /// `makeAxes(reservedRight)` lays out the chart keeping that many pixels free on the right;
    /// `samples(axes)` lists the data's pixel positions in that layout. Automatic placement takes
    /// a corner that hides no data when there is one; otherwise it lays the chart out again with
    /// the legend outside, unless that would take more than half the plot's width (then the
    /// least crowded corner wins). Returns the layout and the placement to draw with.
    public static func arrange(_ entries: [LegendEntry], placement: LegendPlacement, textScale s: Int,
                               makeAxes: (Int) -> ChartAxes,
                               samples: (ChartAxes) -> [(x: Double, y: Double)]) -> (axes: ChartAxes, placement: LegendPlacement) {
        let outsideWidth = size(of: entries, textScale: s).width + outsideGap(s) + 2 * s
        if entries.isEmpty { return (makeAxes(0), .hidden) }
        switch placement {
        case .outside:
            return (makeAxes(outsideWidth), .outside)
        case .automatic:
            let inside = makeAxes(0)
            let best = bestCorner(for: entries, in: inside.plotArea, textScale: s, samples: samples(inside))
            if best.hidden == 0 || outsideWidth > inside.plotArea.width / 2 {
                return (inside, best.placement)
            }
            return (makeAxes(outsideWidth), .outside)
        default:
            return (makeAxes(0), placement)
        }
    }

    /// Draws the legend box with one row per entry, placed as asked.
    public static func draw(_ entries: [LegendEntry], on canvas: inout Canvas, in plotArea: PixelRect,
                            placement: LegendPlacement, textScale s: Int,
                            avoiding samples: [(x: Double, y: Double)] = []) {
        guard let box = frame(of: entries, in: plotArea, placement: placement, textScale: s, avoiding: samples) else { return }
        let saved = canvas.clip
        canvas.clip = nil
        defer { canvas.clip = saved }
        canvas.fillRect(box, color: .white, alpha: 0.9)
        canvas.strokeRect(box, color: .midGray)
        for (i, entry) in entries.enumerated() {
            let centerY = box.y + padding(s) + i * rowHeight(s) + BitmapFont.capHeight * s / 2
            let swatchLeft = Double(box.x + padding(s))
            let cy = Double(centerY) + 0.5
            switch entry.symbol {
            case .line:
                canvas.drawLine(x0: swatchLeft, y0: cy, x1: swatchLeft + Double(swatchWidth(s)), y1: cy,
                                color: entry.color, thickness: 1.5 * Double(s))
            case .marker:
                canvas.fillCircle(centerX: swatchLeft + Double(swatchWidth(s)) / 2, centerY: cy,
                                  radius: 2.5 * Double(s), color: entry.color)
            case .box:
                let side = BitmapFont.capHeight * s
                canvas.fillRect(PixelRect(x: box.x + padding(s) + (swatchWidth(s) - side) / 2, y: centerY - side / 2,
                                          width: side, height: side), color: entry.color)
            }
            canvas.drawText(entry.name, x: box.x + padding(s) + swatchWidth(s) + 4 * s, y: centerY + 1,
                            scale: s, color: .ink, anchor: .middle)
        }
    }

    /// Points every `step` pixels along a polyline in pixel coordinates, for legend placement.
    public static func samples(along points: [(x: Double, y: Double)], step: Double = 4) -> [(x: Double, y: Double)] {
        var out: [(x: Double, y: Double)] = []
        var previous: (x: Double, y: Double)?
        for p in points {
            guard p.x.isFinite && p.y.isFinite else { previous = nil; continue }
            if let q = previous {
                let length = ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot()
                let n = min(Int((length / step).rounded(.up)), 2000)
                for k in 1..<max(n, 1) {
                    let t = Double(k) / Double(n)
                    out.append((q.x + t * (p.x - q.x), q.y + t * (p.y - q.y)))
                }
            }
            out.append(p)
            previous = p
        }
        return out
    }

    static func padding(_ s: Int) -> Int { 5 * s }
    static func outsideGap(_ s: Int) -> Int { 6 * s }
    static func swatchWidth(_ s: Int) -> Int { 12 * s }
    static func rowHeight(_ s: Int) -> Int { BitmapFont.capHeight * s + 5 * s }
}
