import Testing
import Tensor
@testable import Trees

@Suite("Node row passes")
struct NodeRowPassesTests {
    @Test("The blocked parallel partition equals a plain stable partition, for one block and many", arguments: [100, 16_384, 50_001])
    func partitionIsStable(count: Int) {
        var generator = RandomGenerator(seed: UInt64(count))
        let rows = (0..<count).map { _ in Int32(generator.uniform(0, 1_000_000)) }
        let goesLeft = { (row: Int32) in row % 3 != 0 }
        let expected = rows.filter(goesLeft) + rows.filter { !goesLeft($0) }
        var reordered = rows
        var spill = [Int32](repeating: 0, count: count)
        let left = reordered.withUnsafeMutableBufferPointer { r in
            spill.withUnsafeMutableBufferPointer { s in NodeRowPasses.partition(r.baseAddress!, count: count, spill: s.baseAddress!, goesLeft: goesLeft) }
        }
        #expect(left == rows.filter(goesLeft).count)
        #expect(reordered == expected)
    }

    @Test("Gathering copies g and h in the rows' order and sums them")
    func gatherMatchesLoop() {
        let n = 40_000
        let gradients = Tensor.normal([n], seed: 1).scalars, hessians = Tensor.uniform([n], seed: 2).scalars
        let indices = (0..<n).filter { $0 % 2 == 1 }.map(Int32.init)
        var og = [Float](repeating: 0, count: indices.count), oh = og
        let sums = indices.withUnsafeBufferPointer { idx in
            og.withUnsafeMutableBufferPointer { og in
                oh.withUnsafeMutableBufferPointer { oh in
                    NodeRowPasses.gather(indices: idx.baseAddress!, count: idx.count, gradients: gradients, hessians: hessians,
                                     into: og.baseAddress!, oh.baseAddress!)
                }
            }
        }
        #expect(og == indices.map { gradients[Int($0)] })
        #expect(oh == indices.map { hessians[Int($0)] })
        let g = indices.reduce(0.0) { $0 + Double(gradients[Int($1)]) }
        #expect(abs(sums.g - g) < 1e-6 * max(1, abs(g)))
        #expect(abs(sums.h - indices.reduce(0.0) { $0 + Double(hessians[Int($1)]) }) < 1e-3)
    }
}
