// The action-value network of DQN (CleanRL's dqn.py): one MLP on the
// observation with ReLU between its layers, one output per action,
//   Q(s, ·) = W₃ relu(W₂ relu(W₁ s + b₁) + b₂) + b₃        obs → 120 → 84 → actions
// initialised as PyTorch's Linear (U(−1/√in, 1/√in)). `qValues(_:)` builds a
// graph for training; `inference(_:count:)` computes the same numbers on plain
// buffers (PlainForward.swift) for acting and for the target network.

import Autograd
import NN
import Tensor

/// Q(s, a) for every action a, from the observation s.
public final class QNetwork: Module {
    /// observation → hidden[0] → hidden[1] → … → one Q per action, ReLU between the layers.
    public let layers: [Linear]
    /// The Module flag; nothing here behaves differently in training.
    public var isTraining = true

    /// An MLP with the `hidden` sizes (CleanRL's 120 and 84 by default), each layer PyTorch's default initialisation from `seed`.
    public init(observationSize: Int, actionCount: Int, hidden: [Int] = [120, 84], seed: UInt64 = 0) {
        var generator = RandomGenerator(seed: seed)
        let sizes = [observationSize] + hidden + [actionCount]
        layers = (1..<sizes.count).map { Linear(sizes[$0 - 1], sizes[$0], seed: generator.next()) }
    }

    /// None of its own: the weights live in the layers.
    public var localParameters: [(String, Variable)] { [] }
    /// The layers, named by their place in CleanRL's `nn.Sequential` ("0", "2", "4"; the ReLUs hold the odd places).
    public var children: [(String, any Module)] {
        layers.enumerated().map { ("\(2 * $0.offset)", $0.element as any Module) }
    }

    /// The number of actions, the last layer's outputs.
    public var actionCount: Int { layers.last!.outputSize }

    /// Q(s, ·) for a batch of observations (batch, features) → (batch, actions), with a graph.
    public func qValues(_ observations: Variable) -> Variable {
        var h = observations
        for (index, layer) in layers.enumerated() {
            h = layer(h)
            if index < layers.count - 1 { h = h.relu() }
        }
        return h
    }

    /// Q(s, ·) for `count` observations laid out row by row → count × actions, row-major; no graph.
    public func inference(_ observations: [Float], count: Int) -> [Float] {
        PlainForward.mlp(layers, observations, rows: count, activation: .relu)
    }

    /// argmax_a Q(s, a) for one observation (the lowest index on ties).
    public func greedyAction(_ observation: [Float]) -> Int {
        let q = inference(observation, count: 1)
        var best = 0
        for a in 1..<q.count where q[a] > q[best] { best = a }
        return best
    }

    /// Moves every weight toward `source`'s: θ ← τ θ_source + (1 − τ) θ (τ = 1 copies them).
    public func blend(from source: QNetwork, tau: Float) {
        for (mine, theirs) in zip(parameters, source.parameters) {
            mine.value = tau == 1 ? theirs.value : theirs.value * tau + mine.value * (1 - tau)
        }
    }
}
