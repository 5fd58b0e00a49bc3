import Foundation
import Testing
import Tensor
import LabKit
@testable import Trees

/// XOR of two features on a 4 × 4 grid of points jittered around the corners.
func xorData(seed: UInt64 = 1) -> (x: Tensor, y: Tensor) {
    var generator = RandomGenerator(seed: seed)
    var x: [Float] = [], y: [Float] = []
    for _ in 0..<50 {
        for (a, b) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
            x += [Float(a) + 0.3 * generator.uniform(-1, 1), Float(b) + 0.3 * generator.uniform(-1, 1)]
            y.append(Float(a ^ b))
        }
    }
    return (Tensor(shape: [y.count, 2], scalars: x), Tensor(shape: [y.count], scalars: y))
}

@Suite struct DecisionTreeTests {
    @Test func separatesXORExactly() throws {
        let (x, y) = xorData()
        var tree = DecisionTreeClassifier()
        try tree.fit(x, y)
        #expect(tree.score(x, y) == 1)
        #expect(tree.depth >= 2)
    }
}
