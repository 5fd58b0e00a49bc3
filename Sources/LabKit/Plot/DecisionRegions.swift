// DecisionRegions: the class a model predicts everywhere in a rectangle of the
// plane, for shading a scatter plot's background.
//
// The rectangle x ∈ [x₀, x₁], y ∈ [y₀, y₁] is cut into cells × cells squares;
// the model classifies all cell centres in one batched call (a matrix
// [cells², 2]), and a point (px, py) then gets the class of the cell it falls
// in: column = ⌊(px − x₀)/(x₁ − x₀)·cells⌋, row likewise, clamped to the grid.
// The boundary between colours is the model's decision boundary.

/// A lookup from a point of the plane to the class a model predicts there.
public enum DecisionRegions {
    /// Classifies a cells × cells grid over the rectangle with `classify` (rows [n, 2] → one class per row)
    /// and returns the lookup a `ScatterPlot.regions` takes.
    public static func lookup(x: ClosedRange<Double>, y: ClosedRange<Double>, cells: Int = 240,
                              classify: (Tensor) -> [Int]) -> @Sendable (Double, Double) -> Int {
        precondition(cells >= 1, "DecisionRegions: cells must be ≥ 1, got \(cells)")
        var grid = [Float](repeating: 0, count: 2 * cells * cells)
        for row in 0..<cells {
            for column in 0..<cells {
                let i = row * cells + column
                grid[2 * i] = Float(x.lowerBound + (Double(column) + 0.5) / Double(cells) * (x.upperBound - x.lowerBound))
                grid[2 * i + 1] = Float(y.lowerBound + (Double(row) + 0.5) / Double(cells) * (y.upperBound - y.lowerBound))
            }
        }
        let classes = classify(Tensor(shape: [cells * cells, 2], scalars: grid))
        precondition(classes.count == cells * cells, "DecisionRegions: classify returned \(classes.count) classes for \(cells * cells) points")
        return { px, py in
            let column = Swift.min(Swift.max(Int((px - x.lowerBound) / (x.upperBound - x.lowerBound) * Double(cells)), 0), cells - 1)
            let row = Swift.min(Swift.max(Int((py - y.lowerBound) / (y.upperBound - y.lowerBound) * Double(cells)), 0), cells - 1)
            return classes[row * cells + column]
        }
    }
}
