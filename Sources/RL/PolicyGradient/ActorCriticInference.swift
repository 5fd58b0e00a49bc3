// The actor-critic's forward pass for acting, on plain buffers: during a
// rollout PPO evaluates the networks on N = 4 observations per step, 128
// times per iteration, and needs neither a graph nor gradients. At that size
// the cost of building Variables and Tensors is most of the time, so each
// layer is written out as y_j = b_j + w_j · x (one SIMD dot per output),
// tanh between layers, and log π as the log-softmax of the last row.
// `logits(_:)` and `value(_:)` (ActorCritic.swift) compute the same numbers
// with a graph, for training; the tests check that the two agree.

import Foundation
import NN
import Tensor

extension ActorCritic {
    /// log π(·|s) (count × actions, row-major) and V(s) (count) for `count` observations laid out row by row.
    public func inference(_ observations: [Float], count: Int) -> (logProbabilities: [Float], values: [Float]) {
        let logits = Self.forward(actor, observations, rows: count)
        let values = Self.forward(critic, observations, rows: count)
        let actions = logits.count / count
        var logProbabilities = logits
        for r in 0..<count {
            let row = r * actions
            let top = logits[row..<(row + actions)].max()!
            let logSum = top + Foundation.log(logits[row..<(row + actions)].reduce(Float(0)) { $0 + Foundation.exp($1 - top) })
            for a in 0..<actions { logProbabilities[row + a] = logits[row + a] - logSum }
        }
        return (logProbabilities, values)
    }

    /// The MLP `layers` on `rows` inputs, tanh after every layer but the last.
    static func forward(_ layers: [Linear], _ input: [Float], rows: Int) -> [Float] {
        var x = input
        for (index, layer) in layers.enumerated() {
            let inputs = layer.inputSize, outputs = layer.outputSize
            precondition(x.count == rows * inputs, "ActorCritic.inference: \(x.count) numbers for \(rows) rows of \(inputs)")
            var y = [Float](repeating: 0, count: rows * outputs)
            let squash = index < layers.count - 1
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
            if squash { squashInPlace(&y) }
            x = y
        }
        return x
    }

    /// tanh of every element, sixteen at a time with FastMath's SIMD tanh (libm's scalar tanhf was a quarter of PPO's time).
    static func squashInPlace(_ y: inout [Float]) {
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
