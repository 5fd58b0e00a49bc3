// Linear, activation layers, Sequential and Flatten: hand-computed values, names, gradients.
import Testing
import NN
import Autograd
import Tensor

@Suite struct LinearTests {
    @Test func handComputedValues() {
        let layer = Linear(2, 3)
        layer.weight.value = Tensor([[1, 2], [3, 4], [5, 6]])
        layer.bias!.value = Tensor([0.5, -1, 0])
        let y = layer(Variable(Tensor([[1, 1], [2, -1]])))
        #expect(y.shape == [2, 3])
        expectClose(y.value.scalars, [3.5, 6, 11, 0.5, 1, 4], "Linear x·Wᵀ + b")
        // A vector gives a vector, a stack of matrices a stack.
        let v = layer(Variable(Tensor([1, 1])))
        #expect(v.shape == [3])
        expectClose(v.value.scalars, [3.5, 6, 11], "Linear on a vector")
        let stacked = layer(Variable(Tensor([[[1, 1]], [[2, -1]]])))
        #expect(stacked.shape == [2, 1, 3])
        expectClose(stacked.value.scalars, [3.5, 6, 11, 0.5, 1, 4], "Linear on (2, 1, 2)")
    }

    @Test func withoutBias() {
        let layer = Linear(3, 2, bias: false, seed: 1)
        #expect(layer.bias == nil)
        #expect(layer.namedParameters.map(\.0) == ["weight"])
        let x = Tensor.normal([4, 3], seed: 2)
        expectClose(layer(Variable(x)).value.scalars,
                    Tensor.matmul(x, layer.weight.value, transposeB: true).scalars, "Linear without bias")
    }

    @Test func gradients() {
        // Step 1e-2; the layer's weight and bias are made gradcheck inputs.
        let layer = Linear(5, 3, seed: 3)
        expectGradientsMatch("Linear", [Tensor.normal([4, 5], seed: 4), layer.weight.value, layer.bias!.value]) { v in
            layer.weight = v[1]
            layer.bias = v[2]
            return layer(v[0])
        }
    }

    @Test func parameterGradientsFromBackward() {
        // ∂(Σ y)/∂W[o, i] = Σ_n x[n, i] and ∂(Σ y)/∂b[o] = N.
        let layer = Linear(2, 3, seed: 5)
        let x = Tensor([[1, 2], [3, -4]])
        layer(Variable(x)).sum().backward()
        expectClose(layer.weight.grad!.scalars, [4, -2, 4, -2, 4, -2], "∂L/∂W")
        expectClose(layer.bias!.grad!.scalars, [2, 2, 2], "∂L/∂b")
    }

    @Test func activationLayers() {
        let x = Variable(Tensor([-1, 0, 1]))
        expectClose(ReLU()(x).value.scalars, [0, 0, 1], "ReLU")
        expectClose(Sigmoid()(x).value.scalars, [0.26894142, 0.5, 0.73105858], "Sigmoid")
        expectClose(Tanh()(x).value.scalars, [-0.76159416, 0, 0.76159416], "Tanh")
        expectClose(SiLU()(x).value.scalars, [-0.26894142, 0, 0.73105858], "SiLU")
        expectClose(GELU()(x).value.scalars, [-0.15865525, 0, 0.84134475], tolerance: 1e-3, "GELU")
    }

    @Test func sequentialNamesAndComposition() {
        let first = Linear(3, 4, seed: 6), second = Linear(4, 2, seed: 7)
        let model = Sequential(first, ReLU(), second)
        #expect(model.namedParameters.map(\.0) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        #expect(model.parameterCount == 3 * 4 + 4 + 4 * 2 + 2)
        let x = Variable(Tensor.normal([5, 3], seed: 8))
        #expect(model(x).value == second(first(x).relu()).value)
        model.eval()
        #expect(!first.isTraining && !second.isTraining)
    }

    @Test func flattenKeepsTheBatchAxis() {
        let x = Variable(Tensor.normal([2, 3, 4], seed: 9), requiresGrad: true)
        let y = Flatten()(x)
        #expect(y.shape == [2, 12])
        #expect(y.value.scalars == x.value.scalars)
        y.sum().backward()
        #expect(x.grad?.shape == [2, 3, 4])
    }
}
