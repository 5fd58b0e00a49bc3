// The fused LSTM sequence op (NN/LSTMSequenceOp.swift, used by NN's LSTM)
// against the unrolled step-by-step definition (LSTM.unrolledForward): the same
// outputs and final state, and the same gradients for every input, with hidden
// sizes that exercise both the 16-lane path and the scalar tail, the packed
// strips and the GEMM fallback, and (B 32, H 128) the steps split across cores.
import Testing
import Autograd
import NN
import Tensor

@Suite("Fused LSTM sequence")
struct LSTMSequenceTests {
    /// A fixed, position-dependent weighting so that every output element matters differently to the loss.
    func weightedSum(_ x: Variable, seed: UInt64) -> Variable {
        (x * Variable(Tensor.normal(x.shape, seed: seed))).sum()
    }

    @Test("Fused forward and backward equal the unrolled steps", arguments: [(3, 6, 5, 20), (2, 4, 3, 32), (1, 1, 2, 7), (3, 4, 5, 48), (32, 3, 4, 128)])
    func matchesUnrolled(batch: Int, steps: Int, inputSize: Int, hidden: Int) throws {
        let layer = LSTM(inputSize: inputSize, hiddenSize: hidden, seed: 40)
        let x = Variable(Tensor.normal([batch, steps, inputSize], seed: 41), requiresGrad: true)
        let h0 = Variable(Tensor.normal([batch, hidden], seed: 42), requiresGrad: true)
        let c0 = Variable(Tensor.normal([batch, hidden], seed: 43), requiresGrad: true)

        func run(_ forward: (Variable, (h: Variable, c: Variable)) -> (output: Variable, state: (h: Variable, c: Variable)))
            -> (values: [[Float]], grads: [[Float]]) {
            layer.zeroGrad(); x.zeroGrad(); h0.zeroGrad(); c0.zeroGrad()
            let (output, final) = forward(x, (h0, c0))
            let loss = weightedSum(output, seed: 44) + weightedSum(final.h, seed: 45) + weightedSum(final.c, seed: 46)
            loss.backward()
            let watched = [x, h0, c0] + layer.parameters
            return ([output.value.scalars, final.h.value.scalars, final.c.value.scalars],
                    watched.map { $0.grad?.scalars ?? [] })
        }
        let fused = run { layer($0, state: $1) }
        let unrolled = run { layer.unrolledForward($0, state: $1) }
        for (k, name) in ["output", "final h", "final c"].enumerated() {
            expectClose(fused.values[k], unrolled.values[k], tolerance: 1e-5, "\(name) (B \(batch), T \(steps), H \(hidden))")
        }
        let names = ["input", "h0", "c0", "weight_ih", "weight_hh", "bias_ih", "bias_hh"]
        for (k, name) in names.enumerated() {
            try #require(!fused.grads[k].isEmpty, "no gradient for \(name)")
            expectClose(fused.grads[k], unrolled.grads[k], tolerance: 1e-4, "∂L/∂\(name) (H \(hidden))")
        }
    }

    @Test("lstmSequence passes a finite-difference gradient check (16-lane path and tail)")
    func gradientCheck() {
        let hidden = 17, batch = 2, steps = 3
        let inputs = [Tensor.normal([batch, steps, 4 * hidden], seed: 50), Tensor.normal([batch, hidden], seed: 51),
                      Tensor.normal([batch, hidden], seed: 52), Tensor.normal([4 * hidden, hidden], seed: 53) * 0.3,
                      Tensor.normal([4 * hidden], seed: 54)]
        expectGradientsMatch("lstmSequence", inputs) { v in
            Variable.lstmSequence(inputGates: v[0], h0: v[1], c0: v[2], weightHH: v[3], biasHH: v[4])
        }
    }

    @Test("The packed result holds every h_t then c_T, and the layer's final state continues the sequence")
    func packedLayoutAndContinuation() {
        let layer = LSTM(inputSize: 3, hiddenSize: 16, seed: 60)
        let x = Variable(Tensor.normal([2, 6, 3], seed: 61))
        let whole = layer(x)
        let first = layer(x.slice(axis: 1, 0..<4))
        let rest = layer(x.slice(axis: 1, 4..<6), state: first.state)
        expectClose(rest.output.value.scalars, whole.output.slice(axis: 1, 4..<6).value.scalars, tolerance: 1e-5,
                    "steps 5-6 continued from the state after step 4")
        expectClose(rest.state.c.value.scalars, whole.state.c.value.scalars, tolerance: 1e-5, "final c")
    }
}
