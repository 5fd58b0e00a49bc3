// ImageGrid: many small images tiled into one picture: digits, filters, samples.
//
// Input is a tensor of N grayscale images [N, H, W] (or [N, H, W, 1]) or N
// colour images [N, H, W, 3]. Values become bytes through a linear map of
// [lo, hi] onto [0, 255]:  byte = round(255 · clamp((v − lo) / (hi − lo), 0, 1)),
// with lo…hi the minimum and maximum over all images (`.global`, so images
// stay comparable), over each image alone (`.perImage`, so faint filters
// still show), or a given range (`.fixed`, e.g. 0…1 for pixel data). NaN
// becomes lo. Each pixel is drawn as an `upscale × upscale` block; tiles are
// laid out left to right, top to bottom, `columns` per row, `padding` pixels
// apart, each with an optional caption underneath (e.g. "7→1" for a
// misclassified digit, in red via `captionColors`).

import Foundation

/// Tiles a batch of small images into one canvas, with optional captions.
public struct ImageGrid: Sendable {
    /// How image values are mapped to pixel intensities.
    public enum Scaling: Sendable {
        /// One range for all images: their overall minimum and maximum.
        case global
        /// Each image stretched over its own minimum and maximum.
        case perImage
        /// A given range (values outside are clamped).
        case fixed(ClosedRange<Float>)
    }

    /// The images: [N, H, W], [N, H, W, 1] or [N, H, W, 3].
    public private(set) var images: Tensor
    /// Tiles per row.
    public var columns: Int
    /// Pixels between tiles and around the grid.
    public var padding = 4
    /// Each image pixel becomes an upscale × upscale block.
    public var upscale = 2
    /// How values become intensities.
    public var scaling = Scaling.global
    /// One caption per image, drawn under its tile (nil: no captions).
    public var captions: [String]?
    /// Caption colours, one per image (nil: all ink).
    public var captionColors: [RGBColor]?
    /// Text above the grid.
    public var title = ""
    /// Colour between the tiles.
    public var background = RGBColor.white

    /// A grid of `images` with `columns` tiles per row.
    public init(images: Tensor, columns: Int = 8) {
        precondition(images.rank == 3 || (images.rank == 4 && (images.shape[3] == 1 || images.shape[3] == 3)),
                     "ImageGrid: needs [N, H, W], [N, H, W, 1] or [N, H, W, 3], got shape \(images.shape)")
        precondition(images.shape[0] > 0 && images.shape[1] > 0 && images.shape[2] > 0,
                     "ImageGrid: needs at least one image of positive size, got shape \(images.shape)")
        precondition(columns >= 1, "ImageGrid: columns must be at least 1, got \(columns)")
        self.images = images
        self.columns = columns
    }

    /// Draws the grid.
    public func render() -> Canvas {
        let n = images.shape[0], h = images.shape[1], w = images.shape[2]
        let channels = images.rank == 4 ? images.shape[3] : 1
        if let captions {
            precondition(captions.count == n, "ImageGrid: \(captions.count) captions for \(n) images")
        }
        precondition(upscale >= 1 && padding >= 0, "ImageGrid: upscale ≥ 1 and padding ≥ 0 needed, got \(upscale), \(padding)")
        let tileWidth = w * upscale, tileHeight = h * upscale
        // Captions at scale 2 when they all fit the tile width, else scale 1.
        let captionScale = (captions ?? []).allSatisfy { BitmapFont.width(of: $0, scale: 2) <= tileWidth } ? 2 : 1
        let captionWidth = (captions ?? []).map { BitmapFont.width(of: $0, scale: captionScale) }.max() ?? 0
        let captionBand = captions == nil ? 0 : BitmapFont.cellHeight * captionScale + 2
        let cellWidth = max(tileWidth, captionWidth), cellHeight = tileHeight + captionBand
        let rows = (n + columns - 1) / columns, shownColumns = min(columns, n)
        let titleBand = title.isEmpty ? 0 : BitmapFont.cellHeight * 2 + padding
        let canvasWidth = max(shownColumns * (cellWidth + padding) + padding,
                              title.isEmpty ? 0 : BitmapFont.width(of: title, scale: 2) + 2 * padding)
        var canvas = Canvas(width: canvasWidth, height: titleBand + rows * (cellHeight + padding) + padding,
                            background: background)
        if !title.isEmpty {
            canvas.drawText(title, x: canvasWidth / 2, y: padding, scale: 2, alignment: .center, bold: true)
        }

        let pixelsPerImage = h * w * channels
        images.withUnsafeBufferPointer { values in
            let globalRange = ImageGrid.finiteRange(values[...])
            for index in 0..<n {
                let image = values[(index * pixelsPerImage)..<((index + 1) * pixelsPerImage)]
                let (lo, hi): (Float, Float)
                switch scaling {
                case .global: (lo, hi) = globalRange
                case .perImage: (lo, hi) = ImageGrid.finiteRange(image)
                case .fixed(let range): (lo, hi) = (range.lowerBound, range.upperBound)
                }
                let left = padding + (index % columns) * (cellWidth + padding)
                let top = titleBand + padding + (index / columns) * (cellHeight + padding)
                let tile = ImageGrid.tile(image, height: h, width: w, channels: channels, lo: lo, hi: hi, upscale: upscale)
                canvas.draw(tile, x: left + (cellWidth - tileWidth) / 2, y: top)
                if let captions {
                    canvas.drawText(captions[index], x: left + cellWidth / 2 + 1, y: top + tileHeight + 3,
                                    scale: captionScale, color: captionColors.map { $0[index % $0.count] } ?? .ink,
                                    alignment: .center)
                }
            }
        }
        return canvas
    }

    /// Draws the grid and writes it as a PNG file.
    public func write(to url: URL) throws(PlotError) {
        try render().write(to: url)
    }

    /// The smallest and largest finite values (0…1 when there are none).
    static func finiteRange(_ values: Slice<UnsafeBufferPointer<Float>>) -> (Float, Float) {
        var lo = Float.infinity, hi = -Float.infinity
        for v in values where v.isFinite {
            lo = min(lo, v)
            hi = max(hi, v)
        }
        return lo <= hi ? (lo, hi) : (0, 1)
    }

    /// One image as an upscaled RGB canvas, values mapped from lo…hi to 0…255.
    static func tile(_ image: Slice<UnsafeBufferPointer<Float>>, height h: Int, width w: Int, channels: Int,
                     lo: Float, hi: Float, upscale: Int) -> Canvas {
        var tile = Canvas(width: w * upscale, height: h * upscale)
        let scale = hi > lo ? 255 / (hi - lo) : 0
        let base = image.startIndex
        for y in 0..<h {
            for x in 0..<w {
                var bytes: [UInt8] = [0, 0, 0]
                for c in 0..<3 {
                    let v = image[base + (y * w + x) * channels + (channels == 3 ? c : 0)]
                    // A flat image (hi == lo) shows mid-gray; NaN shows as lo.
                    let level = hi > lo ? (v.isNaN ? 0 : min(max((v - lo) * scale, 0), 255)) : 128
                    bytes[c] = UInt8(level.rounded())
                }
                tile.fillRect(PixelRect(x: x * upscale, y: y * upscale, width: upscale, height: upscale),
                              color: RGBColor(red: bytes[0], green: bytes[1], blue: bytes[2]))
            }
        }
        return tile
    }
}
