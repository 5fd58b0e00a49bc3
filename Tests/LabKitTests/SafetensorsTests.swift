import Foundation
import Testing
@testable import LabKit
@testable import TensorIO

/// The bytes of a safetensors file: header length, JSON header text, buffer.
func safetensorsBytes(header: String, buffer: [UInt8], declaredLength: UInt64? = nil) -> Data {
    let json = Array(header.utf8)
    return Data(littleEndianBytes(declaredLength ?? UInt64(json.count)) + json + buffer)
}

/// Little-endian float32 bytes of some numbers.
func float32Bytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { littleEndianBytes($0.bitPattern) }
}

@Suite struct SafetensorsTests {
    @Test func roundTripKeepsNamesShapesValuesAndMetadata() throws {
        let folder = TemporaryFolder()
        let tensors: [String: Tensor] = [
            "fc.weight": Tensor.normal([3, 2], seed: 1),
            "fc.bias": Tensor([0.5, -1, 2]),
            "scale": Tensor(3),
            "empty": Tensor.zeros([0, 4]),
            "embed/tokens": Tensor.uniform([4, 5, 2], seed: 2),
        ]
        let path = folder.file("model.safetensors")
        try Safetensors.write(tensors, metadata: ["step": "1000", "format": "pt"], to: path)
        let file = try Safetensors.read(contentsOf: path)
        #expect(Set(file.tensors.keys) == Set(tensors.keys))
        for (name, tensor) in tensors {
            #expect(file.tensors[name]?.shape == tensor.shape, "\(name)")
            #expect(file.tensors[name]?.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern), "\(name)")
        }
        #expect(file.metadata == ["step": "1000", "format": "pt"])
        #expect(folder.contents() == ["model.safetensors"])      // the temporary file was renamed away
    }

    @Test func layoutIsSortedAlignedAndTiled() throws {
        let data = Safetensors.encode(["b": Tensor([1, 2]), "a": Tensor([3])])
        let headerLength = Int(data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        #expect(headerLength % 8 == 0)
        #expect(data.count == 8 + headerLength + 12)
        let header = try #require(try JSONSerialization.jsonObject(with: data[8..<(8 + headerLength)]) as? [String: Any])
        let a = try #require(header["a"] as? [String: Any])
        let b = try #require(header["b"] as? [String: Any])
        #expect(a["dtype"] as? String == "F32")
        #expect(a["data_offsets"] as? [Int] == [0, 4])        // "a" sorts first
        #expect(b["data_offsets"] as? [Int] == [4, 12])
        #expect(b["shape"] as? [Int] == [2])
        // The only metadata is the buffer's CRC-32 (zlib's crc32 of the 12 bytes below).
        #expect(header["__metadata__"] as? [String: String] == [Safetensors.checksumKey: Safetensors.crc32Text(Data(float32Bytes([3, 1, 2])))])
        // The buffer holds a's value, then b's.
        #expect(Array(data.suffix(12)) == float32Bytes([3, 1, 2]))
    }

    @Test("CRC-32 of known strings (the check value of the CRC-32 standard)")
    func crc32KnownValues() {
        #expect(Safetensors.crc32Text(Data("123456789".utf8)) == "cbf43926")
        #expect(Safetensors.crc32Text(Data()) == "00000000")
    }

    @Test("A flipped byte in the tensor data is refused with checksumMismatch; files without a checksum still read")
    func damagedDataIsRefusedByTheChecksum() throws {
        let tensors = ["w": Tensor.normal([4, 5], seed: 3), "b": Tensor([1, 2, 3])]
        let data = Safetensors.encode(tensors, metadata: ["step": "7"])
        let decoded = try Safetensors.decode(data, path: "ok")
        #expect(decoded.metadata == ["step": "7"])   // the checksum entry is not handed back
        for position in [data.count - 1, data.count - 50, data.count - 92] {
            var damaged = data
            damaged[position] ^= 0x10
            #expect { try Safetensors.decode(damaged, path: "d") } throws: { ($0 as? DataError)?.kind == .checksumMismatch }
        }
        // A file written elsewhere (no mllab.crc32) is read without a check.
        let foreign = safetensorsBytes(header: #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, buffer: float32Bytes([1, 2]))
        #expect(try Safetensors.decode(foreign, path: "f").tensors["x"]?.scalars == [1, 2])
    }

    @Test("A save removes the temporary files of writers that were killed, not those of live ones")
    func leftoversOfKilledWritersAreRemoved() throws {
        let folder = TemporaryFolder()
        let path = folder.file("w.safetensors")
        let finished = Process()   // a process that has ended: its id names a writer that is gone
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let gone = ".w.safetensors.\(finished.processIdentifier)-17.tmp"
        let live = ".w.safetensors.\(ProcessInfo.processInfo.processIdentifier)-18.tmp"
        let other = ".x.safetensors.\(finished.processIdentifier)-19.tmp"
        for name in [gone, live, other] { _ = FileManager.default.createFile(atPath: folder.file(name), contents: Data([1])) }
        try Safetensors.write(["x": Tensor([1])], to: path)
        #expect(Set(folder.contents()) == ["w.safetensors", live, other])
    }

    @Test func overwritingAnExistingFileIsAtomic() throws {
        let folder = TemporaryFolder()
        let path = folder.file("w.safetensors")
        try Safetensors.write(["x": Tensor([1])], to: path)
        try Safetensors.write(["y": Tensor([2, 3])], to: path)
        let file = try Safetensors.read(contentsOf: path)
        #expect(Array(file.tensors.keys) == ["y"])
        #expect(folder.contents() == ["w.safetensors"])
        expectDataError(.fileNotFound) { try Safetensors.write(["x": Tensor([1])], to: folder.file("missing/w.safetensors")) }
    }

    @Test func readsHalfBFloatDoubleAndIntegerDtypes() throws {
        let header = """
            {"h": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]},
             "b": {"dtype": "BF16", "shape": [2], "data_offsets": [4, 8]},
             "d": {"dtype": "F64", "shape": [1], "data_offsets": [8, 16]},
             "l": {"dtype": "I64", "shape": [1], "data_offsets": [16, 24]},
             "i": {"dtype": "I32", "shape": [1, 1], "data_offsets": [24, 28]},
             "u": {"dtype": "U8", "shape": [2], "data_offsets": [28, 30]},
             "z": {"dtype": "BOOL", "shape": [2], "data_offsets": [30, 32]}}
            """
        var buffer: [UInt8] = []
        buffer += littleEndianBytes(UInt16(0x3C00)) + littleEndianBytes(UInt16(0x7C00))     // 1.0, +infinity
        buffer += littleEndianBytes(UInt16(0x3FC0)) + littleEndianBytes(UInt16(0xC040))     // 1.5, -3.0 in bfloat16
        buffer += littleEndianBytes(Double(-0.125).bitPattern)
        buffer += littleEndianBytes(Int64(-9))
        buffer += littleEndianBytes(Int32(77))
        buffer += [200, 7, 0, 1]
        let file = try Safetensors.decode(safetensorsBytes(header: header, buffer: buffer), path: "dtypes")
        #expect(file.tensors["h"]?.scalars == [1, .infinity])
        #expect(file.tensors["b"]?.scalars == [1.5, -3])
        #expect(file.tensors["d"]?.scalars == [-0.125])
        #expect(file.tensors["l"]?.scalars == [-9])
        #expect(file.tensors["i"]?.shape == [1, 1] && file.tensors["i"]?.item == 77)
        #expect(file.tensors["u"]?.scalars == [200, 7])
        #expect(file.tensors["z"]?.scalars == [0, 1])
        #expect(file.metadata.isEmpty)
    }

    @Test func halfPrecisionConversionMatchesAReference() {
        // Every one of the 65,536 half-precision bit patterns against a direct evaluation of the definition.
        var mismatches = 0
        for bits in 0...UInt16.max {
            let sign: Double = bits >> 15 == 0 ? 1 : -1
            let exponent = Int(bits >> 10) & 0x1f, fraction = Double(bits & 0x3ff)
            let expected: Double
            switch exponent {
            case 0: expected = sign * fraction * pow(2, -24)
            case 31: expected = fraction == 0 ? sign * .infinity : .nan
            default: expected = sign * (1 + fraction / 1024) * pow(2, Double(exponent - 15))
            }
            let got = StoredScalar.floatFromHalf(bits)
            if expected.isNaN ? !got.isNaN : Double(got) != expected || got.sign != (sign < 0 ? .minus : .plus) {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }

    // MARK: Malformed files

    @Test func headerLengthPastTheEndIsReported() {
        let data = safetensorsBytes(header: "{}", buffer: [], declaredLength: 1 << 40)
        let error = expectDataError(.truncated) { try Safetensors.decode(data, path: "h") }
        if case .truncated(_, let offset, let expected, let available)? = error {
            #expect(offset == 8 && expected == 1 << 40 && available == 2)
        }
        expectDataError(.truncated) { try Safetensors.decode(safetensorsBytes(header: "", buffer: [], declaredLength: .max), path: "max") }
        expectDataError(.truncated) { try Safetensors.decode(Data([1, 0, 0]), path: "short") }
    }

    @Test func invalidJSONIsReported() {
        for header in ["{\"a\": ", "not json", "[1, 2]", "\"text\""] {
            expectDataError(.badHeader) { try Safetensors.decode(safetensorsBytes(header: header, buffer: []), path: header) }
        }
    }

    @Test func offsetsOutOfRangeAreReported() {
        let header = #"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}"#
        let error = expectDataError(.truncated) {
            try Safetensors.decode(safetensorsBytes(header: header, buffer: float32Bytes([1])), path: "range")
        }
        if case .truncated(_, _, let expected, let available)? = error { #expect(expected == 8 && available == 4) }
        let reversed = #"{"w": {"dtype": "F32", "shape": [0], "data_offsets": [4, 0]}}"#
        expectDataError(.badEntry) { try Safetensors.decode(safetensorsBytes(header: reversed, buffer: float32Bytes([1])), path: "rev") }
        let negative = #"{"w": {"dtype": "F32", "shape": [1], "data_offsets": [-4, 0]}}"#
        expectDataError(.badEntry) { try Safetensors.decode(safetensorsBytes(header: negative, buffer: []), path: "neg") }
    }

    @Test func overlappingOrGappedOffsetsAreReported() {
        let overlapping = """
            {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
             "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}
            """
        let overlap = expectDataError(.badEntry) {
            try Safetensors.decode(safetensorsBytes(header: overlapping, buffer: float32Bytes([1, 2, 3])), path: "o")
        }
        #expect(overlap?.description.contains("overlap") == true)
        let gapped = """
            {"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
             "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}
            """
        let gap = expectDataError(.badEntry) {
            try Safetensors.decode(safetensorsBytes(header: gapped, buffer: float32Bytes([1, 2, 3])), path: "g")
        }
        #expect(gap?.description.contains("unused") == true)
        // Bytes no tensor claims at the end of the buffer.
        let single = #"{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}"#
        expectDataError(.trailingBytes) {
            try Safetensors.decode(safetensorsBytes(header: single, buffer: float32Bytes([1, 2])), path: "t")
        }
    }

    @Test func shapeNotMatchingByteLengthIsReported() {
        let header = #"{"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}"#
        let error = expectDataError(.badEntry) {
            try Safetensors.decode(safetensorsBytes(header: header, buffer: float32Bytes([1, 2])), path: "s")
        }
        #expect(error?.description.contains("needs 12 bytes") == true)
        let huge = #"{"w": {"dtype": "F64", "shape": [4294967296, 4294967296], "data_offsets": [0, 8]}}"#
        expectDataError(.badEntry) { try Safetensors.decode(safetensorsBytes(header: huge, buffer: float32Bytes([1, 2])), path: "huge") }
        let fractional = #"{"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}}"#
        expectDataError(.badEntry) { try Safetensors.decode(safetensorsBytes(header: fractional, buffer: float32Bytes([1])), path: "frac") }
    }

    @Test func unknownDtypeIsReported() {
        let header = #"{"w": {"dtype": "F8_E4M3", "shape": [1], "data_offsets": [0, 1]}}"#
        let error = expectDataError(.unsupported) { try Safetensors.decode(safetensorsBytes(header: header, buffer: [0]), path: "f8") }
        #expect(error?.description.contains("F8_E4M3") == true)
    }

    @Test func badMetadataAndEntriesAreReported() {
        let metadata = #"{"__metadata__": {"step": 1000}}"#
        expectDataError(.badEntry) { try Safetensors.decode(safetensorsBytes(header: metadata, buffer: []), path: "meta") }
        let notObject = #"{"w": [1, 2]}"#
        expectDataError(.badEntry) { try Safetensors.decode(safetensorsBytes(header: notObject, buffer: []), path: "obj") }
        let noDtype = #"{"w": {"shape": [1], "data_offsets": [0, 4]}}"#
        expectDataError(.badEntry) { try Safetensors.decode(safetensorsBytes(header: noDtype, buffer: float32Bytes([1])), path: "dt") }
    }

    @Test func damagedFilesOnlyThrowDataErrors() {
        let original = Safetensors.encode(["a": Tensor([1, 2, 3]), "b": Tensor.ones([2, 2])], metadata: ["k": "v"])
        let outcome = expectOnlyDataErrors(damagedCopies(of: original, count: 3000, seed: 14)) {
            _ = try Safetensors.decode($0, path: "damaged.safetensors")
        }
        #expect(outcome.rejected > 1000)
    }

    @Test func truncatedAndEmptyFilesAreReported() {
        let data = Safetensors.encode(["a": Tensor([1, 2, 3]), "b": Tensor([4])])
        let cut = expectDataError(.truncated) { try Safetensors.decode(data.prefix(data.count - 2), path: "cut") }
        #expect(cut?.path == "cut")
        for length in 1..<data.count {
            #expect(throws: DataError.self) { try Safetensors.decode(data.prefix(length), path: "prefix") }
        }
        let folder = TemporaryFolder()
        expectDataError(.emptyFile) { try Safetensors.read(contentsOf: folder.write([UInt8](), to: "e.safetensors")) }
        expectDataError(.fileNotFound) { try Safetensors.read(contentsOf: folder.file("none.safetensors")) }
    }

    // MARK: An independent reader (only when python3 can import numpy)

    @Test(.enabled(if: TestEnvironment.hasNumPy, "needs python3 with numpy"))
    func pythonReadsOurFileByTheSpecification() throws {
        let folder = TemporaryFolder()
        let weight = Tensor.normal([4, 3], seed: 9)
        try Safetensors.write(["weight": weight, "bias": Tensor([1, 2, 3])], metadata: ["author": "labkit"], to: folder.file("m.safetensors"))
        // A reader written from the specification, with json and numpy only.
        let program = """
            import sys, json, struct, zlib, numpy as np
            raw = open(sys.argv[1], 'rb').read()
            n = struct.unpack('<Q', raw[:8])[0]
            assert n % 8 == 0
            header = json.loads(raw[8:8 + n])
            buffer = raw[8 + n:]
            assert header['__metadata__'] == {'author': 'labkit', 'mllab.crc32': '%08x' % zlib.crc32(buffer)}
            w = header['weight']
            begin, end = w['data_offsets']
            a = np.frombuffer(buffer[begin:end], dtype='<f4').reshape(w['shape'])
            print(a.shape[0], a.shape[1], ' '.join(str(int(x)) for x in a.view(np.uint32).ravel()))
            """
        let output = try TestEnvironment.runPython(program, arguments: [folder.file("m.safetensors")])
        let numbers = output.split(whereSeparator: \.isWhitespace).compactMap { UInt32($0) }
        #expect(Array(numbers.prefix(2)) == [4, 3])
        #expect(Array(numbers.dropFirst(2)) == weight.scalars.map(\.bitPattern))
    }
}
