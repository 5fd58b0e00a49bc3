// Unrolling a recurrence over time, shared by RNN, GRU and LSTM.
//
//   state_t = step(x_t, state_(t−1)),   t = 1 … T
//   output  = stack(h_1, …, h_T) along the time axis   (B, T, H)
// x_t is the input's contribution for step t, computed for all steps at once
// beforehand (one matmul of width G·H); backpropagation through time is
// simply backward() through this chain of steps.

import Autograd
import Tensor

/// Runs `step` over the T steps of `inputPart` (B, T, G·H) from `initial`; returns every
/// step's hidden state stacked as (B, T, H) and the final state.
func unroll<State>(_ inputPart: Variable, from initial: State, hidden: (State) -> Variable,
                   step: (Variable, State) -> State) -> (output: Variable, state: State) {
    let steps = inputPart.shape[1]
    var state = initial
    var outputs: [Variable] = []
    outputs.reserveCapacity(steps)
    for t in 0..<steps {
        let xt = inputPart.slice(axis: 1, t..<t + 1).squeezed(axis: 1)   // (B, T, G·H) → (B, G·H)
        state = step(xt, state)
        outputs.append(hidden(state))
    }
    return (Variable.stacked(outputs, axis: 1), state)
}
