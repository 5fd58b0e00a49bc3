import Foundation
import Testing
@testable import LabKit
@testable import TensorIO

@Suite struct GzipTests {
    /// Bytes with some repetition (so DEFLATE has work to do) from a fixed seed.
    static func sampleBytes(_ count: Int) -> Data {
        var generator = RandomGenerator(seed: 7)
        return Data((0..<count).map { i in i % 3 == 0 ? UInt8(i % 251) : UInt8(generator.uniform() * 16) })
    }

    @Test func compressThenDecompressGivesTheSameBytes() throws {
        for count in [0, 1, 1000, 300_000] {
            let original = Self.sampleBytes(count)
            let compressed = Gzip.compress(original)
            #expect(Gzip.isCompressed(compressed))
            #expect(try Gzip.decompress(compressed, path: "memory") == original)
        }
    }

    @Test func repetitiveTextCompressesWell() throws {
        let original = Data(String(repeating: "the quick brown fox jumps over the lazy dog\n", count: 2000).utf8)
        let compressed = Gzip.compress(original)
        #expect(compressed.count < original.count / 20)
        #expect(try Gzip.decompress(compressed, path: "text") == original)
    }

    @Test func concatenatedMembersInflateToTheConcatenation() throws {
        let first = Self.sampleBytes(5000), second = Data("second member".utf8)
        let joined = Gzip.compress(first) + Gzip.compress(second)
        #expect(try Gzip.decompress(joined, path: "memory") == first + second)
    }

    @Test func readDecompressingDetectsGzipByMagicNotName() throws {
        let folder = TemporaryFolder()
        let original = Self.sampleBytes(2000)
        let compressedPath = folder.write(Gzip.compress(original), to: "no-suffix")
        let rawPath = folder.write(original, to: "raw.gz")
        #expect(try DataFile.readDecompressing(compressedPath) == original)
        #expect(try DataFile.readDecompressing(rawPath) == original)
    }

    @Test func truncatedStreamIsReported() {
        let compressed = Gzip.compress(Self.sampleBytes(50_000))
        let error = expectDataError(.corruptCompression) {
            try Gzip.decompress(compressed.prefix(compressed.count / 2), path: "half.gz")
        }
        #expect(error?.description.contains("truncated") == true)
        // Cut inside the 8-byte trailer only: the data is all there, the checksum is not.
        expectDataError(.corruptCompression) {
            try Gzip.decompress(compressed.prefix(compressed.count - 3), path: "no-trailer.gz")
        }
    }

    @Test func damagedStreamIsReported() {
        var compressed = Gzip.compress(Self.sampleBytes(50_000))
        for i in stride(from: 20, to: 60, by: 1) { compressed[i] ^= 0xA5 }
        expectDataError(.corruptCompression) { try Gzip.decompress(compressed, path: "damaged.gz") }
    }

    @Test func wrongChecksumIsReported() {
        var compressed = Gzip.compress(Self.sampleBytes(1000))
        compressed[compressed.count - 8] ^= 0xFF      // first byte of the CRC-32
        let error = expectDataError(.corruptCompression) { try Gzip.decompress(compressed, path: "crc.gz") }
        #expect(error?.path == "crc.gz")
    }

    @Test func bytesAfterTheStreamAreReported() {
        let compressed = Gzip.compress(Self.sampleBytes(1000)) + Data([1, 2, 3])
        let error = expectDataError(.trailingBytes) { try Gzip.decompress(compressed, path: "tail.gz") }
        if case .trailingBytes(_, let offset, let count)? = error {
            #expect(offset == compressed.count - 3)
            #expect(count == 3)
        }
    }

    @Test func damagedStreamsOnlyThrowDataErrors() {
        let original = Gzip.compress(Self.sampleBytes(3000))
        let outcome = expectOnlyDataErrors(damagedCopies(of: original, count: 1000, seed: 12)) {
            _ = try Gzip.decompress($0, path: "damaged.gz")
        }
        #expect(outcome.rejected > 500)
    }

    @Test func nonGzipBytesAreRejected() {
        expectDataError(.badMagic) { try Gzip.decompress(Data([0x00, 0x00, 0x08]), path: "x") }
    }
}
