// RNN: the plain (Elman) recurrent layer with tanh, one step (RNNCell) and one
// layer over a sequence (RNN).
//
// For an input x (B, in) and a state h (B, H):
//   h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
// W_ih [H, in], W_hh [H, H], b_ih and b_hh [H] (two biases, as in PyTorch, though
// only their sum matters). Over a sequence x (B, T, in) the input part x·W_ihᵀ + b_ih
// is one matmul for all T steps; the initial state is zero unless given.
// Gradients flow through the Autograd ops (backpropagation through time); repeated
// multiplication by W_hh and tanh′ ≤ 1 is why gradients of long sequences vanish,
// the problem LSTM and GRU gates address.
// Initialization: PyTorch's, every weight and bias U(−1/√H, 1/√H).
// PyTorch equivalents: torch.nn.RNNCell(in, H) (weight_ih, weight_hh, bias_ih, bias_hh) and
// torch.nn.RNN(in, H, batch_first=True) (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0).

import Autograd
import Tensor

/// One RNN step given the input part x·W_ihᵀ + b_ih (B, H).
func rnnStep(inputPart: Variable, h: Variable, weightHH: Variable, biasHH: Variable) -> Variable {
    (inputPart + h.matmul(weightHH, transposeOther: true) + biasHH).tanh()
}

/// One tanh RNN step: (x, h) ↦ h'.
public final class RNNCell: Module {
    /// Size of the input features.
    public let inputSize: Int
    /// Size of h.
    public let hiddenSize: Int
    /// W_ih [H, inputSize]. Assignable (e.g. for gradcheck).
    public var weightIH: Variable
    /// W_hh [H, H].
    public var weightHH: Variable
    /// b_ih [H].
    public var biasIH: Variable
    /// b_hh [H].
    public var biasHH: Variable
    public var isTraining = true

    /// A cell from `inputSize` features to a state of `hiddenSize`, initialized like PyTorch from `seed`.
    public init(inputSize: Int, hiddenSize: Int, seed: UInt64 = 0) {
        precondition(inputSize > 0 && hiddenSize > 0,
                     "RNNCell(\(inputSize)→\(hiddenSize)): sizes must be positive")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        (weightIH, weightHH, biasIH, biasHH) = recurrentParameters(inputSize: inputSize, hiddenSize: hiddenSize,
                                                                   gates: 1, seed: seed)
    }

    public var localParameters: [(String, Variable)] {
        [("weight_ih", weightIH), ("weight_hh", weightHH), ("bias_ih", biasIH), ("bias_hh", biasHH)]
    }

    /// The next state for input x (B, inputSize) and state h (B, H); a nil state is zero.
    public func callAsFunction(_ input: Variable, state: Variable? = nil) -> Variable {
        let name = "RNNCell(\(inputSize)→\(hiddenSize))"
        precondition(input.rank == 2 && input.shape[1] == inputSize,
                     "\(name): input has shape \(input.shape), expected [B, \(inputSize)]")
        let batch = input.shape[0]
        let h = state ?? Variable(Tensor.zeros([batch, hiddenSize]))
        checkState(h, "h", layer: name, batch: batch, hiddenSize: hiddenSize)
        return rnnStep(inputPart: input.matmul(weightIH, transposeOther: true) + biasIH,
                       h: h, weightHH: weightHH, biasHH: biasHH)
    }
}

/// One tanh RNN layer over batch-first sequences (B, T, inputSize).
public final class RNN: Module {
    /// Size of the input features.
    public let inputSize: Int
    /// Size of h.
    public let hiddenSize: Int
    /// W_ih [H, inputSize] (PyTorch's weight_ih_l0).
    public var weightIH: Variable
    /// W_hh [H, H] (weight_hh_l0).
    public var weightHH: Variable
    /// b_ih [H] (bias_ih_l0).
    public var biasIH: Variable
    /// b_hh [H] (bias_hh_l0).
    public var biasHH: Variable
    public var isTraining = true

    /// A layer from `inputSize` features to a state of `hiddenSize`, initialized like PyTorch from `seed`.
    public init(inputSize: Int, hiddenSize: Int, seed: UInt64 = 0) {
        precondition(inputSize > 0 && hiddenSize > 0,
                     "RNN(\(inputSize)→\(hiddenSize)): sizes must be positive")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        (weightIH, weightHH, biasIH, biasHH) = recurrentParameters(inputSize: inputSize, hiddenSize: hiddenSize,
                                                                   gates: 1, seed: seed)
    }

    public var localParameters: [(String, Variable)] {
        [("weight_ih_l0", weightIH), ("weight_hh_l0", weightHH), ("bias_ih_l0", biasIH), ("bias_hh_l0", biasHH)]
    }

    /// Runs over x (B, T, inputSize) from `state` h (B, H; nil is zero).
    /// Returns every step's h as `output` (B, T, H) and the final h.
    public func callAsFunction(_ input: Variable, state: Variable? = nil) -> (output: Variable, state: Variable) {
        let name = "RNN(\(inputSize)→\(hiddenSize))"
        precondition(input.rank == 3 && input.shape[2] == inputSize && input.shape[1] > 0,
                     "\(name): input has shape \(input.shape), expected [B, T, \(inputSize)] with T > 0")
        let batch = input.shape[0]
        let h = state ?? Variable(Tensor.zeros([batch, hiddenSize]))
        checkState(h, "h", layer: name, batch: batch, hiddenSize: hiddenSize)
        let inputPart = input.matmul(weightIH, transposeOther: true) + biasIH   // (B, T, H), all steps at once
        return unroll(inputPart, from: h, hidden: { $0 }) { xt, h in
            rnnStep(inputPart: xt, h: h, weightHH: weightHH, biasHH: biasHH)
        }
    }
}
