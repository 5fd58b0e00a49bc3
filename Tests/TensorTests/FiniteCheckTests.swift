import Testing
@testable import Tensor

@Suite struct FiniteCheckTests {
    /// Lengths below, at and around the SIMD16 width, so the vector loop and the tail both see bad values.
    static let lengths = [0, 1, 15, 16, 17, 31, 33, 100, 1000]

    @Test("isFinite and firstNonFinite agree with an element-by-element scan", arguments: lengths)
    func matchesNaiveScan(_ count: Int) {
        var generator = RandomGenerator(seed: UInt64(count))
        let clean = Tensor.normal([count], seed: UInt64(count) + 1) * 1e30   // large but finite
        #expect(clean.isFinite)
        #expect(clean.firstNonFinite == nil)
        guard count > 0 else { return }
        for bad in [Float.nan, .infinity, -.infinity] {
            for _ in 0..<5 {
                var tensor = clean
                let first = Int(generator.next() % UInt64(count))
                tensor.withUnsafeMutableBufferPointer { buffer in
                    buffer[first] = bad
                    if first + 1 < count { buffer[count - 1] = .nan }   // a later bad value must not be reported first
                }
                let naive = tensor.scalars.firstIndex { !$0.isFinite }
                #expect(!tensor.isFinite)
                #expect(tensor.firstNonFinite?.index == naive)
                #expect(tensor.firstNonFinite?.index == first)
                #expect(tensor.firstNonFinite.map { $0.value.isNaN == bad.isNaN } == true)
            }
        }
    }

    @Test("The largest finite Float and the smallest subnormal are finite")
    func extremesAreFinite() {
        #expect(Tensor([.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -0.0]).isFinite)
    }
}
