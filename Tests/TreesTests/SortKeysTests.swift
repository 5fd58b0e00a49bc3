import Testing
import Tensor
@testable import Trees

@Suite struct SortKeysTests {
    @Test(arguments: [5, 300, 5000])
    func radixSortMatchesComparisonSort(count: Int) {
        var generator = RandomGenerator(seed: UInt64(count))
        // Values with ties and both signs (and a negative zero) so every digit pass runs.
        let values = (0..<count).map { i -> Float in i == 0 ? -0.0 : Float(Int(generator.normal() * 50)) / 8 }
        var keys = values.enumerated().map { UInt64(SortKeys.orderedBits($1)) << 32 | UInt64($0) }
        var scratch = [UInt64](repeating: 0, count: count)
        keys.withUnsafeMutableBufferPointer { k in
            scratch.withUnsafeMutableBufferPointer { s in SortKeys.sort(k.baseAddress!, count: count, scratch: s.baseAddress!) }
        }
        let sortedValues = keys.map { values[Int(UInt32(truncatingIfNeeded: $0))] }
        #expect(sortedValues == values.sorted())
        #expect(Set(keys.map { UInt32(truncatingIfNeeded: $0) }).count == count)
    }
}
