// Helpers shared by the NN tests.
import Testing
import Autograd
import Tensor

/// Expects `actual` and `expected` to agree element by element within `tolerance`.
func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-5,
                 _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)",
            sourceLocation: sourceLocation)
    for (i, (a, e)) in zip(actual, expected).enumerated() where abs(a - e) > tolerance {
        Issue.record("\(what): element \(i) is \(a), expected \(e) (tolerance \(tolerance))", sourceLocation: sourceLocation)
        return
    }
}

/// Runs gradcheck and expects its worst error below 1e-2 (step stated by the caller).
func expectGradientsMatch(_ name: String, _ inputs: [Tensor], step: Float = 1e-2,
                          sourceLocation: SourceLocation = #_sourceLocation,
                          _ function: ([Variable]) -> Variable) {
    let result = gradcheck(inputs, step: step, function)
    #expect(result.worstError < 1e-2, "\(name): \(result)", sourceLocation: sourceLocation)
}

/// Mean and (population) standard deviation, computed in Double.
func meanAndStd(_ values: [Float]) -> (mean: Double, std: Double) {
    let n = Double(values.count)
    let mean = values.reduce(0.0) { $0 + Double($1) } / n
    let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
    return (mean, variance.squareRoot())
}
