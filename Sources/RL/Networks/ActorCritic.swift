// The actor-critic of CleanRL's ppo.py for discrete actions: two separate
// MLPs on the observation, 64-64 with tanh,
//   policy  π(a|s) = softmax(actor(s)),   actor:  obs → 64 → 64 → actions
//   value   V(s)   = critic(s),           critic: obs → 64 → 64 → 1
// initialised orthogonally (gain √2 for the hidden layers, 0.01 for the
// policy's output so the first policy is nearly uniform, 1 for the value's),
// biases zero.

import Autograd
import NN
import Tensor

/// A policy network and a value network over the same observations.
public final class ActorCritic: Module {
    /// The policy's MLP: observation → hidden → hidden → one logit per action, tanh between the layers.
    public let actor: [Linear]
    /// The value's MLP: observation → hidden → hidden → 1, tanh between the layers.
    public let critic: [Linear]
    /// The Module flag; nothing here behaves differently in training (no dropout, no normalisation).
    public var isTraining = true

    /// The two MLPs with `hidden` units per hidden layer, initialised as the header says from `seed`.
    public init(observationSize: Int, actionCount: Int, hidden: Int = 64, seed: UInt64 = 0) {
        var generator = RandomGenerator(seed: seed)
        func layer(_ input: Int, _ output: Int, gain: Float) -> Linear {
            let linear = Linear(input, output, seed: generator.next())
            linear.weight = Variable(Initialization.orthogonal([output, input], gain: gain, using: &generator),
                                     requiresGrad: true, name: "weight")
            linear.bias = Variable(Tensor.zeros([output]), requiresGrad: true, name: "bias")
            return linear
        }
        let root2 = Float(2).squareRoot()
        critic = [layer(observationSize, hidden, gain: root2), layer(hidden, hidden, gain: root2), layer(hidden, 1, gain: 1)]
        actor = [layer(observationSize, hidden, gain: root2), layer(hidden, hidden, gain: root2), layer(hidden, actionCount, gain: 0.01)]
    }

    /// None of its own: the weights live in the layers.
    public var localParameters: [(String, Variable)] { [] }
    /// The layers, named by their place in CleanRL's two `nn.Sequential`s ("actor.0", "actor.2", "actor.4",
    /// "critic.0"…; the tanh layers hold the odd places).
    public var children: [(String, any Module)] {
        actor.enumerated().map { ("actor.\(2 * $0.offset)", $0.element as any Module) }
            + critic.enumerated().map { ("critic.\(2 * $0.offset)", $0.element as any Module) }
    }

    private static func mlp(_ layers: [Linear], _ x: Variable) -> Variable {
        var h = x
        for (index, layer) in layers.enumerated() {
            h = layer(h)
            if index < layers.count - 1 { h = h.tanh() }
        }
        return h
    }

    /// The policy's logits, (batch, actions).
    public func logits(_ observations: Variable) -> Variable { Self.mlp(actor, observations) }
    /// V(s), (batch).
    public func value(_ observations: Variable) -> Variable {
        let v = Self.mlp(critic, observations)
        return v.reshaped([v.shape[0]])
    }
}
