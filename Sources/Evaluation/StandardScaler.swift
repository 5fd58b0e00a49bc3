// Standard scaler: give every feature column mean 0 and variance 1
// (scikit-learn's StandardScaler):
//     z = (x − μⱼ) / σⱼ,   μⱼ = (1/n) Σᵢ xᵢⱼ,   σⱼ = √((1/n) Σᵢ (xᵢⱼ − μⱼ)²)
// σ is the population standard deviation (divide by n, not n − 1), computed in
// Double with two passes (mean first, then squared deviations). A constant
// column (all values equal) has σ = 0; its scale is set to 1, as scikit-learn
// does, so it becomes a column of zeros instead of NaNs.
// inverseTransform undoes the map: x = z · σⱼ + μⱼ.

import Tensor

/// Centres each feature column on its mean and divides it by its standard deviation.
public struct StandardScaler: Transformer {
    /// Subtract the column means.
    public var withMean: Bool
    /// Divide by the column standard deviations.
    public var withStd: Bool
    /// The column means μⱼ learned by `fit` (empty before).
    public private(set) var mean: [Float] = []
    /// The column scales σⱼ learned by `fit` (1 for a constant column; empty before fit).
    public private(set) var scale: [Float] = []

    /// A scaler that centres (`withMean`) and/or divides by the standard deviation (`withStd`).
    public init(withMean: Bool = true, withStd: Bool = true) {
        self.withMean = withMean
        self.withStd = withStd
    }

    /// Learns the mean and standard deviation of each column of X [n, d].
    public mutating func fit(_ x: Tensor) throws {
        let (n, d) = try FitInput.check(x)
        var sums = [Double](repeating: 0, count: d)
        var squares = [Double](repeating: 0, count: d)
        var constant = [Bool](repeating: true, count: d)
        x.withUnsafeBufferPointer { values in
            sums.withUnsafeMutableBufferPointer { mean in
                squares.withUnsafeMutableBufferPointer { square in
                    constant.withUnsafeMutableBufferPointer { constant in
                        for i in 0..<n { for j in 0..<d { mean[j] += Double(values[i * d + j]) } }
                        for j in 0..<d { mean[j] /= Double(n) }
                        for i in 0..<n {
                            for j in 0..<d {
                                let value = values[i * d + j]
                                let deviation = Double(value) - mean[j]
                                square[j] += deviation * deviation
                                if value != values[j] { constant[j] = false }   // compare with row 0
                            }
                        }
                    }
                }
            }
        }
        mean = sums.map { Float($0) }
        scale = (0..<d).map { j in constant[j] ? 1 : Float((squares[j] / Double(n)).squareRoot()) }
    }

    /// (X − μ) / σ for X [m, d], column by column (each part only if enabled).
    public func transform(_ x: Tensor) -> Tensor {
        apply(x, op: "StandardScaler.transform") { value, mean, scale in (value - mean) / scale }
    }

    /// X · σ + μ: the rows `transform` would map to X [m, d].
    public func inverseTransform(_ x: Tensor) -> Tensor {
        apply(x, op: "StandardScaler.inverseTransform") { value, mean, scale in value * scale + mean }
    }

    /// `map(value, μⱼ, σⱼ)` on every element, with μ = 0 or σ = 1 where disabled.
    private func apply(_ x: Tensor, op: String, _ map: (Float, Float, Float) -> Float) -> Tensor {
        let d = mean.count
        let shift = withMean ? mean : [Float](repeating: 0, count: d)
        let divisor = withStd ? scale : [Float](repeating: 1, count: d)
        return ColumnwiseAffine.apply(x, first: shift, second: divisor, op: op, map)
    }
}
