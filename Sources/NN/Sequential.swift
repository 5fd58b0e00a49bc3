// Sequential: layers applied one after another.
//
//   y = f_n( … f_2( f_1(x) ) … )
// The layers are children named "0", "1", … so parameter names match PyTorch's
// nn.Sequential state dict ("0.weight", "2.bias", …).
// PyTorch equivalent: torch.nn.Sequential(*layers).

import Autograd

/// A chain of layers, each fed the previous one's output.
public final class Sequential: Layer {
    /// The layers in the order they are applied.
    public let layers: [any Layer]
    public var isTraining = true

    /// A chain of `layers`.
    public init(_ layers: [any Layer]) {
        self.layers = layers
    }

    /// A chain of the given layers.
    public convenience init(_ layers: any Layer...) {
        self.init(layers)
    }

    public var localParameters: [(String, Variable)] { [] }
    public var children: [(String, any Module)] {
        layers.enumerated().map { ("\($0.offset)", $0.element as any Module) }
    }

    /// Applies every layer in order.
    public func callAsFunction(_ input: Variable) -> Variable {
        layers.reduce(input) { x, layer in layer(x) }
    }
}
