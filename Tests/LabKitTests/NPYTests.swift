import Foundation
import Testing
@testable import LabKit
@testable import TensorIO

/// The bytes of an .npy file with a given header text (padded to 64 like NumPy) and data.
func npyBytes(header: String, data: [UInt8], version: UInt8 = 1) -> [UInt8] {
    let lengthWidth = version == 1 ? 2 : 4
    let unpadded = 6 + 2 + lengthWidth + header.utf8.count + 1
    let text = header + String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    let length = version == 1 ? littleEndianBytes(UInt16(text.utf8.count)) : littleEndianBytes(UInt32(text.utf8.count))
    return [0x93] + Array("NUMPY".utf8) + [version, 0] + length + Array(text.utf8) + data
}

@Suite struct NPYTests {
    @Test func roundTripKeepsShapeAndValues() throws {
        let folder = TemporaryFolder()
        let cases = [
            Tensor.uniform([3, 4], low: -2, high: 2, seed: 1),
            Tensor([1.5, -0, .infinity, .leastNonzeroMagnitude, .nan]),
            Tensor(42),
            Tensor.zeros([2, 0, 3]),
            Tensor.uniform([2, 3, 4, 5], seed: 2),
        ]
        for (i, tensor) in cases.enumerated() {
            let path = folder.file("t\(i).npy")
            try NPY.write(tensor, to: path)
            let back = try NPY.read(contentsOf: path)
            #expect(back.shape == tensor.shape)
            #expect(back.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern))
        }
        #expect(folder.contents() == (0..<cases.count).map { "t\($0).npy" })   // no temporary files left
    }

    @Test func headerIsNumPysDictPaddedTo64Bytes() {
        let data = NPY.encode(Tensor.zeros([3, 4]))
        #expect(Array(data.prefix(8)) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"))
        #expect(header.hasSuffix(" \n"))
        #expect(data.count == 10 + headerLength + 48)
        let vector = String(decoding: NPY.encode(Tensor([1, 2])).dropFirst(10), as: UTF8.self)
        #expect(vector.contains("'shape': (2,)"))
        let scalar = String(decoding: NPY.encode(Tensor(1)).dropFirst(10), as: UTF8.self)
        #expect(scalar.contains("'shape': ()"))
    }

    @Test func readsEveryIntegerAndFloatDtype() throws {
        func read(_ descr: String, _ data: [UInt8], shape: String = "(2,)") throws -> [Float] {
            try NPY.decode(Data(npyBytes(header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }", data: data)),
                           path: descr).scalars
        }
        #expect(try read("<f8", littleEndianBytes(Double(0.5).bitPattern) + littleEndianBytes(Double(-3).bitPattern)) == [0.5, -3])
        #expect(try read("<i4", littleEndianBytes(Int32(-7)) + littleEndianBytes(Int32(100_000))) == [-7, 100_000])
        #expect(try read("<i8", littleEndianBytes(Int64(-1)) + littleEndianBytes(Int64(1) << 40)) == [-1, 1_099_511_627_776])
        #expect(try read("|u1", [0, 255]) == [0, 255])
        #expect(try read("|i1", [0xFF, 0x05]) == [-1, 5])
        #expect(try read("|b1", [0, 1]) == [0, 1])
        #expect(try read("<i2", littleEndianBytes(Int16(-2)) + littleEndianBytes(Int16(300))) == [-2, 300])
        // Half precision: 1.0 = 0x3C00, -2.5 = 0xC100, the smallest subnormal 2^-24 = 0x0001.
        #expect(try read("<f2", littleEndianBytes(UInt16(0x3C00)) + littleEndianBytes(UInt16(0xC100)) + littleEndianBytes(UInt16(0x0001)),
                         shape: "(3,)") == [1, -2.5, 0x1p-24])
        // Python 2 wrote long integers with an L.
        #expect(try read("<f4", littleEndianBytes(Float(1).bitPattern) + littleEndianBytes(Float(2).bitPattern), shape: "(1L, 2L)") == [1, 2])
    }

    @Test func readsVersion2Headers() throws {
        let bytes = npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }",
                             data: littleEndianBytes(Float(7).bitPattern), version: 2)
        let tensor = try NPY.decode(Data(bytes), path: "v2")
        #expect(tensor.shape == [1, 1])
        #expect(tensor.item == 7)
    }

    @Test func keysInAnyOrderWithDoubleQuotes() throws {
        let bytes = npyBytes(header: "{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<f4\"}",
                             data: littleEndianBytes(Float(1).bitPattern) + littleEndianBytes(Float(2).bitPattern))
        #expect(try NPY.decode(Data(bytes), path: "q").scalars == [1, 2])
    }

    // MARK: Malformed files

    @Test func badMagicIsReported() {
        var bytes = NPY.encode(Tensor([1]))
        bytes[1] = 0x4F
        expectDataError(.badMagic) { try NPY.decode(bytes, path: "m") }
        expectDataError(.badMagic) { try NPY.decode(Data("x,y\n1,2\n".utf8), path: "csv") }
    }

    @Test func headerLengthPastTheEndIsReported() {
        var bytes = NPY.encode(Tensor([1, 2]))
        bytes[8] = 0xFF
        bytes[9] = 0xFF
        let error = expectDataError(.truncated) { try NPY.decode(bytes, path: "h") }
        if case .truncated(_, let offset, let expected, _)? = error {
            #expect(offset == 10)
            #expect(expected == 65535)
        }
        expectDataError(.truncated) { try NPY.decode(Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1]), path: "short") }
    }

    @Test func unparsableHeaderIsReported() {
        let headers = [
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,) ",            // no closing brace
            "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,), }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }",
            "{'descr': '<f4', 'fortran_order': False, }",                           // no shape
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } junk",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }",
            "['descr', '<f4']",
        ]
        for header in headers {
            let bytes = npyBytes(header: header, data: [0, 0, 128, 63, 0, 0, 0, 64])
            expectDataError(.badHeader) { try NPY.decode(Data(bytes), path: header) }
        }
    }

    @Test func dataShorterThanTheShapeIsReported() {
        let bytes = NPY.encode(Tensor.ones([4, 4]))
        let error = expectDataError(.truncated) { try NPY.decode(bytes.prefix(bytes.count - 5), path: "d") }
        if case .truncated(_, let offset, let expected, let available)? = error {
            #expect(offset == 128)
            #expect(expected == 64)
            #expect(available == 59)
        }
        expectDataError(.trailingBytes) { try NPY.decode(bytes + Data([0]), path: "long") }
    }

    @Test func unsupportedDtypesAreReported() {
        for descr in ["<c8", "<U5", "<u4", "|O", "<M8[ns]"] {
            let bytes = npyBytes(header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': (0,), }", data: [])
            expectDataError(.unsupported) { try NPY.decode(Data(bytes), path: descr) }
        }
        let structured = npyBytes(header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (0,), }", data: [])
        expectDataError(.badHeader) { try NPY.decode(Data(structured), path: "structured") }
    }

    @Test func bigEndianIsReported() {
        let bytes = npyBytes(header: "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", data: [63, 128, 0, 0])
        let error = expectDataError(.unsupported) { try NPY.decode(Data(bytes), path: "be") }
        #expect(error?.description.contains("big-endian") == true)
    }

    @Test func fortranOrderAndUnknownVersionsAreReported() {
        let fortran = npyBytes(header: "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", data: [0, 0, 0, 0])
        expectDataError(.unsupported) { try NPY.decode(Data(fortran), path: "f") }
        var future = NPY.encode(Tensor([1]))
        future[6] = 9
        expectDataError(.unsupported) { try NPY.decode(future, path: "v9") }
    }

    @Test func emptyAndMissingFilesAreReported() {
        let folder = TemporaryFolder()
        expectDataError(.emptyFile) { try NPY.read(contentsOf: folder.write([UInt8](), to: "e.npy")) }
        expectDataError(.fileNotFound) { try NPY.read(contentsOf: folder.file("none.npy")) }
        expectDataError(.fileNotFound) { try NPY.write(Tensor([1]), to: folder.file("no-such-folder/x.npy")) }
    }

    @Test func damagedFilesOnlyThrowDataErrors() {
        let original = NPY.encode(Tensor.uniform([2, 3], seed: 4))
        let outcome = expectOnlyDataErrors(damagedCopies(of: original, count: 3000, seed: 13)) {
            _ = try NPY.decode($0, path: "damaged.npy")
        }
        #expect(outcome.rejected > 1000)
    }

    @Test func noPrefixOfAValidFileCrashes() {
        let bytes = NPY.encode(Tensor.uniform([3, 2], seed: 5))
        for length in 1..<bytes.count {
            #expect(throws: DataError.self) { try NPY.decode(bytes.prefix(length), path: "cut") }
        }
    }

    // MARK: NumPy itself (only when python3 can import numpy)

    @Test(.enabled(if: TestEnvironment.hasNumPy, "needs python3 with numpy"))
    func numpyReadsOurFilesAndWeReadNumpys() throws {
        let folder = TemporaryFolder()
        let ours = Tensor.uniform([5, 7], low: -1, high: 1, seed: 3)
        try NPY.write(ours, to: folder.file("ours.npy"))
        let program = """
            import sys, numpy as np
            folder = sys.argv[1]
            a = np.load(folder + '/ours.npy')
            assert a.dtype == np.float32 and a.shape == (5, 7), (a.dtype, a.shape)
            print(' '.join(str(int(x)) for x in a.view(np.uint32).ravel()))
            np.save(folder + '/f8.npy', np.arange(12, dtype=np.float64).reshape(3, 4) / 8)
            np.save(folder + '/i8.npy', np.array([[-3, 5]], dtype=np.int64))
            np.save(folder + '/u1.npy', np.arange(250, 256, dtype=np.uint8).reshape(2, 1, 3))
            np.save(folder + '/f2.npy', np.array([0.5, -65504, 1e-7], dtype=np.float16))
            np.save(folder + '/scalar.npy', np.float32(2.5))
            np.save(folder + '/fortran.npy', np.asfortranarray(np.ones((2, 3), dtype=np.float32)))
            np.save(folder + '/big.npy', np.ones(3, dtype='>f4'))
            """
        let output = try TestEnvironment.runPython(program, arguments: [folder.path])
        let bits = output.split(whereSeparator: \.isWhitespace).compactMap { UInt32($0) }
        #expect(bits == ours.scalars.map(\.bitPattern))

        let f8 = try NPY.read(contentsOf: folder.file("f8.npy"))
        #expect(f8.shape == [3, 4] && f8.scalars == (0..<12).map { Float($0) / 8 })
        #expect(try NPY.read(contentsOf: folder.file("i8.npy")).scalars == [-3, 5])
        let u1 = try NPY.read(contentsOf: folder.file("u1.npy"))
        #expect(u1.shape == [2, 1, 3] && u1.scalars == [250, 251, 252, 253, 254, 255])
        #expect(try NPY.read(contentsOf: folder.file("f2.npy")).scalars == [0.5, -65504, 0x1p-23])   // 1e-7 rounds to the subnormal 2 · 2^-24
        let scalar = try NPY.read(contentsOf: folder.file("scalar.npy"))
        #expect(scalar.shape == [] && scalar.item == 2.5)
        expectDataError(.unsupported) { try NPY.read(contentsOf: folder.file("fortran.npy")) }
        expectDataError(.unsupported) { try NPY.read(contentsOf: folder.file("big.npy")) }
    }
}

