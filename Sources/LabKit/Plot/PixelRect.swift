// PixelRect: an axis-aligned rectangle of whole pixels, x to the right, y down.
//
// It covers columns x ..< x + width and rows y ..< y + height, so two
// rectangles that share an edge do not overlap.

/// A rectangle of pixels: columns `x ..< x + width`, rows `y ..< y + height`.
public struct PixelRect: Sendable, Equatable {
    /// Left column.
    public var x: Int
    /// Top row.
    public var y: Int
    /// Number of columns (may be 0).
    public var width: Int
    /// Number of rows (may be 0).
    public var height: Int

    /// A rectangle from its top-left corner and size (negative sizes become 0).
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// One past the right column.
    public var maxX: Int { x + width }
    /// One past the bottom row.
    public var maxY: Int { y + height }
    /// True when the rectangle covers no pixel.
    public var isEmpty: Bool { width == 0 || height == 0 }

    /// True when pixel (px, py) is inside.
    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }

    /// The pixels in both rectangles (empty when they do not meet).
    public func intersection(_ other: PixelRect) -> PixelRect {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(maxX, other.maxX), bottom = min(maxY, other.maxY)
        return PixelRect(x: left, y: top, width: right - left, height: bottom - top)
    }

    /// The rectangle shrunk by `amount` pixels on every side (grown when negative).
    public func insetBy(_ amount: Int) -> PixelRect {
        PixelRect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    /// True when the two rectangles share at least one pixel.
    public func intersects(_ other: PixelRect) -> Bool { !intersection(other).isEmpty }
}
