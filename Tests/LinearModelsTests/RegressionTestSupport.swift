// Synthetic regression data and naive Double-precision references for the tests.
import LinearModels

/// y = X·w + b + N(0, noise²), X ~ N(0, 1) (shifted by `featureMean`), all from one seed.
struct SyntheticRegression {
    let x: Tensor
    let y: Tensor
    let weights: [Float]
    let intercept: Float

    init(samples n: Int, features d: Int, weights: [Float]? = nil, intercept: Float = 0.5,
         noise: Float = 0.1, featureMean: Float = 0, seed: UInt64) {
        var generator = RandomGenerator(seed: seed)
        let w = weights ?? (0..<d).map { _ in Float(generator.normal()) }
        precondition(w.count == d)
        var xs = [Float](repeating: 0, count: n * d)
        var ys = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var sum = Double(intercept)
            for j in 0..<d {
                let value = Float(generator.normal()) + featureMean
                xs[i * d + j] = value
                sum += Double(value) * Double(w[j])
            }
            ys[i] = Float(sum + Double(noise) * generator.normal())
        }
        x = Tensor(shape: [n, d], scalars: xs)
        y = Tensor(shape: [n], scalars: ys)
        self.weights = w
        self.intercept = intercept
    }
}

/// The largest |a_i − b_i|.
func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// Ridge / least squares solved naively in Double: centre (when `intercept`), form X̃ᵀX̃ + αI and X̃ᵀỹ
/// with plain loops, then Gaussian elimination with partial pivoting. Returns (w, b).
func naiveRidge(_ x: Tensor, _ y: Tensor, alpha: Double, intercept: Bool) -> (weights: [Double], intercept: Double) {
    let (n, d) = (x.shape[0], x.shape[1])
    let xs = x.scalars.map(Double.init), ys = y.scalars.map(Double.init)
    var means = [Double](repeating: 0, count: d)
    var yMean = 0.0
    if intercept {
        for i in 0..<n { for j in 0..<d { means[j] += xs[i * d + j] / Double(n) } }
        yMean = ys.reduce(0, +) / Double(n)
    }
    // Augmented system [A | c], A = X̃ᵀX̃ + αI, c = X̃ᵀỹ.
    var a = [[Double]](repeating: [Double](repeating: 0, count: d + 1), count: d)
    for i in 0..<n {
        for j in 0..<d {
            let xj = xs[i * d + j] - means[j]
            for k in 0..<d { a[j][k] += xj * (xs[i * d + k] - means[k]) }
            a[j][d] += xj * (ys[i] - yMean)
        }
    }
    for j in 0..<d { a[j][j] += alpha }
    for column in 0..<d {
        let pivot = (column..<d).max { abs(a[$0][column]) < abs(a[$1][column]) }!
        a.swapAt(column, pivot)
        for row in 0..<d where row != column {
            let factor = a[row][column] / a[column][column]
            for k in column...d { a[row][k] -= factor * a[column][k] }
        }
    }
    let w = (0..<d).map { a[$0][d] / a[$0][$0] }
    let b = intercept ? yMean - zip(means, w).map { $0 * $1 }.reduce(0, +) : 0
    return (w, b)
}
