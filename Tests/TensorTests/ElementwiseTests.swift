import Testing
@testable import Tensor

@Suite struct ElementwiseTests {
    /// Shape pairs covering NumPy's broadcasting rules: equal shapes, scalars,
    /// size-1 axes on either side, rank mismatch, zero-size axes, long vectors (SIMD + tail).
    static let shapePairs: [([Int], [Int])] = [
        ([5], [5]), ([37], [37]), ([], []), ([], [3, 4]), ([3, 4], []),
        ([3, 1], [1, 4]), ([8, 1, 6], [7, 1]), ([2, 3, 4], [4]), ([4], [2, 3, 4]),
        ([2, 1, 4], [1, 3, 1]), ([1], [6, 5]), ([6, 1], [6, 17]), ([5, 33], [33]),
        ([2, 3, 1, 5], [3, 4, 1]), ([0, 3], [3]), ([1, 1, 1], [2, 2]), ([2, 1000], [2, 1]),
    ]

    @Test(arguments: shapePairs)
    func arithmeticMatchesNaiveBroadcasting(_ shapes: ([Int], [Int])) {
        let a = integerTensor(shapes.0, seed: 1)
        let b = integerTensor(shapes.1, seed: 2) + 10   // non-zero divisors
        #expect(a + b == naiveBinary(a, b, +))
        #expect(a - b == naiveBinary(a, b, -))
        #expect(a * b == naiveBinary(a, b, *))
        #expect(maxRelativeError(a / b, naiveBinary(a, b, /)) == 0)
        #expect(Tensor.maximum(a, b) == naiveBinary(a, b, { max($0, $1) }))
        #expect(Tensor.minimum(a, b) == naiveBinary(a, b, { min($0, $1) }))
        #expect((a .< b) == naiveBinary(a, b, { $0 < $1 ? 1 : 0 }))
        #expect((a .>= b) == naiveBinary(a, b, { $0 >= $1 ? 1 : 0 }))
        #expect((a .== a) == Tensor.ones(a.shape))
    }

    @Test func broadcastShapeRules() {
        #expect(Tensor.broadcastShape([8, 1, 6, 1], [7, 1, 5]) == [8, 7, 6, 5])
        #expect(Tensor.broadcastShape([], [2, 3]) == [2, 3])
        #expect(Tensor.broadcastShape([0], [1]) == [0])
        #expect(Tensor([[1], [2]]).broadcast(to: [2, 3]).scalars == [1, 1, 1, 2, 2, 2])
        #expect(Tensor([1, 2, 3]).broadcast(to: [2, 3]).scalars == [1, 2, 3, 1, 2, 3])
    }

    @Test func scalarsOnEitherSide() {
        let x = Tensor([1, 2, 3])
        #expect((x * 2 + 1).scalars == [3, 5, 7])
        #expect((10 - x).scalars == [9, 8, 7])
        #expect((6 / x).scalars == [6, 3, 2])
        #expect((-x).scalars == [-1, -2, -3])
        let negativeZeros = (-Tensor.zeros([20])).scalars
        #expect(negativeZeros.allSatisfy { $0 == 0 && $0.sign == .minus }, "−(+0) is −0 in the SIMD and the scalar tail")
        #expect((x .> 1.5).scalars == [0, 1, 1])
    }

    @Test func inPlaceOperatorsBroadcastTheRightSide() {
        var x = Tensor([[1, 2, 3], [4, 5, 6]])
        x += Tensor([10, 20, 30])
        #expect(x.scalars == [11, 22, 33, 14, 25, 36])
        x -= Tensor([[1], [2]])
        #expect(x.scalars == [10, 21, 32, 12, 23, 34])
        x *= 2
        x /= 2
        #expect(x.scalars == [10, 21, 32, 12, 23, 34])
        var y = Tensor([1, 2])
        y += Tensor([[1, 1], [2, 2]])       // result is bigger: y becomes the broadcast sum
        #expect(y.shape == [2, 2] && y.scalars == [2, 3, 3, 4])
        var z = Tensor([1, 2, 3])
        let alias = z
        z += z                               // aliasing: the copy-on-write keeps `alias` intact
        #expect(z.scalars == [2, 4, 6] && alias.scalars == [1, 2, 3])
    }

    @Test func largeTensorsSplitAcrossCoresGiveTheSameResult() {
        let a = integerTensor([300, 1001], seed: 3), b = integerTensor([1001], seed: 4)
        let sum = a + b
        let reference = naiveBinary(a, b, +)
        #expect(sum == reference)
    }

    @Test func basicFunctions() {
        let x = Tensor([-2, -0.5, 0, 0.5, 4, .nan] + [Float](repeating: -3, count: 20))
        let relu = x.relu().scalars
        #expect(Array(relu[0..<5]) == [0, 0, 0, 0.5, 4] && relu[5].isNaN && relu[6] == 0)
        #expect(Array(x.abs().scalars[0..<5]) == [2, 0.5, 0, 0.5, 4] && x.abs().scalars[6] == 3)
        #expect(Array(x.squared().scalars[0..<5]) == [4, 0.25, 0, 0.25, 16])
        #expect(Tensor([4, 9, 2]).sqrt().scalars == [2, 3, Float(2).squareRoot()])
        let clamped = x.clamped(min: -1, max: 1).scalars
        #expect(Array(clamped[0..<5]) == [-1, -0.5, 0, 0.5, 1] && clamped[5].isNaN && clamped[25] == -1)
    }

    @Test func whereSelectsWithBroadcasting() {
        let mask = Tensor([[1], [0]])
        let chosen = Tensor.where(mask, Tensor([1, 2, 3]), Tensor(-1))
        #expect(chosen.shape == [2, 3] && chosen.scalars == [1, 2, 3, -1, -1, -1])
        let x = Tensor(shape: [40]) { Float($0) - 20 }
        let y = Tensor.where(x .> 0, x, Tensor(0))
        #expect(y == x.relu())
        let keepsInfinity = Tensor.where(Tensor([1, 0]), Tensor([.infinity, 1]), Tensor([2, .infinity]))
        #expect(keepsInfinity.scalars == [.infinity, .infinity])
    }

    @Test func nanPropagatesThroughMaximum() {
        let m = Tensor.maximum(Tensor([1, .nan, 3]), Tensor([.nan, 2, 1])).scalars
        #expect(m[0].isNaN && m[1].isNaN && m[2] == 3)
    }
}
