// RNN, GRU and LSTM cells and layers: one step against a naive scalar reference,
// the sequence layers against stepping the cell by hand, gradcheck with the
// parameters as inputs, parameter names and shapes, and shape errors.
import Foundation
import Testing
import NN
import Autograd
import Tensor

/// Row b of x (B, n) · Wᵀ (W: m×n) + bias, with plain loops.
private func naiveAffine(_ x: [Float], _ w: [Float], _ bias: [Float], row b: Int, n: Int, m: Int) -> [Float] {
    (0..<m).map { o in (0..<n).reduce(bias[o]) { $0 + x[b * n + $1] * w[o * n + $1] } }
}

private func sigmoid(_ v: Float) -> Float { 1 / (1 + Foundation.exp(-v)) }

/// The four parameter tensors of a cell or layer, in PyTorch's order.
private func values(_ module: some Module) -> [Tensor] { module.parameters.map(\.value) }

@Suite struct RecurrentTests {
    static let batch = 3, inputSize = 4, hiddenSize = 5

    // MARK: Values against a naive reference

    @Test func lstmCellMatchesNaiveReference() {
        let (B, n, H) = (Self.batch, Self.inputSize, Self.hiddenSize)
        let cell = LSTMCell(inputSize: n, hiddenSize: H, seed: 1)
        let x = Tensor.normal([B, n], seed: 2), h = Tensor.normal([B, H], seed: 3), c = Tensor.normal([B, H], seed: 4)
        let (h1, c1) = cell(Variable(x), state: (Variable(h), Variable(c)))
        var expectedH: [Float] = [], expectedC: [Float] = []
        for b in 0..<B {
            let gi = naiveAffine(x.scalars, cell.weightIH.value.scalars, cell.biasIH.value.scalars, row: b, n: n, m: 4 * H)
            let gh = naiveAffine(h.scalars, cell.weightHH.value.scalars, cell.biasHH.value.scalars, row: b, n: H, m: 4 * H)
            for j in 0..<H {
                let i = sigmoid(gi[j] + gh[j]), f = sigmoid(gi[H + j] + gh[H + j])
                let g = Foundation.tanh(gi[2 * H + j] + gh[2 * H + j]), o = sigmoid(gi[3 * H + j] + gh[3 * H + j])
                let cNext = f * c.scalars[b * H + j] + i * g
                expectedC.append(cNext)
                expectedH.append(o * Foundation.tanh(cNext))
            }
        }
        expectClose(h1.value.scalars, expectedH, "LSTMCell h'")
        expectClose(c1.value.scalars, expectedC, "LSTMCell c'")
    }

    @Test func gruCellMatchesNaiveReference() {
        let (B, n, H) = (Self.batch, Self.inputSize, Self.hiddenSize)
        let cell = GRUCell(inputSize: n, hiddenSize: H, seed: 5)
        let x = Tensor.normal([B, n], seed: 6), h = Tensor.normal([B, H], seed: 7)
        let h1 = cell(Variable(x), state: Variable(h))
        var expected: [Float] = []
        for b in 0..<B {
            let gi = naiveAffine(x.scalars, cell.weightIH.value.scalars, cell.biasIH.value.scalars, row: b, n: n, m: 3 * H)
            let gh = naiveAffine(h.scalars, cell.weightHH.value.scalars, cell.biasHH.value.scalars, row: b, n: H, m: 3 * H)
            for j in 0..<H {
                let r = sigmoid(gi[j] + gh[j]), z = sigmoid(gi[H + j] + gh[H + j])
                let candidate = Foundation.tanh(gi[2 * H + j] + r * gh[2 * H + j])
                expected.append((1 - z) * candidate + z * h.scalars[b * H + j])
            }
        }
        expectClose(h1.value.scalars, expected, "GRUCell h'")
    }

    @Test func rnnCellMatchesNaiveReference() {
        let (B, n, H) = (Self.batch, Self.inputSize, Self.hiddenSize)
        let cell = RNNCell(inputSize: n, hiddenSize: H, seed: 8)
        let x = Tensor.normal([B, n], seed: 9), h = Tensor.normal([B, H], seed: 10)
        let h1 = cell(Variable(x), state: Variable(h))
        var expected: [Float] = []
        for b in 0..<B {
            let gi = naiveAffine(x.scalars, cell.weightIH.value.scalars, cell.biasIH.value.scalars, row: b, n: n, m: H)
            let gh = naiveAffine(h.scalars, cell.weightHH.value.scalars, cell.biasHH.value.scalars, row: b, n: H, m: H)
            expected += (0..<H).map { Foundation.tanh(gi[$0] + gh[$0]) }
        }
        expectClose(h1.value.scalars, expected, "RNNCell h'")
    }

    // MARK: Sequence layers against stepping the cell

    /// Step t of x (B, T, n) as (B, n).
    private func step(_ x: Tensor, _ t: Int) -> Variable { Variable(x.slice(axis: 1, t..<t + 1).squeezed(axis: 1)) }

    @Test func lstmLayerEqualsSteppedCell() {
        let layer = LSTM(inputSize: 4, hiddenSize: 5, seed: 11)
        let cell = LSTMCell(inputSize: 4, hiddenSize: 5)
        for (p, q) in zip(cell.parameters, layer.parameters) { p.value = q.value }
        let x = Tensor.normal([2, 6, 4], seed: 12)
        let h0 = Variable(Tensor.normal([2, 5], seed: 13)), c0 = Variable(Tensor.normal([2, 5], seed: 14))
        let (output, final) = layer(Variable(x), state: (h0, c0))
        #expect(output.shape == [2, 6, 5])
        var state = (h: h0, c: c0)
        for t in 0..<6 {
            state = cell(step(x, t), state: state)
            expectClose(output.value.slice(axis: 1, t..<t + 1).scalars, state.h.value.scalars, "LSTM output at step \(t)")
        }
        expectClose(final.h.value.scalars, state.h.value.scalars, "LSTM final h")
        expectClose(final.c.value.scalars, state.c.value.scalars, "LSTM final c")
    }

    @Test func gruLayerEqualsSteppedCell() {
        let layer = GRU(inputSize: 4, hiddenSize: 5, seed: 15)
        let cell = GRUCell(inputSize: 4, hiddenSize: 5)
        for (p, q) in zip(cell.parameters, layer.parameters) { p.value = q.value }
        let x = Tensor.normal([2, 6, 4], seed: 16)
        var h = Variable(Tensor.zeros([2, 5]))
        let (output, final) = layer(Variable(x))
        #expect(output.shape == [2, 6, 5])
        for t in 0..<6 {
            h = cell(step(x, t), state: h)
            expectClose(output.value.slice(axis: 1, t..<t + 1).scalars, h.value.scalars, "GRU output at step \(t)")
        }
        expectClose(final.value.scalars, h.value.scalars, "GRU final h")
    }

    @Test func rnnLayerEqualsSteppedCell() {
        let layer = RNN(inputSize: 4, hiddenSize: 5, seed: 17)
        let cell = RNNCell(inputSize: 4, hiddenSize: 5)
        for (p, q) in zip(cell.parameters, layer.parameters) { p.value = q.value }
        let x = Tensor.normal([2, 6, 4], seed: 18)
        var h = Variable(Tensor.normal([2, 5], seed: 19))
        let (output, final) = layer(Variable(x), state: h)
        #expect(output.shape == [2, 6, 5])
        for t in 0..<6 {
            h = cell(step(x, t), state: h)
            expectClose(output.value.slice(axis: 1, t..<t + 1).scalars, h.value.scalars, "RNN output at step \(t)")
        }
        expectClose(final.value.scalars, h.value.scalars, "RNN final h")
    }

    // MARK: Parameters

    @Test func parameterNamesShapesAndInitialization() {
        let lstm = LSTM(inputSize: 5, hiddenSize: 7)
        #expect(lstm.namedParameters.map(\.0) == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"])
        #expect(lstm.parameters.map(\.shape) == [[28, 5], [28, 7], [28], [28]])
        let cell = GRUCell(inputSize: 5, hiddenSize: 7)
        #expect(cell.namedParameters.map(\.0) == ["weight_ih", "weight_hh", "bias_ih", "bias_hh"])
        #expect(cell.parameters.map(\.shape) == [[21, 5], [21, 7], [21], [21]])
        #expect(RNN(inputSize: 5, hiddenSize: 7).parameters.map(\.shape) == [[7, 5], [7, 7], [7], [7]])
        // U(−1/√H, 1/√H) for every parameter: within the bound, and spread over it (a uniform's std is bound/√3).
        let bound = 1 / Float(7).squareRoot()
        let all = lstm.parameters.flatMap(\.value.scalars)
        #expect(all.allSatisfy { abs($0) <= bound })
        let (mean, std) = meanAndStd(all)
        #expect(abs(mean) < 0.05 && abs(std - Double(bound) / 3.0.squareRoot()) < 0.03, "mean \(mean), std \(std)")
    }

    // MARK: Gradients (step 1e-2; input, parameters and initial state are all gradcheck inputs)

    @Test func lstmCellGradients() {
        let cell = LSTMCell(inputSize: 3, hiddenSize: 4, seed: 20)
        let inputs = [Tensor.normal([2, 3], seed: 21)] + values(cell)
            + [Tensor.normal([2, 4], seed: 22), Tensor.normal([2, 4], seed: 23)]
        expectGradientsMatch("LSTMCell h' and c'", inputs) { v in
            (cell.weightIH, cell.weightHH, cell.biasIH, cell.biasHH) = (v[1], v[2], v[3], v[4])
            let (h, c) = cell(v[0], state: (v[5], v[6]))
            return Variable.concatenated([h, c], axis: 1)
        }
    }

    @Test func lstmLayerGradients() {
        let layer = LSTM(inputSize: 3, hiddenSize: 4, seed: 24)
        let inputs = [Tensor.normal([2, 5, 3], seed: 25)] + values(layer)
            + [Tensor.normal([2, 4], seed: 26), Tensor.normal([2, 4], seed: 27)]
        expectGradientsMatch("LSTM outputs and final c", inputs) { v in
            (layer.weightIH, layer.weightHH, layer.biasIH, layer.biasHH) = (v[1], v[2], v[3], v[4])
            let (output, final) = layer(v[0], state: (v[5], v[6]))
            return Variable.concatenated([output.reshaped([2, 20]), final.c], axis: 1)
        }
    }

    @Test func gruCellGradients() {
        let cell = GRUCell(inputSize: 3, hiddenSize: 4, seed: 28)
        let inputs = [Tensor.normal([2, 3], seed: 29)] + values(cell) + [Tensor.normal([2, 4], seed: 30)]
        expectGradientsMatch("GRUCell", inputs) { v in
            (cell.weightIH, cell.weightHH, cell.biasIH, cell.biasHH) = (v[1], v[2], v[3], v[4])
            return cell(v[0], state: v[5])
        }
    }

    @Test func gruLayerGradients() {
        let layer = GRU(inputSize: 3, hiddenSize: 4, seed: 31)
        let inputs = [Tensor.normal([2, 5, 3], seed: 32)] + values(layer) + [Tensor.normal([2, 4], seed: 33)]
        expectGradientsMatch("GRU", inputs) { v in
            (layer.weightIH, layer.weightHH, layer.biasIH, layer.biasHH) = (v[1], v[2], v[3], v[4])
            return layer(v[0], state: v[5]).output
        }
    }

    @Test func rnnCellGradients() {
        let cell = RNNCell(inputSize: 3, hiddenSize: 4, seed: 34)
        let inputs = [Tensor.normal([2, 3], seed: 35)] + values(cell) + [Tensor.normal([2, 4], seed: 36)]
        expectGradientsMatch("RNNCell", inputs) { v in
            (cell.weightIH, cell.weightHH, cell.biasIH, cell.biasHH) = (v[1], v[2], v[3], v[4])
            return cell(v[0], state: v[5])
        }
    }

    @Test func rnnLayerGradients() {
        let layer = RNN(inputSize: 3, hiddenSize: 4, seed: 37)
        let inputs = [Tensor.normal([2, 5, 3], seed: 38)] + values(layer) + [Tensor.normal([2, 4], seed: 39)]
        expectGradientsMatch("RNN", inputs) { v in
            (layer.weightIH, layer.weightHH, layer.biasIH, layer.biasHH) = (v[1], v[2], v[3], v[4])
            return layer(v[0], state: v[5]).output
        }
    }

    // MARK: Shape errors stop the process

    @Test func wrongShapesStop() async {
        await #expect(processExitsWith: .failure) {
            _ = LSTM(inputSize: 5, hiddenSize: 7)(Variable(Tensor.zeros([2, 3, 4])))
        }
        await #expect(processExitsWith: .failure) {
            _ = LSTMCell(inputSize: 5, hiddenSize: 7)(Variable(Tensor.zeros([2, 5])),
                                                      state: (Variable(Tensor.zeros([2, 7])), Variable(Tensor.zeros([3, 7]))))
        }
        await #expect(processExitsWith: .failure) {
            _ = GRU(inputSize: 5, hiddenSize: 7)(Variable(Tensor.zeros([2, 3, 5])), state: Variable(Tensor.zeros([2, 6])))
        }
        await #expect(processExitsWith: .failure) {
            _ = RNNCell(inputSize: 5, hiddenSize: 7)(Variable(Tensor.zeros([2, 3, 5])))
        }
    }
}
