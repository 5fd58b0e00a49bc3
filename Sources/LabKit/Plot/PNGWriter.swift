// PNGWriter: 8-bit grayscale, RGB and RGBA images to PNG files (and back), through libpng.
//
// A PNG stores rows of pixels, each row filtered (predicted from its
// neighbours) and the whole stream deflate-compressed, inside chunks with
// CRCs. libpng does all of that; we use its "simplified API" (libpng ≥ 1.6):
// fill a `png_image` header (width, height, format), hand over the pixel
// buffer, and read errors from `png_image.message`. The classic API reports
// errors with setjmp/longjmp, which Swift cannot use safely; the simplified
// API catches them inside libpng and returns 0 instead.
//
// Pixels are bytes in row-major order, top row first, channels interleaved
// (R, G, B for RGB), 0 = black and 255 = full intensity, sRGB-encoded as
// every screen expects. Files are written atomically (temporary file + rename,
// DataFile.writeAtomically), so a half-written PNG is never seen.

import CPNG
import Foundation

/// How the bytes of one pixel are laid out.
public enum PixelFormat: Sendable, Equatable {
    /// One byte per pixel: luminance.
    case gray
    /// Three bytes per pixel: red, green, blue.
    case rgb
    /// Four bytes per pixel: red, green, blue, alpha (255 = opaque, not premultiplied).
    case rgba

    /// Bytes per pixel.
    public var channels: Int {
        switch self {
        case .gray: return 1
        case .rgb: return 3
        case .rgba: return 4
        }
    }

    /// libpng's `PNG_FORMAT_*` code for 8-bit samples.
    var libpngFormat: UInt32 {
        switch self {
        case .gray: return UInt32(PNG_FORMAT_GRAY)
        case .rgb: return UInt32(PNG_FORMAT_RGB)
        case .rgba: return UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)  // PNG_FORMAT_RGBA (not imported: a compound macro)
        }
    }
}

/// An 8-bit image in memory: `width × height` pixels of `format`, top row first.
public struct PixelImage: Sendable, Equatable {
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int
    /// Channel layout of each pixel.
    public var format: PixelFormat
    /// `height · width · format.channels` bytes, row-major, channels interleaved.
    public var bytes: [UInt8]

    /// An image over existing bytes; `bytes.count` must be `width · height · format.channels`.
    public init(width: Int, height: Int, format: PixelFormat, bytes: [UInt8]) {
        precondition(width > 0 && height > 0, "PixelImage: size must be positive, got \(width)×\(height)")
        precondition(bytes.count == width * height * format.channels,
                     "PixelImage: \(width)×\(height) \(format) needs \(width * height * format.channels) bytes, got \(bytes.count)")
        self.width = width
        self.height = height
        self.format = format
        self.bytes = bytes
    }

    /// The channels of pixel (x, y): one value for gray, three for RGB, four for RGBA.
    public func pixel(x: Int, y: Int) -> [UInt8] {
        precondition(x >= 0 && x < width && y >= 0 && y < height,
                     "PixelImage.pixel: (\(x), \(y)) outside \(width)×\(height)")
        let start = (y * width + x) * format.channels
        return Array(bytes[start..<start + format.channels])
    }
}

/// Encodes images as PNG (in memory or to a file) and decodes PNG files, with libpng.
public enum PNGWriter {
    /// The PNG bytes of `image`. `path` only labels errors.
    public static func encode(_ image: PixelImage, path: String = "<memory>") throws(PlotError) -> Data {
        var header = png_image()  // all zero: `opaque` must start as NULL
        header.version = UInt32(PNG_IMAGE_VERSION)
        header.width = UInt32(image.width)
        header.height = UInt32(image.height)
        header.format = image.format.libpngFormat
        let rowStride = Int32(image.width * image.format.channels)

        // Deflate output is almost always smaller than the raw pixels; start with
        // raw size + slack, and if libpng reports it needs more, retry once with that.
        var capacity = image.bytes.count + image.height + 1024
        for _ in 0..<2 {
            var output = Data(count: capacity)
            var written = capacity
            let ok = output.withUnsafeMutableBytes { out in
                image.bytes.withUnsafeBytes { pixels in
                    png_image_write_to_memory(&header, out.baseAddress, &written, 0,
                                              pixels.baseAddress, rowStride, nil)
                }
            }
            if ok != 0 {
                output.count = written
                return output
            }
            if written <= capacity {
                // Size unchanged: a real error, described in header.message.
                throw .libpng(path: path, message: message(of: &header))
            }
            capacity = written
            png_image_free(&header)
        }
        throw .libpng(path: path, message: "the encoder needed more memory than it announced")
    }

    /// Writes `image` as a PNG file at `url`, creating missing folders; the file appears atomically.
    public static func write(_ image: PixelImage, to url: URL) throws(PlotError) {
        let data = try encode(image, path: url.path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw .cannotCreateFolder(path: url.path, reason: reason(of: error))
        }
        do {
            try DataFile.writeAtomically(data, to: url.path)
        } catch {
            throw .cannotWriteFile(path: url.path, reason: reason(of: error))
        }
    }

    /// Reads the PNG file at `url`, converted to `format` (by default gray, RGB or RGBA as stored).
    ///
    /// Colour-mapped and 16-bit files are converted to 8-bit samples; an alpha channel
    /// dropped by the conversion is composited onto black.
    public static func read(_ url: URL, as format: PixelFormat? = nil) throws(PlotError) -> PixelImage {
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw .cannotReadFile(path: url.path, reason: "no readable file at this path")
        }
        var header = png_image()
        header.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&header, url.path) != 0 else {
            throw .libpng(path: url.path, message: message(of: &header))
        }
        let stored = header.format
        let isColor = stored & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
        let hasAlpha = stored & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
        let target = format ?? (hasAlpha ? .rgba : (isColor ? .rgb : .gray))
        header.format = target.libpngFormat
        let width = Int(header.width), height = Int(header.height)
        var bytes = [UInt8](repeating: 0, count: width * height * target.channels)
        let ok = bytes.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&header, nil, buffer.baseAddress, Int32(width * target.channels), nil)
        }
        guard ok != 0 else {
            throw .libpng(path: url.path, message: message(of: &header))
        }
        return PixelImage(width: width, height: height, format: target, bytes: bytes)
    }

    /// The most specific explanation of a file-system error (the POSIX one when Foundation wraps it).
    static func reason(of error: any Error) -> String {
        if let dataError = error as? DataError {
            if case .ioFailure(_, let reason) = dataError { return reason }
            return dataError.description
        }
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return nsError.localizedDescription
    }

    /// libpng's message (a NUL-terminated `char[64]` inside the header), then frees libpng's state.
    private static func message(of header: inout png_image) -> String {
        let text = withUnsafeBytes(of: header.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        png_image_free(&header)
        return text.isEmpty ? "unknown libpng error" : text
    }
}
