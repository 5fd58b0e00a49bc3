// TwoMoons: two interleaving half circles, the classic set that no straight
// line separates (scikit-learn's make_moons).
//
// Of n points, ⌈n/2⌉ lie on the upper moon (class 0) and ⌊n/2⌋ on the lower
// moon (class 1), at evenly spaced angles θ_k = π·k/(m − 1), k = 0 … m − 1:
//     class 0:  (cos θ,      sin θ)                 centre (0, 0),   arcs up
//     class 1:  (1 − cos θ,  1/2 − sin θ)           centre (1, 1/2), arcs down
// Each coordinate then gets Gaussian noise σ·ε, ε ~ N(0, 1), and the points are
// shuffled. One seeded generator draws the noise and the order, so a seed
// fixes the whole set.

import Foundation

/// A seeded two-moons classification set: points X [n, 2] and their classes 0 and 1.
public struct TwoMoons: Sendable {
    /// The points, [count, 2]: column 0 is x, column 1 is y.
    public let points: Tensor
    /// The class of each point: 0 on the upper moon, 1 on the lower one.
    public let labels: [Int]

    /// Draws `count` points (at least 2) with Gaussian noise of standard deviation `noise` (≥ 0).
    public init(count: Int, noise: Float = 0.1, seed: UInt64 = 0) {
        precondition(count >= 2, "TwoMoons: count must be at least 2, got \(count)")
        precondition(noise >= 0 && noise.isFinite, "TwoMoons: noise must be a finite value ≥ 0, got \(noise)")
        var generator = RandomGenerator(seed: seed)
        let upperCount = (count + 1) / 2
        let lowerCount = count - upperCount
        func angle(_ k: Int, of m: Int) -> Float { m > 1 ? Float.pi * Float(k) / Float(m - 1) : 0 }

        var coordinates = [Float](repeating: 0, count: 2 * count)
        var classes = [Int](repeating: 0, count: count)
        let order = generator.permutation(count)
        for i in 0..<count {
            let isUpper = i < upperCount
            let theta = isUpper ? angle(i, of: upperCount) : angle(i - upperCount, of: lowerCount)
            let x = isUpper ? Foundation.cos(theta) : 1 - Foundation.cos(theta)
            let y = isUpper ? Foundation.sin(theta) : 0.5 - Foundation.sin(theta)
            let row = order[i]
            coordinates[2 * row] = x + generator.normal(mean: 0, std: noise)
            coordinates[2 * row + 1] = y + generator.normal(mean: 0, std: noise)
            classes[row] = isUpper ? 0 : 1
        }
        points = Tensor(shape: [count, 2], scalars: coordinates)
        labels = classes
    }
}
