// Conv2d, MaxPool2d and AvgPool2d layers: hand-computed values, sizes, gradients, shape errors.
import Testing
import NN
import Autograd
import Tensor

@Suite struct ConvolutionTests {
    @Test func conv2dHandComputedValues() {
        // One 3×3 image, a 2×2 kernel of ones plus bias 1, padding 0, stride 1: each output
        // is 1 + the sum of a 2×2 window.
        let layer = Conv2d(1, 1, kernelSize: 2)
        layer.weight.value = Tensor.ones([1, 1, 2, 2])
        layer.bias!.value = Tensor([1])
        let x = Tensor(shape: [1, 1, 3, 3], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let y = layer(Variable(x))
        #expect(y.shape == [1, 1, 2, 2])
        expectClose(y.value.scalars, [13, 17, 25, 29], "Conv2d 2×2 window sums + 1")
        // Padding 1, stride 2 on the same image: Ho = ⌊(3 + 2 − 2)/2⌋ + 1 = 2, windows at −1 and 1.
        let strided = Conv2d(1, 1, kernelSize: 2, stride: 2, padding: 1, bias: false)
        strided.weight.value = Tensor.ones([1, 1, 2, 2])
        #expect(strided.outputSize(3) == 2)
        expectClose(strided(Variable(x)).value.scalars, [1, 2 + 3, 4 + 7, 5 + 6 + 8 + 9], "Conv2d stride 2, padding 1")
    }

    @Test func conv2dInitializationAndNames() {
        let layer = Conv2d(3, 8, kernelSize: 5, seed: 1)
        #expect(layer.weight.shape == [8, 3, 5, 5])
        #expect(layer.bias?.shape == [8])
        #expect(layer.namedParameters.map(\.0) == ["weight", "bias"])
        // U(−1/√75, 1/√75): every value inside the bound, std near bound/√3.
        let bound = 1 / Float(75).squareRoot()
        #expect(layer.weight.value.scalars.allSatisfy { abs($0) <= bound })
        #expect(layer.bias!.value.scalars.allSatisfy { abs($0) <= bound })
        let (mean, std) = meanAndStd(layer.weight.value.scalars)
        #expect(abs(mean) < 0.1 * Double(bound))
        #expect(abs(std - Double(bound) / 3.0.squareRoot()) < 0.1 * Double(bound))
        #expect(Conv2d(3, 8, kernelSize: 5, bias: false).namedParameters.map(\.0) == ["weight"])
    }

    @Test func conv2dGradients() {
        // Step 1e-2; weight and bias are made gradcheck inputs.
        let layer = Conv2d(2, 3, kernelSize: 3, stride: 2, padding: 1, seed: 2)
        expectGradientsMatch("Conv2d", [Tensor.normal([2, 2, 5, 5], seed: 3), layer.weight.value, layer.bias!.value]) { v in
            layer.weight = v[1]
            layer.bias = v[2]
            return layer(v[0])
        }
    }

    @Test func poolingHandComputedValues() {
        let x = Variable(Tensor(shape: [1, 1, 4, 4], scalars: (0..<16).map(Float.init)))
        let maxPooled = MaxPool2d(kernelSize: 2)(x)
        #expect(maxPooled.shape == [1, 1, 2, 2])
        expectClose(maxPooled.value.scalars, [5, 7, 13, 15], "MaxPool2d 2×2")
        let avgPooled = AvgPool2d(kernelSize: 2)(x)
        expectClose(avgPooled.value.scalars, [2.5, 4.5, 10.5, 12.5], "AvgPool2d 2×2")
        // Overlapping windows: k 3, s 1 gives ⌊(4 − 3)/1⌋ + 1 = 2 per side.
        expectClose(MaxPool2d(kernelSize: 3, stride: 1)(x).value.scalars, [10, 11, 14, 15], "MaxPool2d k 3, s 1")
        expectClose(AvgPool2d(kernelSize: 3, stride: 1)(x).value.scalars, [5, 6, 9, 10], "AvgPool2d k 3, s 1")
    }

    @Test func poolingGradients() {
        // Step 1e-3 (max pooling is piecewise linear: a small step keeps each window's winner).
        let x = Tensor.normal([2, 3, 5, 5], seed: 4)
        expectGradientsMatch("MaxPool2d", [x], step: 1e-3) { v in MaxPool2d(kernelSize: 2, stride: 1)(v[0]) }
        expectGradientsMatch("AvgPool2d", [x], step: 1e-3) { v in AvgPool2d(kernelSize: 3, stride: 2)(v[0]) }
    }

    @Test func layersStopOnWrongShapes() async {
        await #expect(processExitsWith: .failure) {
            _ = Conv2d(3, 4, kernelSize: 3)(Variable(Tensor.zeros([1, 2, 8, 8])))
        }
        await #expect(processExitsWith: .failure) {
            _ = Conv2d(1, 4, kernelSize: 5)(Variable(Tensor.zeros([1, 1, 3, 3])))
        }
        await #expect(processExitsWith: .failure) {
            _ = MaxPool2d(kernelSize: 2)(Variable(Tensor.zeros([2, 8, 8])))
        }
        await #expect(processExitsWith: .failure) {
            _ = AvgPool2d(kernelSize: 4)(Variable(Tensor.zeros([1, 1, 3, 3])))
        }
    }
}
