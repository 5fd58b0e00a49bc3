// Canvas: an RGB raster in memory, with the drawing operations the charts need.
//
// Coordinates: x to the right, y down, pixel (i, j) is the unit square
// [i, i+1) × [j, j+1) with its centre at (i + 0.5, j + 0.5). Shapes given in
// Double coordinates are anti-aliased by coverage: a pixel whose centre lies at
// distance d from the ideal shape's centre line (or centre point) is painted
// with opacity
//     coverage = clamp(w/2 + 1/2 − d, 0, 1)
// where w is the line thickness (or 2r for a disc), and blended as
//     out = old + coverage · alpha · (new − old).
// A 1-pixel line at y = 10.5 therefore fills row 10 exactly and leaves rows 9
// and 11 untouched (crisp), while a sloped line fades smoothly at its edges.
//
// A polyline is stroked through a coverage mask: every segment writes the
// maximum of its coverage into the mask, and the mask is blended once, so the
// joints of a curve are not painted twice (no dark knots in translucent lines).
//
// `clip` restricts every drawing operation to a rectangle (the plot area of a
// chart), so data outside the axes' range is cut at the frame.

import Foundation

/// Horizontal placement of text relative to the given x.
public enum TextAlignment: Sendable {
    /// Text starts at x.
    case leading
    /// Text is centred on x.
    case center
    /// Text ends at x.
    case trailing
}

/// Vertical placement of text relative to the given y.
public enum TextAnchor: Sendable {
    /// The top of the capitals is at y.
    case top
    /// The middle of the capitals is at y (for labels beside a tick).
    case middle
    /// The baseline is at y: capitals occupy the rows just above it, descenders hang below.
    case baseline
}

/// An RGB image in memory that can be drawn on and saved as PNG.
public struct Canvas: Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// `height · width · 3` bytes: R, G, B per pixel, row-major, top row first.
    public private(set) var pixels: [UInt8]
    /// When set, drawing only changes pixels inside this rectangle.
    public var clip: PixelRect?

    /// A canvas of `width × height` pixels filled with `background`.
    public init(width: Int, height: Int, background: RGBColor = .white) {
        precondition(width > 0 && height > 0, "Canvas: size must be positive, got \(width)×\(height)")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fill(background)
    }

    /// The whole canvas as a rectangle.
    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }

    /// The rectangle drawing may touch: the bounds, cut by `clip` when set.
    var drawable: PixelRect { clip.map { bounds.intersection($0) } ?? bounds }

    /// The colour of pixel (x, y). Setting it ignores `clip`.
    public subscript(x: Int, y: Int) -> RGBColor {
        get {
            precondition(x >= 0 && x < width && y >= 0 && y < height, "Canvas: pixel (\(x), \(y)) outside \(width)×\(height)")
            let o = (y * width + x) * 3
            return RGBColor(red: pixels[o], green: pixels[o + 1], blue: pixels[o + 2])
        }
        set {
            precondition(x >= 0 && x < width && y >= 0 && y < height, "Canvas: pixel (\(x), \(y)) outside \(width)×\(height)")
            let o = (y * width + x) * 3
            pixels[o] = newValue.red
            pixels[o + 1] = newValue.green
            pixels[o + 2] = newValue.blue
        }
    }

    // MARK: Pixels and rectangles

    /// Paints every pixel (ignores `clip`).
    public mutating func fill(_ color: RGBColor) {
        pixels.withUnsafeMutableBufferPointer { p in
            for i in stride(from: 0, to: p.count, by: 3) {
                p[i] = color.red
                p[i + 1] = color.green
                p[i + 2] = color.blue
            }
        }
    }

    /// Paints one pixel if it is inside the canvas and the clip; otherwise does nothing.
    public mutating func setPixel(x: Int, y: Int, color: RGBColor) {
        blendPixel(x: x, y: y, color: color, alpha: 1)
    }

    /// Mixes `color` into pixel (x, y) with opacity `alpha` (0…1), if inside the canvas and the clip.
    public mutating func blendPixel(x: Int, y: Int, color: RGBColor, alpha: Double) {
        guard drawable.contains(x: x, y: y), alpha > 0 else { return }
        let o = (y * width + x) * 3
        let a = min(alpha, 1)
        pixels.withUnsafeMutableBufferPointer { p in
            Canvas.blend(p, o, color, a)
        }
    }

    /// Fills `rect` (cut to the canvas and clip) with `color` at opacity `alpha`.
    public mutating func fillRect(_ rect: PixelRect, color: RGBColor, alpha: Double = 1) {
        let area = rect.intersection(drawable)
        guard !area.isEmpty, alpha > 0 else { return }
        let a = min(alpha, 1), w = width
        pixels.withUnsafeMutableBufferPointer { p in
            for y in area.y..<area.maxY {
                for x in area.x..<area.maxX {
                    Canvas.blend(p, (y * w + x) * 3, color, a)
                }
            }
        }
    }

    /// Draws the outline of `rect` inside its edge, `thickness` pixels wide.
    public mutating func strokeRect(_ rect: PixelRect, color: RGBColor, thickness: Int = 1) {
        let t = min(thickness, rect.width, rect.height)
        guard t > 0 else { return }
        fillRect(PixelRect(x: rect.x, y: rect.y, width: rect.width, height: t), color: color)
        fillRect(PixelRect(x: rect.x, y: rect.maxY - t, width: rect.width, height: t), color: color)
        fillRect(PixelRect(x: rect.x, y: rect.y + t, width: t, height: rect.height - 2 * t), color: color)
        fillRect(PixelRect(x: rect.maxX - t, y: rect.y + t, width: t, height: rect.height - 2 * t), color: color)
    }

    // MARK: Anti-aliased shapes

    /// Draws an anti-aliased line with round ends from (x0, y0) to (x1, y1).
    public mutating func drawLine(x0: Double, y0: Double, x1: Double, y1: Double,
                                  color: RGBColor, thickness: Double = 1, alpha: Double = 1) {
        strokePolyline([(x0, y0), (x1, y1)], color: color, thickness: thickness, alpha: alpha)
    }

    /// Draws an anti-aliased line through `points` in order; joints are painted once.
    ///
    /// Non-finite points break the line: the segments on either side are drawn, the gap is not.
    public mutating func strokePolyline(_ points: [(x: Double, y: Double)], color: RGBColor,
                                        thickness: Double = 1, alpha: Double = 1) {
        let reach = thickness / 2 + 0.5  // beyond this distance coverage is 0
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        guard !finite.isEmpty, alpha > 0, thickness > 0 else { return }
        // The mask covers the points' bounding box, grown by the reach and cut to what may be drawn.
        let left = Canvas.floorPixel(finite.map(\.x).min()! - reach)
        let right = Canvas.floorPixel(finite.map(\.x).max()! + reach) + 1
        let top = Canvas.floorPixel(finite.map(\.y).min()! - reach)
        let bottom = Canvas.floorPixel(finite.map(\.y).max()! + reach) + 1
        let box = PixelRect(x: left, y: top, width: right - left, height: bottom - top).intersection(drawable)
        guard !box.isEmpty else { return }
        var mask = [Float](repeating: 0, count: box.width * box.height)
        mask.withUnsafeMutableBufferPointer { m in
            var previous: (x: Double, y: Double)?
            for point in points {
                guard point.x.isFinite && point.y.isFinite else { previous = nil; continue }
                let start = previous ?? point
                Canvas.accumulateSegment(m, box: box, from: start, to: point, halfWidth: thickness / 2)
                previous = point
            }
        }
        blendMask(mask, box: box, color: color, alpha: alpha)
    }

    /// Fills an anti-aliased disc of `radius` centred at (centerX, centerY).
    public mutating func fillCircle(centerX: Double, centerY: Double, radius: Double,
                                    color: RGBColor, alpha: Double = 1) {
        guard radius > 0 else { return }
        // Coverage falls from 1 to 0 across the half pixel on either side of the edge.
        paintAroundCentre(centerX, centerY, reach: radius + 0.5, color: color, alpha: alpha) { distance in
            radius + 0.5 - distance
        }
    }

    /// Draws an anti-aliased ring of `radius` (to the middle of the stroke) centred at (centerX, centerY).
    public mutating func strokeCircle(centerX: Double, centerY: Double, radius: Double,
                                      color: RGBColor, thickness: Double = 1, alpha: Double = 1) {
        guard radius > 0 else { return }
        paintAroundCentre(centerX, centerY, reach: radius + thickness / 2 + 0.5, color: color, alpha: alpha) { distance in
            thickness / 2 + 0.5 - abs(distance - radius)
        }
    }

    /// Blends `color` into every pixel within `reach` of a centre, weighted by
    /// `coverage(distance from the centre to the pixel's middle)` clamped to [0, 1].
    private mutating func paintAroundCentre(_ centerX: Double, _ centerY: Double, reach: Double,
                                            color: RGBColor, alpha: Double,
                                            coverage: (Double) -> Double) {
        guard alpha > 0, centerX.isFinite, centerY.isFinite else { return }
        let area = Canvas.squareAround(centerX, centerY, reach: reach).intersection(drawable)
        guard !area.isEmpty else { return }
        let w = width, a = min(alpha, 1)
        pixels.withUnsafeMutableBufferPointer { p in
            for y in area.y..<area.maxY {
                let dy = Double(y) + 0.5 - centerY
                for x in area.x..<area.maxX {
                    let dx = Double(x) + 0.5 - centerX
                    let c = min(max(coverage((dx * dx + dy * dy).squareRoot()), 0), 1)
                    if c > 0 { Canvas.blend(p, (y * w + x) * 3, color, c * a) }
                }
            }
        }
    }

    // MARK: Text

    /// Draws `text` with the built-in 5×7 font, each font pixel an s×s block for `scale` s.
    ///
    /// `alignment` places the text left of, centred on or right of `x`; `anchor` places the top,
    /// middle or baseline of the capitals at `y`. `bold` doubles each stroke one pixel to the right.
    public mutating func drawText(_ text: String, x: Int, y: Int, scale: Int = 1, color: RGBColor = .ink,
                                  alignment: TextAlignment = .leading, anchor: TextAnchor = .top,
                                  bold: Bool = false) {
        let box = Canvas.textOrigin(text, x: x, y: y, scale: scale, alignment: alignment, anchor: anchor, bold: bold)
        let area = drawable
        pixels.withUnsafeMutableBufferPointer { p in
            let w = width
            BitmapFont.forEachInkPixel(of: text, scale: scale) { gx, gy in
                for extra in 0...(bold ? 1 : 0) {
                    let px = box.x + gx + extra, py = box.y + gy
                    if area.contains(x: px, y: py) { Canvas.blend(p, (py * w + px) * 3, color, 1) }
                }
            }
        }
    }

    /// Draws `text` turned 90° anticlockwise (read from bottom to top), as on a y-axis.
    ///
    /// `x` is where the top of the capitals lies (the text extends to the right of it by its
    /// cap height); `alignment` places the text's start below, centred on, or ending above `y`.
    public mutating func drawVerticalText(_ text: String, x: Int, y: Int, scale: Int = 1, color: RGBColor = .ink,
                                          alignment: TextAlignment = .center, bold: Bool = false) {
        let length = BitmapFont.width(of: text, scale: scale) + (bold ? 1 : 0)
        // Reading upwards: the first character is at the bottom.
        let bottom: Int
        switch alignment {
        case .leading: bottom = y
        case .center: bottom = y + length / 2
        case .trailing: bottom = y + length
        }
        let area = drawable
        pixels.withUnsafeMutableBufferPointer { p in
            let w = width
            BitmapFont.forEachInkPixel(of: text, scale: scale) { gx, gy in
                for extra in 0...(bold ? 1 : 0) {
                    // Rotating anticlockwise: the glyph's x runs up the page, its y runs to the right.
                    let px = x + gy, py = bottom - 1 - (gx + extra)
                    if area.contains(x: px, y: py) { Canvas.blend(p, (py * w + px) * 3, color, 1) }
                }
            }
        }
    }

    /// The rectangle `drawText` would cover (capitals and descenders) for the same arguments.
    public static func textBounds(_ text: String, x: Int, y: Int, scale: Int = 1, alignment: TextAlignment = .leading,
                                  anchor: TextAnchor = .top, bold: Bool = false) -> PixelRect {
        let origin = textOrigin(text, x: x, y: y, scale: scale, alignment: alignment, anchor: anchor, bold: bold)
        return PixelRect(x: origin.x, y: origin.y,
                         width: BitmapFont.width(of: text, scale: scale) + (bold ? 1 : 0),
                         height: BitmapFont.cellHeight * scale)
    }

    /// Top-left of the first glyph cell for the given placement.
    static func textOrigin(_ text: String, x: Int, y: Int, scale: Int, alignment: TextAlignment,
                           anchor: TextAnchor, bold: Bool) -> (x: Int, y: Int) {
        let w = BitmapFont.width(of: text, scale: scale) + (bold ? 1 : 0)
        let left: Int
        switch alignment {
        case .leading: left = x
        case .center: left = x - w / 2
        case .trailing: left = x - w
        }
        let cap = BitmapFont.capHeight * scale
        let top: Int
        switch anchor {
        case .top: top = y
        case .middle: top = y - cap / 2
        case .baseline: top = y - cap
        }
        return (left, top)
    }

    // MARK: Images

    /// Copies `image` with its top-left corner at (x, y), cut to the canvas and clip.
    public mutating func draw(_ image: Canvas, x: Int, y: Int) {
        let area = PixelRect(x: x, y: y, width: image.width, height: image.height).intersection(drawable)
        guard !area.isEmpty else { return }
        let w = width
        pixels.withUnsafeMutableBufferPointer { p in
            image.pixels.withUnsafeBufferPointer { source in
                for row in area.y..<area.maxY {
                    let from = ((row - y) * image.width + (area.x - x)) * 3
                    let to = (row * w + area.x) * 3
                    for i in 0..<(area.width * 3) { p[to + i] = source[from + i] }
                }
            }
        }
    }

    /// The canvases placed left to right on a white canvas as tall as the tallest (panels side by side).
    public static func sideBySide(_ panels: [Canvas], gap: Int = 8) -> Canvas {
        precondition(!panels.isEmpty, "Canvas.sideBySide: needs at least one panel")
        let width = panels.reduce(0) { $0 + $1.width } + gap * (panels.count - 1)
        var canvas = Canvas(width: width, height: panels.map(\.height).max()!)
        var x = 0
        for panel in panels {
            canvas.draw(panel, x: x, y: 0)
            x += panel.width + gap
        }
        return canvas
    }

    /// The pixels as an RGB `PixelImage`, ready for `PNGWriter`.
    public var image: PixelImage {
        PixelImage(width: width, height: height, format: .rgb, bytes: pixels)
    }

    /// The canvas encoded as PNG bytes.
    public func pngData() throws(PlotError) -> Data {
        try PNGWriter.encode(image)
    }

    /// Writes the canvas as a PNG file (folders created as needed, file replaced atomically).
    public func write(to url: URL) throws(PlotError) {
        try PNGWriter.write(image, to: url)
    }

    // MARK: Kernels

    /// The column (or row) holding coordinate `v`, clamped far outside any canvas so Int conversion cannot trap.
    @inline(__always)
    static func floorPixel(_ v: Double) -> Int {
        Int(min(max(v, -1_000_000), 1_000_000).rounded(.down))
    }

    /// The pixels that a disc of radius `reach` around (cx, cy) can touch.
    static func squareAround(_ cx: Double, _ cy: Double, reach: Double) -> PixelRect {
        let left = floorPixel(cx - reach), top = floorPixel(cy - reach)
        return PixelRect(x: left, y: top, width: floorPixel(cx + reach) + 1 - left, height: floorPixel(cy + reach) + 1 - top)
    }

    /// out = old + a · (new − old) on the three bytes at offset `o`.
    @inline(__always)
    static func blend(_ p: UnsafeMutableBufferPointer<UInt8>, _ o: Int, _ color: RGBColor, _ a: Double) {
        if a >= 1 {
            p[o] = color.red
            p[o + 1] = color.green
            p[o + 2] = color.blue
            return
        }
        @inline(__always) func mix(_ old: UInt8, _ new: UInt8) -> UInt8 {
            UInt8((Double(old) + a * (Double(new) - Double(old))).rounded())
        }
        p[o] = mix(p[o], color.red)
        p[o + 1] = mix(p[o + 1], color.green)
        p[o + 2] = mix(p[o + 2], color.blue)
    }

    /// Writes max(mask, coverage of one thick segment) for every pixel of `box` near the segment.
    static func accumulateSegment(_ mask: UnsafeMutableBufferPointer<Float>, box: PixelRect,
                                  from a: (x: Double, y: Double), to b: (x: Double, y: Double), halfWidth: Double) {
        let reach = halfWidth + 0.5
        let left = max(box.x, floorPixel(min(a.x, b.x) - reach))
        let right = min(box.maxX, floorPixel(max(a.x, b.x) + reach) + 1)
        let top = max(box.y, floorPixel(min(a.y, b.y) - reach))
        let bottom = min(box.maxY, floorPixel(max(a.y, b.y) + reach) + 1)
        guard left < right, top < bottom else { return }
        let ex = b.x - a.x, ey = b.y - a.y
        let lengthSquared = ex * ex + ey * ey
        for y in top..<bottom {
            let cy = Double(y) + 0.5
            for x in left..<right {
                let cx = Double(x) + 0.5
                // Distance from the pixel centre to the closest point of the segment.
                var t = lengthSquared > 0 ? ((cx - a.x) * ex + (cy - a.y) * ey) / lengthSquared : 0
                t = min(max(t, 0), 1)
                let dx = cx - (a.x + t * ex), dy = cy - (a.y + t * ey)
                let coverage = Float(min(max(reach - (dx * dx + dy * dy).squareRoot(), 0), 1))
                let i = (y - box.y) * box.width + (x - box.x)
                if coverage > mask[i] { mask[i] = coverage }
            }
        }
    }

    /// Blends `color` through a coverage mask laid over `box`.
    mutating func blendMask(_ mask: [Float], box: PixelRect, color: RGBColor, alpha: Double) {
        let w = width, a = min(alpha, 1)
        pixels.withUnsafeMutableBufferPointer { p in
            mask.withUnsafeBufferPointer { m in
                for y in box.y..<box.maxY {
                    for x in box.x..<box.maxX {
                        let coverage = Double(m[(y - box.y) * box.width + (x - box.x)])
                        if coverage > 0 { Canvas.blend(p, (y * w + x) * 3, color, coverage * a) }
                    }
                }
            }
        }
    }
}
