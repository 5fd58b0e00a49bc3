import Foundation
import Tensor

/// m rows of W6's distribution: X ~ N(0, 1)^d, y = 1[Σ_{j<8} sin(2x_j) + x_8·x_9 + N(0, 0.5²) > 0].
func noisyTrees(rows m: Int, features d: Int = 12, seed: UInt64) -> (x: Tensor, y: Tensor) {
    var generator = RandomGenerator(seed: seed)
    var x = [Float](repeating: 0, count: m * d), y = [Float](repeating: 0, count: m)
    for i in 0..<m {
        for j in 0..<d { x[i * d + j] = Float(generator.normal()) }
        var logit = 0.5 * generator.normal() + Double(x[i * d + 8] * x[i * d + 9])
        for j in 0..<8 { logit += sin(2 * Double(x[i * d + j])) }
        y[i] = logit > 0 ? 1 : 0
    }
    return (Tensor(shape: [m, d], scalars: x), Tensor(shape: [m], scalars: y))
}
