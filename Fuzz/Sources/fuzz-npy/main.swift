// Fuzzes the .npy reader (NumPy's array format) on bytes.
import Foundation
import FuzzSupport
import Tensor
import TensorIO

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzInput(bytes, size) { data in _ = try NPY.decode(data, path: "fuzz.npy") }
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
    writeSeedsIfAsked {
        /// A version 1.0 file with a hand-written header (padded to 64 bytes) and raw little-endian values.
        func npy(_ header: String, _ values: [UInt8]) -> Data {
            var text = header
            while (10 + text.utf8.count + 1) % 64 != 0 { text += " " }
            text += "\n"
            let length = UInt16(text.utf8.count)
            return Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59] + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(text.utf8) + values)
        }
        return [("f4-matrix.npy", NPY.encode(Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 0, 1e-3, 7]))),
                ("f4-scalar.npy", NPY.encode(Tensor(shape: [], scalars: [42]))),
                ("f8.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])),
                ("i8-fortran.npy", npy("{'descr': '<i8', 'fortran_order': True, 'shape': (1, 1), }", [5, 0, 0, 0, 0, 0, 0, 0])),
                ("u1.npy", npy("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", [0, 128, 255]))]
    }
}
