// Gzip: inflating and deflating gzip files (RFC 1952) with zlib.
//
// A gzip file is a 10-byte header starting with the magic bytes 1f 8b, a
// DEFLATE stream (RFC 1951: LZ77 back-references + Huffman codes), and an
// 8-byte trailer: the CRC-32 of the uncompressed bytes and their length mod
// 2^32 (ISIZE). zlib does the work; `windowBits = 16 + 15` asks it for the
// gzip wrapper with the largest 32 KiB window, and it checks the CRC itself.
//
// The reader uses ISIZE as the first guess of the output size, so a 47 MB
// MNIST image file inflates into one buffer without regrowing. A file made of
// several gzip members one after another (what `cat a.gz b.gz` gives) inflates
// to the concatenation, as `gunzip` does. A stream that is cut short or damaged
// throws `DataError.corruptCompression`; it never stops the program. Since
// DEFLATE can expand 1032:1, the output is capped: `maximumSize` bytes at most
// (DataFile's default, half the memory), else `DataError.tooLarge`.

import CZlib
import Foundation
import Tensor

/// gzip compression and decompression through zlib.
public enum Gzip {
    /// True when `data` starts with the gzip magic bytes 1f 8b.
    public static func isCompressed(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
    }

    /// The uncompressed bytes of the gzip file held in `data`; `path` names it in errors.
    /// More than `maximumSize` uncompressed bytes throw `DataError.tooLarge`.
    public static func decompress(_ data: Data, path: String,
                                  maximumSize: Int = DataFile.defaultMaximumSize) throws -> Data {
        guard isCompressed(data) else {
            let found = data.prefix(2).map { String(format: "%02x", $0) }.joined(separator: " ")
            throw DataError.badMagic(path: path, found: found.isEmpty ? "nothing" : found, expected: "1f 8b (gzip)")
        }
        return try data.withUnsafeBytes { try inflateMembers($0, path: path, maximumSize: maximumSize) }
    }

    /// `data` compressed as one gzip member at `level` (0 = stored … 9 = smallest; 6 is gzip's default).
    public static func compress(_ data: Data, level: Int32 = 6) -> Data {
        precondition((0...9).contains(level), "Gzip.compress: level must be 0…9, got \(level)")
        var stream = z_stream()
        let status = deflateInit2_(&stream, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "Gzip.compress: zlib deflateInit2 failed with status \(status)")
        defer { deflateEnd(&stream) }

        var output = Data(count: Int(deflateBound(&stream, UInt(data.count))) + 64)
        var produced = 0
        data.withUnsafeBytes { input in
            var consumed = 0
            var finished = false
            while !finished {
                feedInput(&stream, input, consumed: &consumed)
                if produced == output.count { output.count *= 2 }
                let flush = consumed == input.count ? Z_FINISH : Z_NO_FLUSH
                let result = output.withUnsafeMutableBytes { out -> Int32 in
                    let room = min(out.count - produced, Int(UInt32.max))
                    stream.next_out = out.baseAddress!.advanced(by: produced).assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = UInt32(room)
                    let result = deflate(&stream, flush)
                    produced += room - Int(stream.avail_out)
                    return result
                }
                precondition(result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR,
                             "Gzip.compress: zlib deflate failed with status \(result)")
                finished = result == Z_STREAM_END
            }
        }
        output.count = produced
        return output
    }

    /// When zlib has used up its input, hands it the next chunk of `input` (at most 4 GiB,
    /// the most a z_stream counter holds) and advances `consumed`.
    private static func feedInput(_ stream: inout z_stream, _ input: UnsafeRawBufferPointer, consumed: inout Int) {
        guard stream.avail_in == 0 && consumed < input.count else { return }
        let chunk = min(input.count - consumed, Int(UInt32.max))
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.advanced(by: consumed)
            .assumingMemoryBound(to: Bytef.self))
        stream.avail_in = UInt32(chunk)
        consumed += chunk
    }

    /// Inflates every gzip member in `input`, one after another.
    private static func inflateMembers(_ input: UnsafeRawBufferPointer, path: String, maximumSize: Int) throws -> Data {
        var stream = z_stream()
        let status = inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw DataError.ioFailure(path: path, reason: "zlib could not start inflating (status \(status))")
        }
        defer { inflateEnd(&stream) }

        // One byte more than the limit: filling it proves the output is too large.
        let capacityLimit = maximumSize == Int.max ? maximumSize : maximumSize + 1
        var output = Data(count: min(initialCapacity(for: input), capacityLimit))
        var produced = 0
        var consumed = 0          // input bytes handed to zlib so far
        while true {
            feedInput(&stream, input, consumed: &consumed)
            if produced == output.count {
                let doubled = output.count <= Int.max / 2 ? 2 * output.count : Int.max
                output.count = min(capacityLimit, max(1024, doubled))
            }
            let result = output.withUnsafeMutableBytes { out -> Int32 in
                let room = min(out.count - produced, Int(UInt32.max))
                stream.next_out = out.baseAddress!.advanced(by: produced).assumingMemoryBound(to: Bytef.self)
                stream.avail_out = UInt32(room)
                let result = inflate(&stream, Z_NO_FLUSH)
                produced += room - Int(stream.avail_out)
                return result
            }
            if produced > maximumSize {
                throw DataError.tooLarge(path: path, position: .byte(0), what: "the inflated data", limit: maximumSize)
            }
            let unread = Int(stream.avail_in) + (input.count - consumed)
            switch result {
            case Z_OK:
                continue
            case Z_STREAM_END:
                if unread == 0 {
                    output.count = produced
                    return output
                }
                let next = input.count - unread
                if unread >= 2 && input[next] == 0x1f && input[next + 1] == 0x8b {
                    inflateReset(&stream)     // another gzip member follows
                    continue
                }
                throw DataError.trailingBytes(path: path, offset: next, count: unread)
            case Z_BUF_ERROR:
                // No progress was possible: either the output is full (grown above) or the input ran out.
                if unread == 0 {
                    throw DataError.corruptCompression(
                        path: path, reason: "the stream ends before its end marker after \(input.count) bytes (the file is truncated)")
                }
            case Z_MEM_ERROR:
                throw DataError.ioFailure(path: path, reason: "out of memory while inflating")
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(result)"
                throw DataError.corruptCompression(
                    path: path, reason: "\(message) near compressed byte \(input.count - unread)")
            }
        }
    }

    /// The output size to start with: ISIZE from the trailer when it is plausible
    /// (DEFLATE cannot expand more than 1032:1), else four times the input.
    private static func initialCapacity(for input: UnsafeRawBufferPointer) -> Int {
        let fallback = 4 * input.count + 1024
        guard input.count >= 18 else { return fallback }
        let size = Int(UInt32(littleEndian: input.loadUnaligned(fromByteOffset: input.count - 4, as: UInt32.self)))
        if size > 0 && size <= input.count * 1032 { return size + 1024 }
        return fallback
    }
}
