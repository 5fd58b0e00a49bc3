// Malformed input, reader by reader: every kind of bad file gives a typed
// error, before memory is taken for what the file only claims to hold.
//
// Where each kind is tested: names marked * are tests of this suite
// (MalformedInputTests), others of the suite in the column's heading unless
// they name their own; "—" marks a kind the format cannot have.
// "Permission denied": the tests run as root, which chmod 000 does not stop,
// so `*unreadableFileWhenNotRoot` runs only for other users; the root-proof
// variants are a path through a regular file (ENOTDIR: fileNotFound) and
// /proc/self/mem, which exists but fails to read (EIO: ioFailure).
// NaN is data in the binary formats (IDX float, .npy, safetensors,
// checkpoints): it is read as NaN, and NumericGuard stops training on it.
//
// kind          IDX, MNIST (IDXReaderTests)         CSV, TabularDataset                   .npy (NPYTests)
// truncated     truncatedHeaderIsReported,          — (a cut record is a short one:     headerLengthPastTheEndIsReported,
//               dataShorterThanTheDimensions…         CSVReaderTests.raggedRow…)        dataShorterThanTheShapeIsReported
// wrong magic   wrongMagicIsReported                — (no signature)                    badMagicIsReported
// wrong version unsupportedTypeCodeIsReported       —                                   fortranOrderAndUnknownVersions…
// negative size — (sizes are UInt32)                —                                   unparsableHeaderIsReported (-1)
// huge size     zeroDimensionsAndOverflowing…,      *csvRecordLongerThanTheLimit…,      *npyShapeOverflowAndClaimOfTerabytes
//               *idxClaimOfTerabytes…               *fileLargerThanTheLimit…
// bad UTF-8     — (binary)                          CSVReaderTests.nonUTF8IsReported…   *npyHeaderNotUTF8
// ragged rows   MNISTTests.imageAndLabelCounts…     CSVReaderTests.raggedRowIsReported… — (one array)
// NaN           *idxNaNIsKeptButANaNLabelIsRefused  *csvNaNInAnySpellingIsMissing,      *npyAndSafetensorsKeepNaN
//                                                   *csvInfinityIsTextAndRefused…
// empty file    zeroLengthFileIsReported            CSVReaderTests.emptyFileIsReported  emptyAndMissingFilesAreReported
// directory     missingFileAndDirectory…,           *everyReaderRefusesUnreadablePaths  *everyReaderRefusesUnreadablePaths
//               *everyReaderRefusesUnreadablePaths
// permission    *everyReaderRefusesUnreadablePaths, *everyReaderRefusesUnreadablePaths, *everyReaderRefusesUnreadablePaths,
//               *unreadableFileWhenNotRoot          *unreadableFileWhenNotRoot          *unreadableFileWhenNotRoot
//
// kind          safetensors (SafetensorsTests)      gzip, DataFile (GzipTests)          BPE vocabulary (GPTTests.TokenizerTests)
// truncated     truncatedAndEmptyFilesAreReported   truncatedStreamIsReported           malformedVocabulary (cut JSON)
// wrong magic   headerLengthPastTheEndIsReported    nonGzipBytesAreRejected             saveAndLoad (format "other")
// wrong version unknownDtypeIsReported              — (wrongChecksumIsReported)         malformedVocabulary (version 2)
// negative size offsetsOutOfRangeAreReported,       —                                   malformedVocabulary ([-1, 97])
//               *negativeAndHugeShapesInSafetensors
// huge size     shapeNotMatchingByteLength…,        *gzipBombStopsAtTheLimit,           malformedVocabulary (1e30,
//               *negativeAndHugeShapesInSafetensors *fileLargerThanTheLimit…              doubling merges)
// bad UTF-8     *safetensorsHeaderNotUTF8           — (bytes)                           malformedVocabulary
// ragged rows   overlappingOrGappedOffsets…         bytesAfterTheStreamAreReported      saveAndLoad ([97])
// NaN           *npyAndSafetensorsKeepNaN           —                                   malformedVocabulary (NaN id)
// empty file    truncatedAndEmptyFilesAreReported   IDXReaderTests.zeroLengthFile…      malformedVocabulary
// directory     *everyReaderRefusesUnreadablePaths  *everyReaderRefusesUnreadablePaths  malformedVocabulary
// permission    *everyReaderRefusesUnreadablePaths, *everyReaderRefusesUnreadablePaths, malformedVocabulary (ENOTDIR, EIO)
//               *unreadableFileWhenNotRoot          *unreadableFileWhenNotRoot
//
// Checkpoints (DeepLearningTests.CheckpointFileTests; GPT checkpoints and LoRA
// adapter files are safetensors files too and go through the same reader):
// truncated, garbage header, not a checkpoint, missing: unreadableFiles;
// empty file, folder, ENOTDIR, EIO, a 2^40-byte header claim, format version 2,
// negative, 1e30 and Int.max counts, NaN weights (loaded): malformedCheckpoints;
// missing or misshapen tensors ("ragged"): mismatchedFiles. GPT checkpoints
// (GPTTests.GPTCheckpointTests): truncated, missing, another model: badCheckpoints;
// a configuration edited to claim a huge model, 0 heads, a negative vocabulary,
// a step of Int.max: editedConfigurationIsRefused.

import Foundation
import Testing
@testable import LabKit
@testable import TensorIO

@Suite struct MalformedInputTests {
    /// Every LabKit reader of a path, by name.
    static var readers: [(name: String, read: (String) throws -> Void)] { [
        ("IDX", { _ = try IDX.read(contentsOf: $0) }),
        ("MNIST", { _ = try MNIST.loadSplit(images: $0, labels: $0) }),
        ("CSV", { _ = try CSVReader().read(contentsOf: $0) }),
        ("TabularDataset", { _ = try TabularDataset.load(csv: $0, target: "y") }),
        ("NPY", { _ = try NPY.read(contentsOf: $0) }),
        ("safetensors", { _ = try Safetensors.read(contentsOf: $0) }),
        ("gzip", { _ = try DataFile.readDecompressing($0) }),
    ] }

    /// /proc/self/mem exists and is a regular file, but reading it from byte 0 fails with EIO, even for root.
    static let unreadableProcFile: String? = FileManager.default.isReadableFile(atPath: "/proc/self/mem") ? "/proc/self/mem" : nil

    @Test func everyReaderRefusesUnreadablePaths() {
        let folder = TemporaryFolder()
        let file = folder.write(text: "y\n1\n", to: "plain")
        for reader in Self.readers {
            let directory = expectDataError(.fileNotFound) { try reader.read(folder.path) }
            #expect(directory?.path == folder.path, "\(reader.name)")
            // A path whose parent is a regular file: open(2) fails with ENOTDIR, whoever runs the test.
            expectDataError(.fileNotFound) { try reader.read(file + "/child") }
            if let proc = Self.unreadableProcFile {
                let error = expectDataError(.ioFailure) { try reader.read(proc) }
                #expect(error?.path == proc, "\(reader.name)")
            }
        }
    }

    @Test(.enabled(if: getuid() != 0, "root reads a file whatever its mode"))
    func unreadableFileWhenNotRoot() throws {
        let folder = TemporaryFolder()
        let path = folder.write(text: "y\n1\n", to: "locked")
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: path)
        for reader in Self.readers {
            expectDataError(.ioFailure) { try reader.read(path) }
        }
    }

    // MARK: Sizes: refused before allocating

    @Test func fileLargerThanTheLimitIsRefusedBeforeReading() throws {
        let folder = TemporaryFolder()
        let path = folder.write([UInt8](repeating: 7, count: 1000), to: "big")
        let error = expectDataError(.tooLarge) { try DataFile.read(path, maximumSize: 999) }
        #expect(error?.description == "\(path), byte 0: the file (1000 bytes) is longer than the limit of 999 bytes")
        #expect(try DataFile.read(path, maximumSize: 1000).count == 1000)
        expectDataError(.tooLarge) { try DataFile.readDecompressing(path, maximumSize: 10) }
    }

    @Test func gzipBombStopsAtTheLimit() throws {
        // 1 MB of zeros packs into about 1 KB; inflating stops at the limit instead of at the end.
        let packed = Gzip.compress(Data(count: 1 << 20), level: 9)
        #expect(packed.count < 2000)
        let error = expectDataError(.tooLarge) { try Gzip.decompress(packed, path: "bomb.gz", maximumSize: 64 << 10) }
        #expect(error?.path == "bomb.gz")
        #expect(try Gzip.decompress(packed, path: "ok.gz", maximumSize: 1 << 20).count == 1 << 20)   // exactly at the limit
        let folder = TemporaryFolder()
        let path = folder.write(packed, to: "bomb.gz")
        expectDataError(.tooLarge) { try DataFile.readDecompressing(path, maximumSize: 4096) }
        // A wrong ISIZE in the trailer does not mislead the limit (zlib then also finds the size wrong).
        var lying = packed
        lying.replaceSubrange((lying.count - 4)..., with: littleEndianBytes(UInt32(100)))
        expectDataError(.tooLarge) { try Gzip.decompress(lying, path: "lying.gz", maximumSize: 64 << 10) }
    }

    @Test func idxClaimOfTerabytesIsTruncatedBeforeAllocating() {
        // 65536³ bytes = 256 TiB fits in Int: the claim is compared with the 12 bytes present, nothing is allocated.
        let error = expectDataError(.truncated) {
            try IDX.decode(Data(idxBytes(type: 0x08, shape: [65536, 65536, 65536], payload: [1, 2, 3])), path: "claim")
        }
        if case .truncated(_, let offset, let expected, let available)? = error {
            #expect(offset == 16 && expected == 1 << 48 && available == 3)
        }
        // float64 × 2^31 · 2^31 elements = 2^65 bytes: the multiplication by the width overflows.
        expectDataError(.badHeader) {
            try IDX.decode(Data(idxBytes(type: 0x0E, shape: [1 << 31, 1 << 31], payload: [])), path: "wide")
        }
    }

    @Test func npyShapeOverflowAndClaimOfTerabytes() {
        let overflowing = npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", data: [])
        let error = expectDataError(.badHeader) { try NPY.decode(Data(overflowing), path: "overflow") }
        #expect(error?.description.contains("more elements than memory can hold") == true)
        let claim = npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }", data: [0, 0, 0, 0])
        let truncated = expectDataError(.truncated) { try NPY.decode(Data(claim), path: "claim") }
        if case .truncated(_, _, let expected, let available)? = truncated { #expect(expected == 1 << 42 && available == 4) }
    }

    @Test func negativeAndHugeShapesInSafetensors() {
        let negative = #"{"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}"#
        expectDataError(.badEntry) { try Safetensors.decode(safetensorsBytes(header: negative, buffer: float32Bytes([1])), path: "neg") }
        let beyondInt = #"{"w": {"dtype": "F32", "shape": [1e30], "data_offsets": [0, 4]}}"#
        expectDataError(.badEntry) { try Safetensors.decode(safetensorsBytes(header: beyondInt, buffer: float32Bytes([1])), path: "1e30") }
        // 2^38 floats claimed in a file of 4 bytes: refused by the offsets check, nothing allocated.
        let claim = #"{"w": {"dtype": "F32", "shape": [274877906944], "data_offsets": [0, 1099511627776]}}"#
        let error = expectDataError(.truncated) { try Safetensors.decode(safetensorsBytes(header: claim, buffer: float32Bytes([1])), path: "claim") }
        if case .truncated(_, _, let expected, let available)? = error { #expect(expected == 1 << 40 && available == 4) }
    }

    // MARK: CSV record length

    @Test func csvRecordLongerThanTheLimitIsRefused() throws {
        let reader = CSVReader(maximumRecordLength: 16)
        let long = "a,b\n1,2\n3," + String(repeating: "x", count: 1000) + "\n"
        let error = expectDataError(.tooLarge) { try reader.parse(Data(long.utf8), path: "long.csv") }
        #expect(error?.description == "long.csv, line 3: the record starting on this line is longer than the limit of 16 bytes")
        // A quoted field whose line breaks make the record long is stopped too, at the line it starts on.
        let quoted = "a,b\n1,\"" + String(repeating: "y\n", count: 100) + "\"\n"
        let quotedError = expectDataError(.tooLarge) { try reader.parse(Data(quoted.utf8), path: "q.csv") }
        if case .tooLarge(_, let position, _, let limit)? = quotedError { #expect(position == .line(2) && limit == 16) }
        // Exactly 16 bytes is allowed, a 17th (even a separator) is not, and line ends do not count.
        let sixteen = "aaaaaaa,bbbbbbbb"
        #expect(try reader.parse(Data("\(sixteen)\r\n1,2\r\n".utf8), path: "ok.csv").rowCount == 1)
        #expect(try reader.parse(Data(sixteen.utf8), path: "end.csv").rowCount == 0)
        expectDataError(.tooLarge) { try reader.parse(Data("\(sixteen),\n".utf8), path: "sep.csv") }
        expectDataError(.tooLarge) { try reader.parse(Data("\(sixteen)c\n".utf8), path: "byte.csv") }
        expectDataError(.tooLarge) { try reader.parse(Data("a,\"\(String(repeating: "z", count: 20))\"\n".utf8), path: "header.csv") }
        // The default is generous: 16 MiB.
        #expect(CSVReader().maximumRecordLength == 1 << 24)
    }

    // MARK: NaN

    @Test func csvNaNInAnySpellingIsMissing() throws {
        let table = try CSVReader().parse(Data("x,y\n1,NAN\n-nan,2\n3,4\n".utf8), path: "nan.csv")
        #expect(table.columns.allSatisfy { $0.isNumeric })
        #expect(table.missingCells == [CSVMissingCell(line: 2, column: "y"), CSVMissingCell(line: 3, column: "x")])
        let dataset = try TabularDataset(table: table, target: "y", task: .regression)
        #expect(dataset.features.scalars == [3] && dataset.target.scalars == [4])
        #expect(dataset.droppedLines == [2, 3])
    }

    @Test func csvInfinityIsTextAndRefusedInANumericColumn() throws {
        let table = try CSVReader().parse(Data("x,y\n1,0\n2,1\ninf,0\n1e39,1\n".utf8), path: "inf.csv")
        #expect(!table.columns[0].isNumeric)      // "inf" and 1e39 (beyond Float) are not numbers
        let few = try CSVReader().parse(Data("x,y\n1,0\n2,1\n3,0\ninf,1\n".utf8), path: "inf.csv")
        let error = expectDataError(.badValue) { try TabularDataset(table: few, target: "y") }
        #expect(error?.description == "inf.csv, line 5, column 'x': found 'inf', expected a number (3 of the column's 4 cells are numbers)")
    }

    @Test func idxNaNIsKeptButANaNLabelIsRefused() throws {
        let nan = bigEndianBytes(Float.nan.bitPattern)
        #expect(try IDX.decode(Data(idxBytes(type: 0x0D, shape: [1], payload: nan)), path: "f").scalars[0].isNaN)
        let folder = TemporaryFolder()
        let images = folder.write(idxBytes(type: 0x08, shape: [1, 1, 1], payload: [0]), to: "images")
        let labels = folder.write(idxBytes(type: 0x0D, shape: [1], payload: nan), to: "labels")
        let error = expectDataError(.badValue) { try MNIST.loadSplit(images: images, labels: labels) }
        #expect(error?.description.contains("element 0: found 'nan'") == true)
    }

    @Test func npyAndSafetensorsKeepNaN() throws {
        let values = Tensor([1, .nan, -.infinity])
        let npy = try NPY.decode(NPY.encode(values), path: "nan.npy").scalars
        let safetensors = try Safetensors.decode(Safetensors.encode(["w": values]), path: "nan.safetensors").tensors["w"]!.scalars
        for read in [npy, safetensors] {
            #expect(read[0] == 1 && read[1].isNaN && read[2] == -.infinity)
        }
    }

    // MARK: Bad UTF-8 in binary headers

    @Test func npyHeaderNotUTF8() {
        let bytes = npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", data: [0, 0, 0, 0])
        var damaged = Data(bytes)
        damaged[10] = 0xFF            // the header's '{'
        expectDataError(.badHeader) { try NPY.decode(damaged, path: "ff") }
        damaged = Data(bytes)
        damaged[21] = 0xC3            // inside '<f4': a lone lead byte, read as U+FFFD, an unknown dtype
        expectDataError(.unsupported) { try NPY.decode(damaged, path: "c3") }
    }

    @Test func safetensorsHeaderNotUTF8() {
        var json = Array(#"{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}"#.utf8)
        json[2] = 0xFF                // inside the name "w"
        let data = Data(littleEndianBytes(UInt64(json.count)) + json + float32Bytes([1]))
        expectDataError(.badHeader) { try Safetensors.decode(data, path: "ff") }
    }
}
