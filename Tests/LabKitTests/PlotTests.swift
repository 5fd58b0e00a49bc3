// Tests of LabKit/Plot: PNG round trips and errors, tick arithmetic, the font,
// the canvas's shapes, and where each chart puts its data.
//
// `samplesRenderAndDecode` draws one of each chart into a folder; set
// MLLAB_PLOT_SAMPLES=/some/folder to keep them and look at them.
import Foundation
import Testing
@testable import LabKit

/// A fresh empty folder under the system temporary folder.
private func temporaryFolder(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("mllab-plot-tests-\(name)-\(UInt32.random(in: 0...UInt32.max))", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// True when two colours differ by at most `tolerance` per channel.
private func close(_ a: RGBColor, _ b: RGBColor, tolerance: Int = 0) -> Bool {
    abs(Int(a.red) - Int(b.red)) <= tolerance && abs(Int(a.green) - Int(b.green)) <= tolerance
        && abs(Int(a.blue) - Int(b.blue)) <= tolerance
}

@Suite struct PNGTests {
    @Test func grayRoundTripIsExact() throws {
        let folder = try temporaryFolder("gray")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (w, h) = (7, 5)
        let bytes = (0..<(w * h)).map { UInt8(($0 * 37 + 11) % 256) }
        let image = PixelImage(width: w, height: h, format: .gray, bytes: bytes)
        let url = folder.appendingPathComponent("nested/gray.png")  // the folder is created
        try PNGWriter.write(image, to: url)
        let back = try PNGWriter.read(url)
        #expect(back.format == .gray)
        #expect(back == image)
        #expect(back.pixel(x: 3, y: 2) == [bytes[2 * w + 3]])
    }

    @Test func rgbAndRGBARoundTripsAreExact() throws {
        let folder = try temporaryFolder("rgb")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (w, h) = (9, 4)
        let rgb = PixelImage(width: w, height: h, format: .rgb, bytes: (0..<(w * h * 3)).map { UInt8(($0 * 53) % 256) })
        try PNGWriter.write(rgb, to: folder.appendingPathComponent("rgb.png"))
        let backRGB = try PNGWriter.read(folder.appendingPathComponent("rgb.png"))
        #expect(backRGB == rgb)
        #expect(backRGB.pixel(x: 8, y: 3) == Array(rgb.bytes[((3 * w + 8) * 3)..<((3 * w + 8) * 3 + 3)]))

        let rgba = PixelImage(width: w, height: h, format: .rgba, bytes: (0..<(w * h * 4)).map { i in
            i % 4 == 3 ? 255 : UInt8((i * 29) % 256)  // opaque: colours come back unchanged
        })
        try PNGWriter.write(rgba, to: folder.appendingPathComponent("rgba.png"))
        #expect(try PNGWriter.read(folder.appendingPathComponent("rgba.png")) == rgba)
    }

    @Test func canvasRoundTripsThroughPNG() throws {
        let folder = try temporaryFolder("canvas")
        defer { try? FileManager.default.removeItem(at: folder) }
        var canvas = Canvas(width: 20, height: 10, background: RGBColor(hex: 0x102030))
        canvas[4, 7] = RGBColor(hex: 0xFF8001)
        let url = folder.appendingPathComponent("c.png")
        try canvas.write(to: url)
        let back = try PNGWriter.read(url)
        #expect(back.pixel(x: 4, y: 7) == [0xFF, 0x80, 0x01])
        #expect(back.pixel(x: 0, y: 0) == [0x10, 0x20, 0x30])
    }

    @Test func panelsAreJoinedSideBySide() {
        let red = Canvas(width: 3, height: 2, background: RGBColor(hex: 0xFF0000))
        let blue = Canvas(width: 2, height: 4, background: RGBColor(hex: 0x0000FF))
        let joined = Canvas.sideBySide([red, blue], gap: 1)
        #expect(joined.width == 6 && joined.height == 4)
        #expect(joined[2, 1] == RGBColor(hex: 0xFF0000))
        #expect(joined[2, 3] == .white)                   // below the shorter panel
        #expect(joined[3, 0] == .white)                   // the gap
        #expect(joined[4, 3] == RGBColor(hex: 0x0000FF))
    }

    @Test func encodedBytesStartWithThePNGSignature() throws {
        let data = try PNGWriter.encode(PixelImage(width: 2, height: 2, format: .gray, bytes: [0, 64, 128, 255]))
        #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test func unwritablePathsThrowErrorsNamingThePath() throws {
        let folder = try temporaryFolder("errors")
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = PixelImage(width: 1, height: 1, format: .gray, bytes: [0])
        // A regular file where a folder should be: the folder cannot be created.
        let blocker = folder.appendingPathComponent("blocker")
        try Data("x".utf8).write(to: blocker)
        let inside = blocker.appendingPathComponent("chart.png")
        #expect(throws: PlotError.self) { try PNGWriter.write(image, to: inside) }
        do {
            try PNGWriter.write(image, to: inside)
        } catch {
            guard case .cannotCreateFolder(let path, _) = error else {
                Issue.record("expected cannotCreateFolder, got \(error)")
                return
            }
            #expect(path == inside.path)
            #expect(error.description.contains(inside.path))
        }
        // A folder where the file should be: the rename fails.
        let occupied = folder.appendingPathComponent("occupied.png")
        try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: true)
        do {
            try PNGWriter.write(image, to: occupied)
            Issue.record("writing over a folder should fail")
        } catch {
            guard case .cannotWriteFile(let path, _) = error else {
                Issue.record("expected cannotWriteFile, got \(error)")
                return
            }
            #expect(path == occupied.path)
        }
        // Nothing half-written is left behind in either case.
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(left == ["blocker", "occupied.png"])
    }

    @Test func readingMissingOrInvalidFilesThrows() throws {
        let folder = try temporaryFolder("read")
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("missing.png")
        #expect(throws: PlotError.cannotReadFile(path: missing.path, reason: "no readable file at this path")) {
            try PNGWriter.read(missing)
        }
        let text = folder.appendingPathComponent("not.png")
        try Data("this is not a PNG file at all".utf8).write(to: text)
        do {
            _ = try PNGWriter.read(text)
            Issue.record("reading a text file as PNG should fail")
        } catch {
            guard case .libpng(let path, let message) = error else {
                Issue.record("expected a libpng error, got \(error)")
                return
            }
            #expect(path == text.path)
            #expect(!message.isEmpty)
        }
    }

    @Test func atomicWriteLeavesOnlyTheFile() throws {
        let folder = try temporaryFolder("atomic")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("a.png")
        try Canvas(width: 4, height: 4, background: .black).write(to: url)
        try Canvas(width: 4, height: 4, background: .white).write(to: url)  // replaces the first
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.png"])
        #expect(try PNGWriter.read(url).pixel(x: 0, y: 0) == [255, 255, 255])
    }
}

@Suite struct NiceTicksTests {
    /// Elementwise comparison with a tolerance (ticks are k·step in floating point).
    func same(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) }
    }

    @Test func unitRangeStepsByFifths() {
        #expect(NiceTicks.step(span: 1, maxIntervals: 5) == 0.2)
        #expect(same(NiceTicks.enclosing(0, 1, maxIntervals: 6), [0, 0.2, 0.4, 0.6, 0.8, 1]))
        #expect(NiceTicks.labels(forLinear: NiceTicks.enclosing(0, 1, maxIntervals: 6))
            == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func zeroToNinetySevenStepsByTwenty() {
        #expect(same(NiceTicks.enclosing(0, 97, maxIntervals: 6), [0, 20, 40, 60, 80, 100]))
        #expect(NiceTicks.labels(forLinear: [0, 20, 40, 60, 80, 100]) == ["0", "20", "40", "60", "80", "100"])
        // Inside the range only: the ends need not be ticks.
        #expect(same(NiceTicks.within(0, 97, maxIntervals: 6), [0, 20, 40, 60, 80]))
    }

    @Test func negativeRanges() {
        #expect(same(NiceTicks.enclosing(-1, -0.2, maxIntervals: 5), [-1, -0.8, -0.6, -0.4, -0.2]))
        let mixed = NiceTicks.enclosing(-3.7, 12.2, maxIntervals: 6)
        #expect(same(mixed, [-5, 0, 5, 10, 15]))
        #expect(NiceTicks.labels(forLinear: [-0.5, 0, 0.5]) == ["-0.5", "0.0", "0.5"])
    }

    @Test func zeroWidthRangesAreWidened() {
        let ticks = NiceTicks.enclosing(5, 5)
        #expect(ticks.count >= 3)
        #expect(ticks.first! < 5 && ticks.last! > 5)
        #expect(same(NiceTicks.enclosing(0, 0, maxIntervals: 4), [-1, -0.5, 0, 0.5, 1]))
        var axis = ChartAxis()
        axis.resolve(data: (2, 2), maxIntervals: 6)
        #expect(axis.lower < 2 && axis.upper > 2)
    }

    @Test func neverMoreIntervalsThanAsked() {
        for (lo, hi) in [(0.13, 0.91), (-7.0, 3.0), (1e-6, 3e-6), (0, 1234.0), (99.0, 101.0)] {
            for n in 2...9 {
                let ticks = NiceTicks.enclosing(lo, hi, maxIntervals: n)
                #expect(ticks.count - 1 <= n, "\(lo)…\(hi) with at most \(n) intervals gave \(ticks)")
                #expect(ticks.first! <= lo && ticks.last! >= hi)
            }
        }
    }

    @Test func largeAndSmallLabelsAreScientific() {
        #expect(NiceTicks.labels(forLinear: [0, 2e6, 4e6]) == ["0", "2e6", "4e6"])
        #expect(NiceTicks.labels(forLinear: [1e-5, 2e-5, 3e-5]) == ["1e-5", "2e-5", "3e-5"])
        #expect(NiceTicks.compact(0.000012) == "1.2e-5")
        #expect(NiceTicks.compact(1234.5678) == "1235")
        #expect(NiceTicks.compact(0.25) == "0.25")
    }

    @Test func logarithmicTicks() {
        #expect(same(NiceTicks.logarithmic(0.02, 3), [0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5]))
        #expect(same(NiceTicks.logarithmic(1, 1e6), [1, 10, 100, 1000, 1e4, 1e5, 1e6]))
        #expect(NiceTicks.logarithmic(1e-12, 1e12).count <= 13)
        #expect(NiceTicks.compact(1e-5) == "1e-5")
        #expect(NiceTicks.compact(1e6) == "1e6")
    }
}

@Suite struct FontAndCanvasTests {
    @Test func glyphBitsMatchTheirDrawing() {
        // "A" is .###. / #...# / #...# / ##### / #...# / #...# / #...#
        #expect(Array(BitmapFont.rows(of: "A")) == [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11, 0x00, 0x00])
        #expect(BitmapFont.isInk("A", column: 0, row: 3) && BitmapFont.isInk("A", column: 4, row: 3))
        #expect(!BitmapFont.isInk("A", column: 0, row: 0))
        // Descenders reach below the baseline.
        #expect(BitmapFont.isInk("g", column: 1, row: 8) && BitmapFont.isInk("y", column: 4, row: 7))
        #expect(BitmapFont.hasGlyph(for: "×") && BitmapFont.hasGlyph(for: "→") && !BitmapFont.hasGlyph(for: "€"))
        #expect(Array(BitmapFont.rows(of: "€")) == BitmapFont.unknownGlyph)
        // Every printable ASCII character except the space has ink.
        for code in 33...126 {
            let c = Character(UnicodeScalar(UInt8(code)))
            #expect(BitmapFont.rows(of: c).contains { $0 != 0 }, "glyph \(c) is empty")
        }
    }

    @Test func drawnTextHasExactlyTheGlyphPixels() {
        var canvas = Canvas(width: 20, height: 20)
        canvas.drawText("A", x: 3, y: 4, scale: 1, color: .black)
        for y in 0..<20 {
            for x in 0..<20 {
                let ink = BitmapFont.isInk("A", column: x - 3, row: y - 4)
                #expect(canvas[x, y] == (ink ? .black : .white), "pixel (\(x), \(y))")
            }
        }
        // Scale 2: each font pixel is a 2×2 block.
        var big = Canvas(width: 20, height: 20)
        big.drawText("1", x: 0, y: 0, scale: 2, color: .black)
        for row in 0..<9 {
            for column in 0..<5 {
                let expected: RGBColor = BitmapFont.isInk("1", column: column, row: row) ? .black : .white
                #expect(big[2 * column, 2 * row] == expected && big[2 * column + 1, 2 * row + 1] == expected)
            }
        }
    }

    @Test func textMeasuresAndAligns() {
        #expect(BitmapFont.width(of: "") == 0)
        #expect(BitmapFont.width(of: "abc") == 17)
        #expect(BitmapFont.width(of: "abc", scale: 2) == 34)
        #expect(Canvas.textBounds("abc", x: 100, y: 50, alignment: .trailing) == PixelRect(x: 83, y: 50, width: 17, height: 9))
        #expect(Canvas.textBounds("abc", x: 100, y: 50, alignment: .center, anchor: .middle).x == 92)
        #expect(BitmapFont.truncated("feature importance", toWidth: 47) == "feature…")
        #expect(BitmapFont.width(of: BitmapFont.truncated("feature importance", toWidth: 47)) <= 47)
        #expect(BitmapFont.truncated("short", toWidth: 100) == "short")
    }

    @Test func verticalTextIsTheHorizontalTextTurned() {
        var flat = Canvas(width: 40, height: 40)
        flat.drawText("Ly", x: 0, y: 0, color: .black)
        var upright = Canvas(width: 40, height: 40)
        upright.drawVerticalText("Ly", x: 10, y: 30, color: .black, alignment: .leading)
        // Turning anticlockwise: font (gx, gy) lands at (10 + gy, 29 − gx).
        for gy in 0..<9 {
            for gx in 0..<11 {
                #expect(upright[10 + gy, 29 - gx] == flat[gx, gy])
            }
        }
    }

    @Test func crispLinesFillOneRowAndSlopedLinesBlend() {
        var canvas = Canvas(width: 30, height: 30)
        canvas.drawLine(x0: 2, y0: 10.5, x1: 27, y1: 10.5, color: .black)
        #expect(canvas[15, 10] == .black)
        #expect(canvas[15, 9] == .white && canvas[15, 11] == .white)
        // A line through a pixel's centre covers it fully; one half a pixel away only partly.
        var sloped = Canvas(width: 30, height: 30)
        sloped.drawLine(x0: 0, y0: 0, x1: 30, y1: 15, color: .black, thickness: 1)
        #expect(sloped[10, 5].red < 80)  // centre (10.5, 5.5) lies 0.22 px from y = x/2: coverage 0.78
        let edge = sloped[10, 4].red   // centre (10.5, 4.5) lies 0.67 px away: coverage 0.33, red ≈ 171
        #expect(edge > 150 && edge < 190)
        #expect(sloped[10, 6] == .white)  // 1.12 px away: beyond the reach of a 1-pixel line
        #expect(sloped[10, 9] == .white)
    }

    @Test func circlesAreFullInsideAndClippingHolds() {
        var canvas = Canvas(width: 20, height: 20)
        canvas.fillCircle(centerX: 10, centerY: 10, radius: 4, color: RGBColor(hex: 0x2F6EBA))
        #expect(canvas[9, 9] == RGBColor(hex: 0x2F6EBA))
        #expect(canvas[10, 10] == RGBColor(hex: 0x2F6EBA))
        #expect(canvas[10, 15] == .white && canvas[2, 2] == .white)
        var clipped = Canvas(width: 20, height: 20)
        clipped.clip = PixelRect(x: 0, y: 0, width: 10, height: 20)
        clipped.fillRect(PixelRect(x: 5, y: 5, width: 10, height: 10), color: .black)
        #expect(clipped[9, 9] == .black && clipped[10, 9] == .white)
        // Huge and non-finite coordinates are harmless.
        clipped.drawLine(x0: -1e300, y0: 5, x1: 1e300, y1: 5.5, color: .black)
        clipped.strokePolyline([(0, 0), (.nan, 3), (4, 4)], color: .black)
        clipped.fillCircle(centerX: .infinity, centerY: 0, radius: 3, color: .black)
    }

    @Test func colourMapsInterpolateBetweenAnchors() {
        let map = ColorMap(anchors: [.black, .white])
        #expect(map.color(at: 0) == .black && map.color(at: 1) == .white)
        #expect(map.color(at: 0.5) == RGBColor(gray: 128))
        #expect(map.color(at: -3) == .black && map.color(at: 7) == .white)
        #expect(map.color(at: .nan) == map.missing)
        #expect(ColorMap.viridis.color(at: 0) == RGBColor(hex: 0x440154))
        #expect(ColorMap.viridis.color(at: 1) == RGBColor(hex: 0xFDE725))
    }
}

@Suite struct ChartTests {
    @Test func lineChartDrawsTheSeriesColourAtItsDataPoints() {
        var chart = LineChart(title: "t", xLabel: "x", yLabel: "y")
        chart.xAxis.range = 0...10
        chart.yAxis.range = 0...10
        chart.showsMarkers = false
        chart.legendPlacement = .hidden
        chart.addSeries("diagonal", x: [0, 10], y: [0, 10])
        let frame = chart.axes()
        let canvas = chart.render()
        for v in [2.5, 5.0, 7.5] {
            let p = frame.point(v, v)
            #expect(close(canvas[Int(p.x), Int(p.y)], RGBColor.palette(0), tolerance: 40),
                    "(\(v), \(v)) at pixel \(p) is \(canvas[Int(p.x), Int(p.y)])")
        }
        // Far from the line (the point (7.5, 2.5)) the plot is background or grid.
        let off = frame.point(7.5, 2.5)
        #expect(canvas[Int(off.x), Int(off.y)].luminance > 0.85)
        // The data point (5, 5) is the middle of the plot area.
        #expect(abs(frame.point(5, 5).x - Double(frame.plotArea.x + frame.plotArea.width / 2)) <= 1)
        #expect(abs(frame.point(5, 5).y - Double(frame.plotArea.y + frame.plotArea.height / 2)) <= 1)
    }

    @Test func lineChartAxesEncloseTheDataOnNiceTicks() {
        var chart = LineChart()
        chart.addSeries("loss", y: [2.31, 1.2, 0.7, 0.45, 0.33], firstX: 1)
        let frame = chart.axes()
        #expect(frame.y.lower == 0 && frame.y.upper == 2.5)
        #expect(frame.x.lower <= 1 && frame.x.upper >= 5)
        // The log axis drops the non-positive value instead of failing.
        var log = LineChart(logScaleY: true)
        log.addSeries("loss", y: [1, 0.1, 0, 0.01])
        #expect(log.axes().y.lower == 0.01 && log.axes().y.upper == 1)
        _ = log.render()
    }

    @Test func scatterPlotColoursEachClass() {
        var plot = ScatterPlot()
        plot.markerAlpha = 1
        plot.legendPlacement = .hidden
        plot.addPoints(x: [0.0, 1, 2], y: [0.0, 1, 2], classes: [0, 1, 2])
        let frame = plot.axes()
        let canvas = plot.render()
        for k in 0..<3 {
            let p = frame.point(Double(k), Double(k))
            #expect(canvas[Int(p.x), Int(p.y)] == RGBColor.palette(k))
        }
        #expect(plot.groups.map(\.name) == ["class 0", "class 1", "class 2"])
        // Decision regions tint the background with the pale class colour.
        plot.regions = { x, _ in x < 1 ? 0 : 1 }
        let tinted = plot.render()
        let q = frame.point(1.5, 0.2)
        #expect(tinted[Int(q.x), Int(q.y)] == RGBColor.palette(1).mixed(with: .white, amount: 0.8))
    }

    @Test func heatmapCellsFollowTheColourMapRowZeroOnTop() throws {
        var map = Heatmap([[0, 1], [2, 3]])
        map.colorMap = ColorMap(anchors: [RGBColor(hex: 0xFF0000), RGBColor(hex: 0x0000FF)])
        map.showsColorBar = false
        let canvas = map.render()
        // The centre of the pixels painted exactly in each value's colour.
        func centre(of value: Double) throws -> (x: Double, y: Double) {
            let color = map.colorMap.color(of: value, in: 0...3)
            var sx = 0, sy = 0, n = 0
            for y in 0..<canvas.height {
                for x in 0..<canvas.width where canvas[x, y] == color {
                    sx += x
                    sy += y
                    n += 1
                }
            }
            try #require(n > 100, "value \(value) covers only \(n) pixels")
            return (Double(sx) / Double(n), Double(sy) / Double(n))
        }
        let c0 = try centre(of: 0), c1 = try centre(of: 1), c2 = try centre(of: 2), c3 = try centre(of: 3)
        #expect(c0.y < c2.y && c1.y < c3.y)   // row 0 above row 1
        #expect(c0.x < c1.x && c2.x < c3.x)   // column 0 left of column 1
        #expect(abs((c1.x - c0.x) - (c2.y - c0.y)) < 2)  // square cells
        #expect(map.label(for: 3) == "3")
        #expect(Heatmap([[0.123, 0.5]]).label(for: 0.123) == "0.12")
    }

    @Test func barChartFillsUpToTheValue() {
        var chart = BarChart(labels: ["a", "b"], values: [1.0, 3.0])
        chart.valueAxis.range = 0...4
        let frame = chart.axes()
        let canvas = chart.render()
        let inside = frame.point(1, 2.9)    // bar "b" reaches 3
        let above = frame.point(1, 3.2)
        let besideA = frame.point(0, 1.5)   // bar "a" stops at 1
        #expect(canvas[Int(inside.x), Int(inside.y)] == chart.color)
        #expect(canvas[Int(above.x), Int(above.y)] != chart.color)
        #expect(canvas[Int(besideA.x), Int(besideA.y)] != chart.color)
    }

    @Test func imageGridScalesValuesAndLaysOutTiles() {
        // Two 2×2 images; global scaling maps the overall min to black and max to white.
        let images = Tensor(shape: [2, 2, 2], scalars: [0, 1, 2, 3, 4, 5, 6, 8])
        var grid = ImageGrid(images: images, columns: 2)
        grid.padding = 1
        grid.upscale = 3
        let canvas = grid.render()
        #expect(canvas.width == 2 * 6 + 3 && canvas.height == 6 + 2)
        // Tile 0 covers columns 1…6, tile 1 columns 8…13; rows 1…6. Image pixel (r, c) is a 3×3 block.
        #expect(canvas[1, 1] == .black)                    // image 0, value 0
        #expect(canvas[11, 4] == .white)                   // image 1 (r 1, c 1), value 8
        #expect(canvas[11, 1] == RGBColor(gray: 159))      // image 1 (r 0, c 1), value 5: 255·5/8 = 159.4
        #expect(canvas[0, 0] == .white && canvas[7, 3] == .white)  // padding
        grid.scaling = .perImage
        #expect(grid.render()[8, 1] == .black)             // value 4 is the second image's minimum
        grid.scaling = .fixed(0...16)
        #expect(grid.render()[11, 4] == RGBColor(gray: 128))  // 8 of 16: 127.5 rounds to 128
    }
}

/// One chart of each kind, written to MLLAB_PLOT_SAMPLES (if set) or a temporary folder, read back.
@Test func samplesRenderAndDecode() throws {
    let keep = ProcessInfo.processInfo.environment["MLLAB_PLOT_SAMPLES"]
    let folder = try keep.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? temporaryFolder("samples")
    defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
    var rng = RandomGenerator(seed: 7)
    var written: [URL] = []

    var line = LineChart(title: "Training loss", xLabel: "epoch", yLabel: "cross-entropy")
    line.addSeries("train", y: (0..<50).map { (i: Int) -> Double in 2.3 * exp(-Double(i) / 10) + 0.05 + 0.02 * sin(Double(i)) }, firstX: 1)
    line.addSeries("validation", y: (0..<50).map { (i: Int) -> Double in 2.3 * exp(-Double(i) / 12) + 0.15 + 0.003 * Double(i) }, firstX: 1)
    try line.write(to: folder.appendingPathComponent("line.png"))
    line.logScaleY = true
    line.title = "Training loss (log scale)"
    try line.write(to: folder.appendingPathComponent("line-log.png"))
    written += [folder.appendingPathComponent("line.png"), folder.appendingPathComponent("line-log.png")]

    var scatter = ScatterPlot(title: "Three classes", xLabel: "x1", yLabel: "x2")
    let centres: [(Double, Double)] = [(-2, 1), (1.5, 2.5), (0.5, -1.5)]
    var xs: [Double] = [], ys: [Double] = [], classes: [Int] = []
    for (k, c) in centres.enumerated() {
        for _ in 0..<80 {
            xs.append(c.0 + rng.normal())
            ys.append(c.1 + 0.8 * rng.normal())
            classes.append(k)
        }
    }
    scatter.addPoints(x: xs, y: ys, classes: classes, classNames: ["setosa", "versicolor", "virginica"])
    scatter.regions = { x, y in
        centres.indices.min { (x - centres[$0].0) * (x - centres[$0].0) + (y - centres[$0].1) * (y - centres[$0].1)
            < (x - centres[$1].0) * (x - centres[$1].0) + (y - centres[$1].1) * (y - centres[$1].1) }!
    }
    try scatter.write(to: folder.appendingPathComponent("scatter.png"))
    written.append(folder.appendingPathComponent("scatter.png"))

    var matrix = [[Double]](repeating: [Double](repeating: 0, count: 10), count: 10)
    for i in 0..<10 { for j in 0..<10 { matrix[i][j] = Double(rng.uniform()) } }
    var heatmap = Heatmap(matrix, title: "Random 10×10", xLabel: "column", yLabel: "row")
    heatmap.showsValues = true
    try heatmap.write(to: folder.appendingPathComponent("heatmap.png"))
    written.append(folder.appendingPathComponent("heatmap.png"))

    var bars = BarChart(labels: ["petal length", "petal width", "sepal length", "sepal width"],
                        values: [0.44, 0.42, 0.1, 0.04], title: "Feature importance",
                        valueLabel: "mean decrease in impurity", orientation: .horizontal)
    bars.showsValues = true
    try bars.write(to: folder.appendingPathComponent("bars.png"))
    written.append(folder.appendingPathComponent("bars.png"))

    var grid = ImageGrid(images: Tensor.uniform([16, 28, 28], seed: 1), columns: 8)
    grid.captions = (0..<16).map { "\($0 % 10)→\(($0 * 7) % 10)" }
    grid.title = "Misclassified digits"
    try grid.write(to: folder.appendingPathComponent("grid.png"))
    written.append(folder.appendingPathComponent("grid.png"))

    var font = Canvas(width: 620, height: 120)
    let ascii = String((32...126).map { Character(UnicodeScalar(UInt8($0))) })
    font.drawText(String(ascii.prefix(48)), x: 8, y: 8, scale: 2)
    font.drawText(String(ascii.dropFirst(48)), x: 8, y: 36, scale: 2)
    font.drawText("×→−±·°µ… 0.25 -1e-5 f1_macro (x): 97%", x: 8, y: 64, scale: 2)
    font.drawText("scale 1: The quick brown fox jumps over the lazy dog 0123456789", x: 8, y: 96)
    try font.write(to: folder.appendingPathComponent("font.png"))
    written.append(folder.appendingPathComponent("font.png"))

    for url in written {
        let image = try PNGWriter.read(url)
        #expect(image.format == .rgb && image.width >= 100, "\(url.lastPathComponent)")
        // A drawn chart is not blank: it holds dark (text) and light (background) pixels.
        let levels = stride(from: 0, to: image.bytes.count, by: 3).map { image.bytes[$0] }
        #expect(levels.contains { $0 < 80 } && levels.contains { $0 > 240 }, "\(url.lastPathComponent)")
    }
}
