// gradcheck: testing a backward rule against the definition of a derivative.
//
// For a function f of some input tensors, reduce its output to a scalar with a
// fixed random weighting, L = Σ_j w_j · f_j (so that every output element
// matters and errors cannot cancel), then compare for every input element x_i
//   analytic  ∂L/∂x_i   from backward()
//   numeric   (L(x_i + h) − L(x_i − h)) / 2h   (central difference: error O(h²))
// The losses are summed in Double so that only f's own Float rounding remains.
// The error of one element is |analytic − numeric| / max(|analytic|, |numeric|, floor):
// relative for large gradients, absolute below `floor` (Float32 differences of a
// loss of size ~1 are only good to about 1e-5/h).

import Tensor

/// The outcome of a gradient check: the worst element and how far off it was.
public struct GradCheckResult: CustomStringConvertible, Sendable {
    /// The largest error found (see `gradcheck`).
    public var worstError: Double
    /// Which input holds the worst element, and its multi-index there.
    public var input: Int
    public var index: [Int]
    /// The two gradients at that element.
    public var analytic: Double
    public var numeric: Double

    public var description: String {
        "worst error \(worstError) at input \(input) index \(index): analytic \(analytic), numeric \(numeric)"
    }
}

/// Compares the backward rules used by `function` with central finite differences at step `step`.
public func gradcheck(_ inputs: [Tensor], step: Float = 1e-2, floor: Double = 1e-2, seed: UInt64 = 0,
                      _ function: ([Variable]) -> Variable) -> GradCheckResult {
    // Fixed weights for the output: L = Σ w ⊙ f.
    let probe = function(inputs.map { Variable($0) }).shape
    let weights = Tensor.uniform(probe, low: -1, high: 1, seed: seed)
    func loss(_ tensors: [Tensor]) -> Double {
        noGrad {
            let out = function(tensors.map { Variable($0) }).value
            return out.withUnsafeBufferPointer { o in
                weights.withUnsafeBufferPointer { w in
                    (0..<o.count).reduce(0.0) { $0 + Double(o[$1]) * Double(w[$1]) }
                }
            }
        }
    }

    // Analytic gradients.
    let variables = inputs.map { Variable($0, requiresGrad: true) }
    let output = function(variables)
    (output * Variable(weights)).sum().backward()

    var result = GradCheckResult(worstError: 0, input: 0, index: [], analytic: 0, numeric: 0)
    for (k, input) in inputs.enumerated() {
        let analytic = variables[k].grad ?? Tensor.zeros(input.shape)
        let analyticValues = analytic.scalars
        for i in 0..<input.count {
            var plus = inputs, minus = inputs
            plus[k].withUnsafeMutableBufferPointer { $0[i] += step }
            minus[k].withUnsafeMutableBufferPointer { $0[i] -= step }
            // The step actually taken, as Float rounds x ± h.
            let taken = Double(plus[k].withUnsafeBufferPointer { $0[i] }) - Double(minus[k].withUnsafeBufferPointer { $0[i] })
            let numeric = (loss(plus) - loss(minus)) / taken
            let a = Double(analyticValues[i])
            let error = Swift.abs(a - numeric) / Swift.max(Swift.abs(a), Swift.abs(numeric), floor)
            if error >= result.worstError {
                var index = [Int](repeating: 0, count: input.rank)
                var remaining = i
                for axis in stride(from: input.rank - 1, through: 0, by: -1) {
                    index[axis] = remaining % input.shape[axis]
                    remaining /= input.shape[axis]
                }
                result = GradCheckResult(worstError: error, input: k, index: index,
                                         analytic: a, numeric: numeric)
            }
        }
    }
    return result
}
