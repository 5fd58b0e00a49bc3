// A stack of Linear layers evaluated on plain buffers, for acting: a rollout
// asks a small network for one to four observations at a time, hundreds of
// thousands of times, and needs neither a graph nor gradients. At that size
// building Variables and Tensors would be most of the cost, so each layer is
// written out as
//   y_j = b_j + w_j · x          (one SIMD dot per output)
// with the hidden activation (tanh for the actor-critic, ReLU for DQN's
// Q-network) after every layer but the last. The training forward of each
// network computes the same numbers with a graph; the tests check they agree.

import Foundation
import NN
import Tensor

/// The activation between the hidden layers of a plain forward.
public enum HiddenActivation: Sendable {
    /// tanh, the actor-critic's.
    case tanh
    /// max(0, x), DQN's Q-network's.
    case relu
}

/// Graph-free forward passes of a stack of Linear layers, for acting.
public enum PlainForward {
    /// `layers` on `rows` inputs laid out row by row; `activation` after every layer but the last.
    public static func mlp(_ layers: [Linear], _ input: [Float], rows: Int, activation: HiddenActivation) -> [Float] {
        var x = input
        for (index, layer) in layers.enumerated() {
            let inputs = layer.inputSize, outputs = layer.outputSize
            precondition(x.count == rows * inputs, "PlainForward.mlp: \(x.count) numbers for \(rows) rows of \(inputs)")
            var y = [Float](repeating: 0, count: rows * outputs)
            layer.weight.value.withUnsafeBufferPointer { w in
                layer.bias!.value.withUnsafeBufferPointer { b in
                    x.withUnsafeBufferPointer { xs in
                        y.withUnsafeMutableBufferPointer { ys in
                            for r in 0..<rows {
                                let row = xs.baseAddress! + r * inputs
                                for j in 0..<outputs {
                                    ys[r * outputs + j] = b[j] + VectorSums.dot(row, w.baseAddress! + j * inputs, count: inputs)
                                }
                            }
                        }
                    }
                }
            }
            if index < layers.count - 1 {
                switch activation {
                case .tanh: tanhInPlace(&y)
                case .relu: for i in y.indices where y[i] < 0 { y[i] = 0 }
                }
            }
            x = y
        }
        return x
    }

    /// tanh of every element, sixteen at a time with FastMath's SIMD tanh (libm's scalar tanhf was a quarter of PPO's time).
    static func tanhInPlace(_ y: inout [Float]) {
        y.withUnsafeMutableBufferPointer { buffer in
            var i = 0
            while i + 16 <= buffer.count {
                let v = FastMath.tanh(SIMD16<Float>(buffer[i..<(i + 16)]))
                for k in 0..<16 { buffer[i + k] = v[k] }
                i += 16
            }
            while i < buffer.count { buffer[i] = FastMath.scalar(buffer[i], FastMath.tanh); i += 1 }
        }
    }
}
