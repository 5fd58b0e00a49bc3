// LSTM: long short-term memory (Hochreiter & Schmidhuber 1997, with a forget gate),
// one step (LSTMCell) and one layer over a sequence (LSTM).
//
// For an input x (B, in) and a state h, c (B, H), with gates in the order i, f, g, o:
//   i  = σ(W_ii x + b_ii + W_hi h + b_hi)      input gate
//   f  = σ(W_if x + b_if + W_hf h + b_hf)      forget gate
//   g  = tanh(W_ig x + b_ig + W_hg h + b_hg)   candidate cell
//   o  = σ(W_io x + b_io + W_ho h + b_ho)      output gate
//   c' = f ⊙ c + i ⊙ g
//   h' = o ⊙ tanh(c')
// The four W_i· are stacked into W_ih [4H, in] and the four W_h· into W_hh [4H, H]
// (likewise b_ih, b_hh [4H]), so all gates come from one matmul per input,
// x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh of width 4H, sliced into four blocks of H.
// Over a sequence x (B, T, in) the input part is one matmul for all T steps; only
// the h part runs step by step. The initial state is zero unless given.
// LSTMCell's gradients flow through the Autograd ops (matmul, +, ⊙, σ, tanh, slice):
// backpropagation through time is backward() through the unrolled steps
// (LSTM.unrolledForward). LSTM runs the recurrence as one fused node instead
// (NN/LSTMSequenceOp.swift: one GEMM and one elementwise pass per step,
// a hand-written backward through time), checked against the unrolled version.
// Initialization: PyTorch's, every weight and bias U(−1/√H, 1/√H).
// PyTorch equivalents: torch.nn.LSTMCell(in, H) (weight_ih, weight_hh, bias_ih, bias_hh) and
// torch.nn.LSTM(in, H, batch_first=True) (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0).

import Autograd
import Tensor

/// The four parameters of a recurrent layer with `gates` gates (LSTM 4, GRU 3, RNN 1):
/// W_ih [gates·H, in], W_hh [gates·H, H], b_ih and b_hh [gates·H], each U(−1/√H, 1/√H) as in PyTorch.
func recurrentParameters(inputSize: Int, hiddenSize: Int, gates: Int, seed: UInt64)
    -> (weightIH: Variable, weightHH: Variable, biasIH: Variable, biasHH: Variable) {
    var generator = RandomGenerator(seed: seed)
    func draw(_ shape: [Int]) -> Variable {
        Variable(Initialization.pytorchDefault(shape, fanIn: hiddenSize, using: &generator), requiresGrad: true)
    }
    return (draw([gates * hiddenSize, inputSize]), draw([gates * hiddenSize, hiddenSize]),
            draw([gates * hiddenSize]), draw([gates * hiddenSize]))
}

/// One LSTM step given the input part of the gates, x·W_ihᵀ + b_ih (B, 4H).
func lstmStep(inputGates: Variable, h: Variable, c: Variable, weightHH: Variable, biasHH: Variable,
              hiddenSize: Int) -> (h: Variable, c: Variable) {
    let gates = inputGates + h.matmul(weightHH, transposeOther: true) + biasHH   // (B, 4H)
    func block(_ k: Int) -> Variable { gates.slice(axis: 1, k * hiddenSize..<(k + 1) * hiddenSize) }
    let i = block(0).sigmoid(), f = block(1).sigmoid(), g = block(2).tanh(), o = block(3).sigmoid()
    let cNext = f * c + i * g
    return (o * cNext.tanh(), cNext)
}

/// Checks a recurrent state against (batch, hiddenSize).
func checkState(_ state: Variable, _ what: String, layer: String, batch: Int, hiddenSize: Int) {
    precondition(state.shape == [batch, hiddenSize],
                 "\(layer): \(what) has shape \(state.shape), expected [\(batch), \(hiddenSize)]")
}

/// One LSTM step: (x, (h, c)) ↦ (h', c').
public final class LSTMCell: Module {
    /// Size of the input features.
    public let inputSize: Int
    /// Size of h and c.
    public let hiddenSize: Int
    /// W_ih [4H, inputSize], gates i, f, g, o. Assignable (e.g. for gradcheck).
    public var weightIH: Variable
    /// W_hh [4H, H].
    public var weightHH: Variable
    /// b_ih [4H].
    public var biasIH: Variable
    /// b_hh [4H].
    public var biasHH: Variable
    public var isTraining = true

    /// A cell from `inputSize` features to a state of `hiddenSize`, initialized like PyTorch from `seed`.
    public init(inputSize: Int, hiddenSize: Int, seed: UInt64 = 0) {
        precondition(inputSize > 0 && hiddenSize > 0,
                     "LSTMCell(\(inputSize)→\(hiddenSize)): sizes must be positive")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        (weightIH, weightHH, biasIH, biasHH) = recurrentParameters(inputSize: inputSize, hiddenSize: hiddenSize,
                                                                   gates: 4, seed: seed)
    }

    public var localParameters: [(String, Variable)] {
        [("weight_ih", weightIH), ("weight_hh", weightHH), ("bias_ih", biasIH), ("bias_hh", biasHH)]
    }

    /// The next state for input x (B, inputSize) and state h, c (B, H); a nil state is zero.
    public func callAsFunction(_ input: Variable, state: (h: Variable, c: Variable)? = nil) -> (h: Variable, c: Variable) {
        let name = "LSTMCell(\(inputSize)→\(hiddenSize))"
        precondition(input.rank == 2 && input.shape[1] == inputSize,
                     "\(name): input has shape \(input.shape), expected [B, \(inputSize)]")
        let batch = input.shape[0]
        let zero = Variable(Tensor.zeros([batch, hiddenSize]))
        let (h, c) = state ?? (zero, zero)
        checkState(h, "h", layer: name, batch: batch, hiddenSize: hiddenSize)
        checkState(c, "c", layer: name, batch: batch, hiddenSize: hiddenSize)
        let inputGates = input.matmul(weightIH, transposeOther: true) + biasIH
        return lstmStep(inputGates: inputGates, h: h, c: c, weightHH: weightHH, biasHH: biasHH, hiddenSize: hiddenSize)
    }
}

/// One LSTM layer over batch-first sequences (B, T, inputSize).
public final class LSTM: Module {
    /// Size of the input features.
    public let inputSize: Int
    /// Size of h and c.
    public let hiddenSize: Int
    /// W_ih [4H, inputSize] (PyTorch's weight_ih_l0), gates i, f, g, o.
    public var weightIH: Variable
    /// W_hh [4H, H] (weight_hh_l0).
    public var weightHH: Variable
    /// b_ih [4H] (bias_ih_l0).
    public var biasIH: Variable
    /// b_hh [4H] (bias_hh_l0).
    public var biasHH: Variable
    public var isTraining = true

    /// A layer from `inputSize` features to a state of `hiddenSize`, initialized like PyTorch from `seed`.
    public init(inputSize: Int, hiddenSize: Int, seed: UInt64 = 0) {
        precondition(inputSize > 0 && hiddenSize > 0,
                     "LSTM(\(inputSize)→\(hiddenSize)): sizes must be positive")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        (weightIH, weightHH, biasIH, biasHH) = recurrentParameters(inputSize: inputSize, hiddenSize: hiddenSize,
                                                                   gates: 4, seed: seed)
    }

    public var localParameters: [(String, Variable)] {
        [("weight_ih_l0", weightIH), ("weight_hh_l0", weightHH), ("bias_ih_l0", biasIH), ("bias_hh_l0", biasHH)]
    }

    /// Runs over x (B, T, inputSize) from `state` (h, c each (B, H); nil is zero).
    /// Returns every step's h as `output` (B, T, H) and the final (h, c).
    public func callAsFunction(_ input: Variable, state: (h: Variable, c: Variable)? = nil)
        -> (output: Variable, state: (h: Variable, c: Variable)) {
        let name = "LSTM(\(inputSize)→\(hiddenSize))"
        precondition(input.rank == 3 && input.shape[2] == inputSize && input.shape[1] > 0,
                     "\(name): input has shape \(input.shape), expected [B, T, \(inputSize)] with T > 0")
        let batch = input.shape[0]
        let zero = Variable(Tensor.zeros([batch, hiddenSize]))
        let (h, c) = state ?? (zero, zero)
        checkState(h, "h", layer: name, batch: batch, hiddenSize: hiddenSize)
        checkState(c, "c", layer: name, batch: batch, hiddenSize: hiddenSize)
        let inputGates = input.matmul(weightIH, transposeOther: true) + biasIH   // (B, T, 4H), all steps at once
        // The recurrence as one node with a hand-written backward through time (NN/LSTMSequenceOp);
        // `unrolledForward` is the same computation step by step through the Autograd ops.
        let steps = input.shape[1]
        let packed = Variable.lstmSequence(inputGates: inputGates, h0: h, c0: c,
                                           weightHH: weightHH, biasHH: biasHH)          // (B, T + 1, H): h_1 … h_T, c_T
        let output = packed.slice(axis: 1, 0..<steps)                                   // (B, T, H)
        let finalH = packed.slice(axis: 1, steps - 1..<steps).squeezed(axis: 1)         // (B, H)
        let finalC = packed.slice(axis: 1, steps..<steps + 1).squeezed(axis: 1)         // (B, H)
        return (output, (finalH, finalC))
    }

    /// The same as `callAsFunction`, unrolled step by step through `lstmStep` (matmul, slice, σ, tanh):
    /// the readable definition that the fused sequence op is tested against.
    public func unrolledForward(_ input: Variable, state: (h: Variable, c: Variable)? = nil)
        -> (output: Variable, state: (h: Variable, c: Variable)) {
        let name = "LSTM(\(inputSize)→\(hiddenSize))"
        precondition(input.rank == 3 && input.shape[2] == inputSize && input.shape[1] > 0,
                     "\(name): input has shape \(input.shape), expected [B, T, \(inputSize)] with T > 0")
        let batch = input.shape[0]
        let zero = Variable(Tensor.zeros([batch, hiddenSize]))
        let (h, c) = state ?? (zero, zero)
        checkState(h, "h", layer: name, batch: batch, hiddenSize: hiddenSize)
        checkState(c, "c", layer: name, batch: batch, hiddenSize: hiddenSize)
        let inputGates = input.matmul(weightIH, transposeOther: true) + biasIH   // (B, T, 4H)
        let (output, final) = unroll(inputGates, from: (h: h, c: c), hidden: { $0.h }) { xt, state in
            lstmStep(inputGates: xt, h: state.h, c: state.c, weightHH: weightHH, biasHH: biasHH, hiddenSize: hiddenSize)
        }
        return (output, final)
    }
}
