// Fuzzes the safetensors reader (8-byte header length, JSON header, tensor bytes) on bytes.
import Foundation
import FuzzSupport
import Tensor
import TensorIO

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzInput(bytes, size) { data in _ = try Safetensors.decode(data, path: "fuzz.safetensors") }
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
    writeSeedsIfAsked {
        /// A file as another tool writes it: no checksum, dtypes other than F32.
        func foreign(_ header: String, _ buffer: [UInt8]) -> Data {
            Data(withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian, Array.init) + Array(header.utf8) + buffer)
        }
        return [("two-tensors.safetensors",
                 Safetensors.encode(["weight": Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), "bias": Tensor(shape: [2], scalars: [0.5, -0.5])],
                                    metadata: ["format": "pt"])),
                ("scalar.safetensors", Safetensors.encode(["step": Tensor(shape: [], scalars: [3])])),
                ("empty.safetensors", Safetensors.encode([:])),
                ("foreign-f16-i64.safetensors",
                 foreign(#"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"n":{"dtype":"I64","shape":[1],"data_offsets":[4,12]}}"#,
                         [0x00, 0x3C, 0x00, 0xC0, 7, 0, 0, 0, 0, 0, 0, 0]))]
    }
}
