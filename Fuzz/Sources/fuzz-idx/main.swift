// Fuzzes the IDX reader (MNIST's format) on bytes, inflating gzip first as DataFile.readDecompressing does.
import Foundation
import FuzzSupport
import Tensor
import TensorIO

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzInput(bytes, size) { data in
        let raw = Gzip.isCompressed(data) ? try Gzip.decompress(data, path: "fuzz.idx") : data
        _ = try IDX.decode(raw, path: "fuzz.idx")
    }
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
    writeSeedsIfAsked {
        /// An IDX file: 0, 0, the type code, the rank, big-endian 32-bit sizes, then the big-endian values.
        func idx(_ type: UInt8, _ shape: [UInt32], _ values: [UInt8]) -> Data {
            var bytes: [UInt8] = [0, 0, type, UInt8(shape.count)]
            for size in shape { bytes += withUnsafeBytes(of: size.bigEndian, Array.init) }
            return Data(bytes + values)
        }
        let images = idx(0x08, [2, 3, 3], (0..<18).map { UInt8($0 * 14) })
        return [("ubyte-images.idx", images),
                ("ubyte-labels.idx", idx(0x08, [4], [3, 1, 4, 1])),
                ("sbyte.idx", idx(0x09, [3], [0xFF, 0, 5])),
                ("short.idx", idx(0x0B, [2], [0x01, 0x00, 0xFF, 0xFE])),
                ("int.idx", idx(0x0C, [1, 2], [0, 0, 1, 0, 0xFF, 0xFF, 0xFF, 0xFF])),
                ("float.idx", idx(0x0D, [2], [0x3F, 0x80, 0, 0, 0xC0, 0x00, 0, 0])),
                ("double.idx", idx(0x0E, [1], [0x3F, 0xF0, 0, 0, 0, 0, 0, 0])),
                ("images.idx.gz", Gzip.compress(images))]
    }
}
