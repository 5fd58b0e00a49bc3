// Naive references for the Tensor tests: index arithmetic in Double, no SIMD,
// no broadcasting plan, so that they are obviously right.
import Testing
@testable import Tensor

/// Multi-index of a row-major offset.
func multiIndex(_ offset: Int, _ shape: [Int]) -> [Int] {
    var index = [Int](repeating: 0, count: shape.count)
    var remaining = offset
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        index[axis] = remaining % shape[axis]
        remaining /= shape[axis]
    }
    return index
}

/// Element of a tensor (`values` of `shape`) read at a multi-index of a (possibly bigger) broadcast shape.
func broadcastRead(_ values: [Float], _ shape: [Int], _ index: [Int]) -> Float {
    let pad = index.count - shape.count
    var offset = 0
    for axis in 0..<shape.count {
        let i = shape[axis] == 1 ? 0 : index[axis + pad]
        offset = offset * shape[axis] + i
    }
    return values[offset]
}

/// The broadcast result shape computed independently of Tensor.broadcastShape.
func naiveBroadcastShape(_ a: [Int], _ b: [Int]) -> [Int] {
    let rank = max(a.count, b.count)
    let pa = [Int](repeating: 1, count: rank - a.count) + a
    let pb = [Int](repeating: 1, count: rank - b.count) + b
    return zip(pa, pb).map { $0 == 1 ? $1 : $0 }
}

/// f applied pairwise with broadcasting, computed element by element.
func naiveBinary(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
    let shape = naiveBroadcastShape(a.shape, b.shape)
    let count = shape.reduce(1, *)
    let (av, bv) = (a.scalars, b.scalars)
    let values = (0..<count).map { o -> Float in
        let index = multiIndex(o, shape)
        return f(broadcastRead(av, a.shape, index), broadcastRead(bv, b.shape, index))
    }
    return Tensor(shape: shape, scalars: values)
}

/// Largest |a − b| / (1 + |b|) over all elements (shapes must match).
func maxRelativeError(_ a: Tensor, _ b: Tensor) -> Float {
    #expect(a.shape == b.shape, "shapes differ: \(a.shape) vs \(b.shape)")
    guard a.shape == b.shape else { return .infinity }
    var worst: Float = 0
    for (x, y) in zip(a.scalars, b.scalars) {
        if x.isNaN && y.isNaN { continue }
        if x == y { continue }
        worst = max(worst, abs(x - y) / (1 + abs(y)))
    }
    return worst
}

/// A seeded tensor of small integers stored as Floats (exact under + − ×).
func integerTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var g = RandomGenerator(seed: seed)
    return Tensor(shape: shape) { _ in Float(g.nextInt(below: 19) - 9) }
}
