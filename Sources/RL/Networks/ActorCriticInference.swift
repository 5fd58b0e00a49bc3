// The actor-critic's forward pass for acting, on plain buffers: during a
// rollout PPO evaluates the networks on N = 4 observations per step, 128
// times per iteration, and needs neither a graph nor gradients, so the
// layers run through PlainForward.swift (tanh between them) and log π is the
// log-softmax of each row of the actor's output.
// `logits(_:)` and `value(_:)` (ActorCritic.swift) compute the same numbers
// with a graph, for training; the tests check that the two agree.

import Foundation
import NN
import Tensor

extension ActorCritic {
    /// log π(·|s) (count × actions, row-major) and V(s) (count) for `count` observations laid out row by row.
    public func inference(_ observations: [Float], count: Int) -> (logProbabilities: [Float], values: [Float]) {
        let logits = PlainForward.mlp(actor, observations, rows: count, activation: .tanh)
        let values = PlainForward.mlp(critic, observations, rows: count, activation: .tanh)
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
}
