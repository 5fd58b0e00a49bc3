// GRU: gated recurrent unit (Cho et al. 2014), one step (GRUCell) and one layer
// over a sequence (GRU), in PyTorch's formulation.
//
// For an input x (B, in) and a state h (B, H), with gates in the order r, z, n:
//   r  = σ(W_ir x + b_ir + W_hr h + b_hr)           reset gate
//   z  = σ(W_iz x + b_iz + W_hz h + b_hz)           update gate
//   n  = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))  candidate state
//   h' = (1 − z) ⊙ n + z ⊙ h  =  n + z ⊙ (h − n)
// The reset gate multiplies W_hn h + b_hn (with its bias), so the input part
// gi = x·W_ihᵀ + b_ih and the state part gh = h·W_hhᵀ + b_hh (each of width 3H)
// are kept apart and sliced into three blocks of H before they are combined.
// Over a sequence x (B, T, in) the input part is one matmul for all T steps.
// The initial state is zero unless given. Gradients flow through the Autograd ops.
// Initialization: PyTorch's, every weight and bias U(−1/√H, 1/√H).
// PyTorch equivalents: torch.nn.GRUCell(in, H) (weight_ih, weight_hh, bias_ih, bias_hh) and
// torch.nn.GRU(in, H, batch_first=True) (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0).

import Autograd
import Tensor

/// One GRU step given the input part of the gates, x·W_ihᵀ + b_ih (B, 3H).
func gruStep(inputGates gi: Variable, h: Variable, weightHH: Variable, biasHH: Variable, hiddenSize: Int) -> Variable {
    let gh = h.matmul(weightHH, transposeOther: true) + biasHH   // (B, 3H)
    func block(_ gates: Variable, _ k: Int) -> Variable { gates.slice(axis: 1, k * hiddenSize..<(k + 1) * hiddenSize) }
    let r = (block(gi, 0) + block(gh, 0)).sigmoid()
    let z = (block(gi, 1) + block(gh, 1)).sigmoid()
    let n = (block(gi, 2) + r * block(gh, 2)).tanh()
    return n + z * (h - n)
}

/// One GRU step: (x, h) ↦ h'.
public final class GRUCell: Module {
    /// Size of the input features.
    public let inputSize: Int
    /// Size of h.
    public let hiddenSize: Int
    /// W_ih [3H, inputSize], gates r, z, n. Assignable (e.g. for gradcheck).
    public var weightIH: Variable
    /// W_hh [3H, H].
    public var weightHH: Variable
    /// b_ih [3H].
    public var biasIH: Variable
    /// b_hh [3H].
    public var biasHH: Variable
    public var isTraining = true

    /// A cell from `inputSize` features to a state of `hiddenSize`, initialized like PyTorch from `seed`.
    public init(inputSize: Int, hiddenSize: Int, seed: UInt64 = 0) {
        precondition(inputSize > 0 && hiddenSize > 0,
                     "GRUCell(\(inputSize)→\(hiddenSize)): sizes must be positive")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        (weightIH, weightHH, biasIH, biasHH) = recurrentParameters(inputSize: inputSize, hiddenSize: hiddenSize,
                                                                   gates: 3, seed: seed)
    }

    public var localParameters: [(String, Variable)] {
        [("weight_ih", weightIH), ("weight_hh", weightHH), ("bias_ih", biasIH), ("bias_hh", biasHH)]
    }

    /// The next state for input x (B, inputSize) and state h (B, H); a nil state is zero.
    public func callAsFunction(_ input: Variable, state: Variable? = nil) -> Variable {
        let name = "GRUCell(\(inputSize)→\(hiddenSize))"
        precondition(input.rank == 2 && input.shape[1] == inputSize,
                     "\(name): input has shape \(input.shape), expected [B, \(inputSize)]")
        let batch = input.shape[0]
        let h = state ?? Variable(Tensor.zeros([batch, hiddenSize]))
        checkState(h, "h", layer: name, batch: batch, hiddenSize: hiddenSize)
        let inputGates = input.matmul(weightIH, transposeOther: true) + biasIH
        return gruStep(inputGates: inputGates, h: h, weightHH: weightHH, biasHH: biasHH, hiddenSize: hiddenSize)
    }
}

/// One GRU layer over batch-first sequences (B, T, inputSize).
public final class GRU: Module {
    /// Size of the input features.
    public let inputSize: Int
    /// Size of h.
    public let hiddenSize: Int
    /// W_ih [3H, inputSize] (PyTorch's weight_ih_l0), gates r, z, n.
    public var weightIH: Variable
    /// W_hh [3H, H] (weight_hh_l0).
    public var weightHH: Variable
    /// b_ih [3H] (bias_ih_l0).
    public var biasIH: Variable
    /// b_hh [3H] (bias_hh_l0).
    public var biasHH: Variable
    public var isTraining = true

    /// A layer from `inputSize` features to a state of `hiddenSize`, initialized like PyTorch from `seed`.
    public init(inputSize: Int, hiddenSize: Int, seed: UInt64 = 0) {
        precondition(inputSize > 0 && hiddenSize > 0,
                     "GRU(\(inputSize)→\(hiddenSize)): sizes must be positive")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        (weightIH, weightHH, biasIH, biasHH) = recurrentParameters(inputSize: inputSize, hiddenSize: hiddenSize,
                                                                   gates: 3, seed: seed)
    }

    public var localParameters: [(String, Variable)] {
        [("weight_ih_l0", weightIH), ("weight_hh_l0", weightHH), ("bias_ih_l0", biasIH), ("bias_hh_l0", biasHH)]
    }

    /// Runs over x (B, T, inputSize) from `state` h (B, H; nil is zero).
    /// Returns every step's h as `output` (B, T, H) and the final h.
    public func callAsFunction(_ input: Variable, state: Variable? = nil) -> (output: Variable, state: Variable) {
        let name = "GRU(\(inputSize)→\(hiddenSize))"
        precondition(input.rank == 3 && input.shape[2] == inputSize && input.shape[1] > 0,
                     "\(name): input has shape \(input.shape), expected [B, T, \(inputSize)] with T > 0")
        let batch = input.shape[0]
        let h = state ?? Variable(Tensor.zeros([batch, hiddenSize]))
        checkState(h, "h", layer: name, batch: batch, hiddenSize: hiddenSize)
        let inputGates = input.matmul(weightIH, transposeOther: true) + biasIH   // (B, T, 3H), all steps at once
        return unroll(inputGates, from: h, hidden: { $0 }) { xt, h in
            gruStep(inputGates: xt, h: h, weightHH: weightHH, biasHH: biasHH, hiddenSize: hiddenSize)
        }
    }
}
