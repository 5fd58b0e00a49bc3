// RGBColor: an sRGB colour with 8-bit channels, and the categorical palette of the charts.
//
// Mixing is linear interpolation per channel, c = a + t·(b − a), done on the
// sRGB-encoded bytes as most plotting libraries do. Luminance uses the Rec. 709
// weights 0.2126 R + 0.7152 G + 0.0722 B (on the encoded values: good enough to
// choose black or white text over a cell).

/// An opaque sRGB colour, 0…255 per channel.
public struct RGBColor: Sendable, Hashable {
    /// Red, 0…255.
    public var red: UInt8
    /// Green, 0…255.
    public var green: UInt8
    /// Blue, 0…255.
    public var blue: UInt8

    /// A colour from its three channels.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A colour from a 24-bit `0xRRGGBB` number, as written in CSS.
    public init(hex: UInt32) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }

    /// A gray with all three channels equal to `level`.
    public init(gray level: UInt8) {
        self.init(red: level, green: level, blue: level)
    }

    public static let black = RGBColor(gray: 0)
    public static let white = RGBColor(gray: 255)
    /// The colour of text and axes: a very dark gray, softer than pure black.
    public static let ink = RGBColor(gray: 34)
    /// Tick labels and secondary text.
    public static let darkGray = RGBColor(gray: 80)
    /// Frames and separators.
    public static let midGray = RGBColor(gray: 150)
    /// Grid lines.
    public static let lightGray = RGBColor(gray: 228)

    /// `self` moved a fraction `amount` (0…1) of the way towards `other`.
    public func mixed(with other: RGBColor, amount: Double) -> RGBColor {
        let t = min(max(amount, 0), 1)
        func channel(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8((Double(a) + t * (Double(b) - Double(a))).rounded())
        }
        return RGBColor(red: channel(red, other.red), green: channel(green, other.green), blue: channel(blue, other.blue))
    }

    /// Relative luminance in 0…1 (Rec. 709 weights on the encoded channels).
    public var luminance: Double {
        (0.2126 * Double(red) + 0.7152 * Double(green) + 0.0722 * Double(blue)) / 255
    }

    /// Ten distinct colours for series and classes, chosen to stay apart on white.
    public static let palette: [RGBColor] = [
        RGBColor(hex: 0x2F6EBA),  // blue
        RGBColor(hex: 0xE8771E),  // orange
        RGBColor(hex: 0x3A9A3F),  // green
        RGBColor(hex: 0xCF3A34),  // red
        RGBColor(hex: 0x8659B8),  // purple
        RGBColor(hex: 0x8C5A44),  // brown
        RGBColor(hex: 0xD46AAE),  // pink
        RGBColor(hex: 0x6E6E6E),  // gray
        RGBColor(hex: 0xA8A523),  // olive
        RGBColor(hex: 0x1FA5B8),  // cyan
    ]

    /// The palette colour for series or class number `index` (cycling after ten).
    public static func palette(_ index: Int) -> RGBColor {
        let n = palette.count
        return palette[((index % n) + n) % n]
    }
}
