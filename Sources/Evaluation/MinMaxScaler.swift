// Min-max scaler: map every feature column linearly onto a range [a, b]
// (scikit-learn's MinMaxScaler):
//     scaleⱼ  = (b − a) / (maxⱼ − minⱼ),   offsetⱼ = a − minⱼ · scaleⱼ,
//     x' = x · scaleⱼ + offsetⱼ             (so minⱼ ↦ a and maxⱼ ↦ b)
// A constant column (maxⱼ = minⱼ) would divide by zero; as in scikit-learn its
// range is taken as 1, so its values map to a. Values outside the fitted
// range map outside [a, b] (no clipping). inverseTransform: x = (x' − offsetⱼ) / scaleⱼ.
// Minima, maxima and the two coefficients are computed in Double.

import Tensor

/// Maps each feature column linearly so that its fitted minimum and maximum land on `range`.
public struct MinMaxScaler: Transformer {
    /// The target range [a, b]; a < b is required when fitting.
    public var range: ClosedRange<Float>
    /// Each column's minimum in fit (empty before fit).
    public private(set) var dataMin: [Float] = []
    /// Each column's maximum in fit.
    public private(set) var dataMax: [Float] = []
    /// The multiplier of each column, (b − a) / (max − min) (scikit-learn's `scale_`).
    public private(set) var scale: [Float] = []
    /// The added constant of each column, a − min · scale (scikit-learn's `min_`).
    public private(set) var offset: [Float] = []

    /// A scaler onto `range` (default [0, 1]).
    public init(range: ClosedRange<Float> = 0...1) {
        self.range = range
    }

    /// Learns each column's minimum and maximum of X [n, d].
    /// - Throws: `EstimatorError.invalidParameter` when the range is a single point; what `FitInput.check` throws.
    public mutating func fit(_ x: Tensor) throws {
        guard range.lowerBound < range.upperBound else {
            throw EstimatorError.invalidParameter(name: "range", value: "\(range)", expected: "a lower bound below the upper")
        }
        let (n, d) = try FitInput.check(x)
        var low = [Float](repeating: .infinity, count: d)
        var high = [Float](repeating: -.infinity, count: d)
        x.withUnsafeBufferPointer { values in
            low.withUnsafeMutableBufferPointer { low in
                high.withUnsafeMutableBufferPointer { high in
                    for i in 0..<n {
                        for j in 0..<d {
                            low[j] = Swift.min(low[j], values[i * d + j])
                            high[j] = Swift.max(high[j], values[i * d + j])
                        }
                    }
                }
            }
        }
        let width = Double(range.upperBound) - Double(range.lowerBound)
        let scales = (0..<d).map { j -> Double in
            let spread = Double(high[j]) - Double(low[j])
            return width / (spread == 0 ? 1 : spread)
        }
        dataMin = low
        dataMax = high
        scale = scales.map { Float($0) }
        offset = (0..<d).map { j in Float(Double(range.lowerBound) - Double(low[j]) * scales[j]) }
    }

    /// X · scale + offset for X [m, d].
    public func transform(_ x: Tensor) -> Tensor {
        apply(x, op: "MinMaxScaler.transform") { value, scale, offset in value * scale + offset }
    }

    /// (X − offset) / scale: the rows `transform` would map to X [m, d].
    public func inverseTransform(_ x: Tensor) -> Tensor {
        apply(x, op: "MinMaxScaler.inverseTransform") { value, scale, offset in (value - offset) / scale }
    }

    /// `map(value, scaleⱼ, offsetⱼ)` on every element.
    private func apply(_ x: Tensor, op: String, _ map: (Float, Float, Float) -> Float) -> Tensor {
        ColumnwiseAffine.apply(x, first: scale, second: offset, op: op, map)
    }
}
