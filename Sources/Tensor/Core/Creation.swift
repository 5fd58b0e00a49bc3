// Creation: the usual ways to start a tensor (NumPy's zeros, ones, full, eye,
// arange and linspace).
//   arange(start, end, step) = [start, start + step, …] while < end (> end for step < 0)
//   linspace(a, b, n)        = a + i · (b − a)/(n − 1), i = 0 … n−1 (both ends included)

extension Tensor {
    /// All zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }
    /// All ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }
    /// Every element equal to `value`.
    public static func full(_ shape: [Int], _ value: Float) -> Tensor { Tensor(shape: shape, repeating: value) }
    /// Zeros with the shape of `other`.
    public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape) }
    /// Ones with the shape of `other`.
    public static func ones(like other: Tensor) -> Tensor { ones(other.shape) }

    /// The n×m identity-like matrix: ones on the diagonal, zeros elsewhere (m defaults to n).
    public static func eye(_ n: Int, _ m: Int? = nil) -> Tensor {
        let columns = m ?? n
        var t = zeros([n, columns])
        t.withUnsafeMutableBufferPointer { out in
            for i in 0..<Swift.min(n, columns) { out[i * columns + i] = 1 }
        }
        return t
    }

    /// Evenly spaced values in [start, end) with a step (like `numpy.arange`).
    public static func arange(_ start: Float, _ end: Float, step: Float = 1) -> Tensor {
        precondition(step != 0 && step.isFinite, "arange: step must be finite and non-zero, got \(step)")
        let n = Swift.max(0, Int((Double(end - start) / Double(step)).rounded(.up)))
        return Tensor(shape: [n]) { start + Float($0) * step }
    }

    /// 0, 1, …, n−1.
    public static func arange(_ n: Int) -> Tensor { arange(0, Float(n)) }

    /// `count` evenly spaced values from `start` to `end`, both included (like `numpy.linspace`).
    public static func linspace(_ start: Float, _ end: Float, count: Int) -> Tensor {
        precondition(count >= 0, "linspace: count must be >= 0, got \(count)")
        if count == 1 { return Tensor([start]) }
        let step = (Double(end) - Double(start)) / Double(count - 1)
        return Tensor(shape: [count]) { i in i == count - 1 ? end : Float(Double(start) + Double(i) * step) }
    }
}
