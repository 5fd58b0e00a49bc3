// SineSumClassification: the tabular benchmark set of W5 and W6
// (docs/BENCHMARKS.md), a binary problem no linear model solves.
//
//     X ~ N(0, 1)^{n×d}  (d ≥ 10; 28 in the workloads)
//     logit = Σ_{j<8} sin(2 x_j) + x_8 · x_9 + ε,   ε ~ N(0, 0.5²)
//     y = 1[logit > 0]
// Eight features act through a wiggly one-dimensional function each, two
// through their product, and the rest are noise: trees must find thresholds
// on the right features and boosting must add up many small effects.

import Foundation

/// A seeded draw of the W5/W6 distribution: features [n, d] and 0/1 labels.
public struct SineSumClassification: Sendable {
    /// The features, [count, features].
    public let x: Tensor
    /// The labels 0 or 1, [count].
    public let y: Tensor

    /// Draws `count` rows of `features` (at least 10) columns.
    public init(count: Int, features: Int = 28, noise: Float = 0.5, seed: UInt64 = 0) {
        precondition(count >= 1 && features >= 10, "SineSumClassification: count ≥ 1 and features ≥ 10, got \(count), \(features)")
        var generator = RandomGenerator(seed: seed)
        var cells = [Float](repeating: 0, count: count * features)
        var labels = [Float](repeating: 0, count: count)
        for i in 0..<count {
            var logit: Float = 0
            for j in 0..<features {
                let value = generator.normal(mean: 0, std: 1)
                cells[i * features + j] = value
                if j < 8 { logit += sin(2 * value) }
            }
            logit += cells[i * features + 8] * cells[i * features + 9] + generator.normal(mean: 0, std: noise)
            labels[i] = logit > 0 ? 1 : 0
        }
        x = Tensor(shape: [count, features], scalars: cells)
        y = Tensor(shape: [count], scalars: labels)
    }
}
