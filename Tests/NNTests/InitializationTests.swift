// Initialization: fans from shapes, and the statistics of large samples against the formulas.
import Testing
import NN
import Tensor

@Suite struct InitializationTests {
    @Test func fansFromShapes() {
        #expect(Initialization.fans([256, 784]) == (fanIn: 784, fanOut: 256))
        #expect(Initialization.fans([16, 3, 5, 5]) == (fanIn: 75, fanOut: 400))    // conv weight [out, in, kh, kw]
    }

    @Test func xavierStatistics() {
        var generator = RandomGenerator(seed: 1)
        let shape = [400, 600]                                                 // fanIn 600, fanOut 400
        let bound = Float(6.0 / 1000).squareRoot()
        let uniform = Initialization.xavierUniform(shape, using: &generator).scalars
        #expect(uniform.allSatisfy { abs($0) <= bound })
        let u = meanAndStd(uniform)
        #expect(abs(u.mean) < 2e-3)
        #expect(abs(u.std - Double(bound) / 3.0.squareRoot()) / (Double(bound) / 3.0.squareRoot()) < 0.02)

        let normal = Initialization.xavierNormal(shape, gain: 2, using: &generator).scalars
        let n = meanAndStd(normal)
        let expectedStd = 2 * (2.0 / 1000).squareRoot()
        #expect(abs(n.mean) < 2e-3)
        #expect(abs(n.std - expectedStd) / expectedStd < 0.02)
    }

    @Test func kaimingStatistics() {
        var generator = RandomGenerator(seed: 2)
        let shape = [512, 1024]                                                // fanIn 1024
        let normal = Initialization.kaimingNormal(shape, using: &generator).scalars
        let n = meanAndStd(normal)
        let expectedStd = 2.0.squareRoot() / 32                                // √2 / √1024
        #expect(abs(n.mean) < 1e-3)
        #expect(abs(n.std - expectedStd) / expectedStd < 0.02)

        let uniform = Initialization.kaimingUniform(shape, using: &generator).scalars
        let bound = Float(2).squareRoot() * Float(3.0 / 1024).squareRoot()
        #expect(uniform.allSatisfy { abs($0) <= bound })
        #expect(uniform.contains { abs($0) > 0.99 * bound })                  // the whole range is used
        let u = meanAndStd(uniform)
        #expect(abs(u.std - expectedStd) / expectedStd < 0.02)                // same variance as the normal
    }

    @Test func linearUsesPyTorchDefaultAndSeed() {
        let layer = Linear(1000, 500, seed: 3)
        let bound = 1 / Float(1000).squareRoot()
        let w = layer.weight.value.scalars, b = layer.bias!.value.scalars
        #expect(layer.weight.shape == [500, 1000] && layer.bias!.shape == [500])
        #expect(w.allSatisfy { abs($0) <= bound } && b.allSatisfy { abs($0) <= bound })
        let stats = meanAndStd(w)
        #expect(abs(stats.std - Double(bound) / 3.0.squareRoot()) / (Double(bound) / 3.0.squareRoot()) < 0.02)
        #expect(Linear(1000, 500, seed: 3).weight.value == layer.weight.value)  // same seed, same numbers
        #expect(Linear(1000, 500, seed: 4).weight.value != layer.weight.value)
    }
}
