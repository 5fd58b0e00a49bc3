// StoredScalar: the number types found in data files, and how each becomes a Float.
//
// Files store numbers as fixed-width bit patterns in a byte order: IDX is
// big-endian (most significant byte first), .npy and safetensors are usually
// little-endian. Reading element i of width w means loading the w bytes at
// offset i·w, swapping them into the machine's order, and converting:
//   integers  -> the nearest Float (exact up to 2^24)
//   float16   -> sign · 2^(e−15) · 1.m   (1 sign, 5 exponent, 10 fraction bits;
//                e = 0 gives the subnormals m · 2^−24, e = 31 gives inf/NaN)
//   bfloat16  -> the top 16 bits of a Float32: append 16 zero bits
//   float64   -> rounded to the nearest Float
// Every element is independent, so a long buffer is split across cores.

import Tensor

/// The byte order of a multi-byte number in a file.
enum ByteOrder: Sendable {
    case little, big
}

/// One stored number type, with its width and its conversion to `Float`.
enum StoredScalar: Sendable, Equatable {
    case bool, uint8, int8
    case int16(ByteOrder), int32(ByteOrder), int64(ByteOrder)
    case float16(ByteOrder), bfloat16(ByteOrder), float32(ByteOrder), float64(ByteOrder)

    /// Bytes per element.
    var byteCount: Int {
        switch self {
        case .bool, .uint8, .int8: return 1
        case .int16, .float16, .bfloat16: return 2
        case .int32, .float32: return 4
        case .int64, .float64: return 8
        }
    }

    /// Converts `count` elements stored at `source` into Floats at `out`, each divided by `divisor`
    /// (MNIST divides its pixels by 255, exactly as PyTorch's `ToTensor` does).
    /// The caller has checked that `source` holds `count · byteCount` readable bytes.
    func decode(_ source: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>, dividingBy divisor: Float = 1) {
        Parallel.forRanges(count, minimumPerThread: 1 << 20) { range in
            self.decode(range, from: source, into: out, divisor: divisor)
        }
    }

    /// The loop over one range of elements; one tight loop per stored type.
    private func decode(_ range: Range<Int>, from source: UnsafeRawPointer,
                        into out: UnsafeMutablePointer<Float>, divisor: Float) {
        switch self {
        case .bool:
            let bytes = source.assumingMemoryBound(to: UInt8.self)
            for i in range { out[i] = (bytes[i] == 0 ? 0 : 1) / divisor }
        case .uint8:
            let bytes = source.assumingMemoryBound(to: UInt8.self)
            for i in range { out[i] = Float(bytes[i]) / divisor }
        case .int8:
            for i in range { out[i] = Float(source.loadUnaligned(fromByteOffset: i, as: Int8.self)) / divisor }
        case .int16(let order):
            convert(range, source, out, divisor, order) { (bits: UInt16) in Float(Int16(bitPattern: bits)) }
        case .int32(let order):
            convert(range, source, out, divisor, order) { (bits: UInt32) in Float(Int32(bitPattern: bits)) }
        case .int64(let order):
            convert(range, source, out, divisor, order) { (bits: UInt64) in Float(Int64(bitPattern: bits)) }
        case .float16(let order):
            convert(range, source, out, divisor, order) { (bits: UInt16) in StoredScalar.floatFromHalf(bits) }
        case .bfloat16(let order):
            convert(range, source, out, divisor, order) { (bits: UInt16) in Float(bitPattern: UInt32(bits) << 16) }
        case .float32(let order):
            convert(range, source, out, divisor, order) { (bits: UInt32) in Float(bitPattern: bits) }
        case .float64(let order):
            convert(range, source, out, divisor, order) { (bits: UInt64) in Float(Double(bitPattern: bits)) }
        }
    }

    /// Loads each element's bits in the file's byte order and converts them; the order test is outside the loop.
    @inline(__always)
    private func convert<Bits: FixedWidthInteger>(_ range: Range<Int>, _ source: UnsafeRawPointer,
                                                  _ out: UnsafeMutablePointer<Float>, _ divisor: Float,
                                                  _ order: ByteOrder, _ toFloat: (Bits) -> Float) {
        let width = MemoryLayout<Bits>.size
        switch order {
        case .little:
            for i in range {
                out[i] = toFloat(Bits(littleEndian: source.loadUnaligned(fromByteOffset: i * width, as: Bits.self))) / divisor
            }
        case .big:
            for i in range {
                out[i] = toFloat(Bits(bigEndian: source.loadUnaligned(fromByteOffset: i * width, as: Bits.self))) / divisor
            }
        }
    }

    /// IEEE 754 half precision (binary16) to Float, from its bits.
    static func floatFromHalf(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 == 0 ? 1 : -1
        let exponent = UInt32(bits >> 10) & 0x1f
        let fraction = UInt32(bits) & 0x3ff
        switch exponent {
        case 0:
            return sign * Float(fraction) * 0x1p-24                  // zero and subnormals: m · 2^−24
        case 0x1f:
            let signBit = UInt32(bits & 0x8000) << 16
            return Float(bitPattern: signBit | 0x7f80_0000 | fraction << 13)   // inf and NaN
        default:
            let signBit = UInt32(bits & 0x8000) << 16
            return Float(bitPattern: signBit | (exponent + 112) << 23 | fraction << 13)  // rebias 15 -> 127
        }
    }
}
