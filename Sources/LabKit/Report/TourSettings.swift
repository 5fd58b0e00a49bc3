// TourSettings: what every built-in tour of a lab needs — the seed, whether
// the run is the quick one, and the folder its files go to — and the one way
// a tour writes a file: into that folder, its path recorded for report.json.
import Foundation

/// The seed, the size setting and the output folder of a lab's tours.
public struct TourSettings: Sendable {
    /// Every random choice starts from this seed.
    public let seed: UInt64
    /// The small setting (`--quick`) that finishes in seconds.
    public let quick: Bool
    /// Where report.json and the plots go.
    public let out: URL

    public init(seed: UInt64, quick: Bool, out: URL) {
        self.seed = seed
        self.quick = quick
        self.out = out
    }

    /// Writes a file as `name` into the output folder (through `body`) and records its path in `files`.
    public func write(_ name: String, files: inout [String], _ body: (URL) throws -> Void) throws {
        let url = out.appendingPathComponent(name)
        try body(url)
        files.append(url.path)
    }
}
