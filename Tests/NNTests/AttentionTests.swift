// Multi-head self-attention and the Softmax layer: gradients against finite differences,
// causality (the output at t ignores inputs after t), and shape errors.
import Foundation
import Testing
@testable import NN
import Autograd
import Tensor

@Suite struct AttentionTests {
    @Test func attentionGradientsMatchFiniteDifferences() {
        // Step 1e-2; the input and all four parameters are gradcheck inputs.
        for causal in [true, false] {
            let layer = MultiheadAttention(embedDimension: 6, headCount: 2, causal: causal, seed: 7)
            let inputs = [Tensor.normal([2, 4, 6], seed: 8),
                          layer.inputProjectionWeight.value,
                          Tensor.normal([18], mean: 0, std: 0.1, seed: 9),   // a non-zero bias
                          layer.outputProjection.weight.value,
                          Tensor.normal([6], mean: 0, std: 0.1, seed: 10)]
            expectGradientsMatch("MultiheadAttention(causal: \(causal))", inputs) { v in
                layer.inputProjectionWeight = v[1]
                layer.inputProjectionBias = v[2]
                layer.outputProjection.weight = v[3]
                layer.outputProjection.bias = v[4]
                return layer(v[0])
            }
        }
    }

    @Test func parametersHavePyTorchNamesShapesAndInitialization() {
        let layer = MultiheadAttention(embedDimension: 8, headCount: 4, seed: 3)
        let shapes = Dictionary(uniqueKeysWithValues: layer.namedParameters.map { ($0.0, $0.1.shape) })
        #expect(shapes == ["in_proj_weight": [24, 8], "in_proj_bias": [24],
                           "out_proj.weight": [8, 8], "out_proj.bias": [8]])
        #expect(layer.inputProjectionBias.value.abs().max() == 0)
        #expect(layer.outputProjection.bias!.value.abs().max() == 0)
        let xavierBound = (6 / Float(8 + 24)).squareRoot()
        #expect(layer.inputProjectionWeight.value.abs().max() <= xavierBound)
        #expect(layer.outputProjection.weight.value.abs().max() <= 1 / Float(8).squareRoot())
        #expect(layer.headSize == 2)
    }

    @Test func outputAtPositionTIgnoresLaterInputs() {
        let layer = MultiheadAttention(embedDimension: 8, headCount: 2, seed: 4)
        let (b, t, c) = (2, 6, 8)
        let x = Tensor.normal([b, t, c], seed: 5)
        let before = noGrad { layer(Variable(x)).value }
        for changedFrom in 1..<t {
            // Replace every position ≥ changedFrom by other numbers.
            var changed = x
            let noise = Tensor.normal([b, t, c], seed: UInt64(20 + changedFrom))
            changed.withUnsafeMutableBufferPointer { p in
                noise.withUnsafeBufferPointer { n in
                    for batch in 0..<b {
                        for position in changedFrom..<t {
                            for channel in 0..<c {
                                let i = (batch * t + position) * c + channel
                                p[i] = n[i]
                            }
                        }
                    }
                }
            }
            let after = noGrad { layer(Variable(changed)).value }
            let kept = 0..<changedFrom
            #expect(after.slice(axis: 1, kept) == before.slice(axis: 1, kept),
                    "output before position \(changedFrom) changed")
            #expect(after.slice(axis: 1, changedFrom..<t) != before.slice(axis: 1, changedFrom..<t),
                    "output from position \(changedFrom) on should change")
        }
    }

    @Test func keyBiasDoesNotChangeTheOutput() {
        // b_k adds q_t · b_k to every score in row t; the softmax removes a shift of a whole row.
        let layer = MultiheadAttention(embedDimension: 4, headCount: 2, seed: 12)
        let x = Variable(Tensor.normal([2, 3, 4], seed: 13))
        let before = noGrad { layer(x).value }
        var bias = Tensor.zeros([12])
        bias.withUnsafeMutableBufferPointer { for i in 4..<8 { $0[i] = Float(i) - 5.5 } }
        layer.inputProjectionBias = Variable(bias)
        let after = noGrad { layer(x).value }
        #expect(relativeDifference(after, before) < 1e-5)
    }

    @Test func nonCausalAttentionSeesLaterInputs() {
        let layer = MultiheadAttention(embedDimension: 4, headCount: 1, causal: false, seed: 6)
        var x = Tensor.normal([1, 3, 4], seed: 7)
        let before = noGrad { layer(Variable(x)).value }
        x.withUnsafeMutableBufferPointer { $0[8] += 1 }   // position 2
        let after = noGrad { layer(Variable(x)).value }
        #expect(after.slice(axis: 1, 0..<1) != before.slice(axis: 1, 0..<1))
    }

    @Test func singleHeadMatchesNaiveAttention() {
        // One causal head, projections set to the identity, zero biases:
        // out_t = Σ_{s ≤ t} softmax_s(x_t · x_s / √C) x_s.
        let c = 3, t = 4
        let layer = MultiheadAttention(embedDimension: c, headCount: 1, causal: true, seed: 1)
        var identity3 = Tensor.zeros([3 * c, c])
        identity3.withUnsafeMutableBufferPointer { w in
            for block in 0..<3 { for i in 0..<c { w[(block * c + i) * c + i] = 1 } }
        }
        var identity = Tensor.zeros([c, c])
        identity.withUnsafeMutableBufferPointer { w in for i in 0..<c { w[i * c + i] = 1 } }
        layer.inputProjectionWeight = Variable(identity3)
        layer.outputProjection.weight = Variable(identity)
        let x = Tensor.normal([1, t, c], seed: 2)
        let out = noGrad { layer(Variable(x)).value }.scalars
        let xs = x.scalars
        var expected = [Float]()
        for row in 0..<t {
            var weights = (0...row).map { s in
                (0..<c).reduce(Float(0)) { $0 + xs[row * c + $1] * xs[s * c + $1] } / Float(c).squareRoot()
            }
            let largest = weights.max()!
            weights = weights.map { Foundation.exp($0 - largest) }
            let total = weights.reduce(0, +)
            for channel in 0..<c {
                expected.append((0...row).reduce(Float(0)) { $0 + weights[$1] / total * xs[$1 * c + channel] })
            }
        }
        expectClose(out, expected, tolerance: 1e-5, "causal single-head attention")
    }

    @Test func softmaxLayerNormalizesItsAxisAndHasCorrectGradients() {
        let x = Tensor.normal([3, 4, 5], seed: 11)
        for axis in [0, 1, -1] {
            let y = Softmax(axis: axis)(Variable(x)).value
            let sums = y.sum(axis: axis)
            expectClose(sums.scalars, [Float](repeating: 1, count: sums.count), tolerance: 1e-5,
                        "Softmax(axis: \(axis)) sums")
            #expect(y == x.softmax(axis: axis))
            // Step 1e-2.
            expectGradientsMatch("Softmax(axis: \(axis))", [x]) { v in Softmax(axis: axis)(v[0]) }
        }
    }

    @Test func wrongShapesStop() async {
        await #expect(processExitsWith: .failure) {
            _ = MultiheadAttention(embedDimension: 10, headCount: 3)
        }
        await #expect(processExitsWith: .failure) {
            _ = MultiheadAttention(embedDimension: 8, headCount: 2)(Variable(Tensor.zeros([2, 5, 6])))
        }
        await #expect(processExitsWith: .failure) {
            _ = MultiheadAttention(embedDimension: 8, headCount: 2)(Variable(Tensor.zeros([5, 8])))
        }
        await #expect(processExitsWith: .failure) {
            _ = Softmax(axis: 3)(Variable(Tensor.zeros([2, 5, 6])))
        }
    }
}
