// Activation layers: elementwise nonlinearities wrapped as Layers, so that they
// can sit in a Sequential. Each has no parameters; shape in = shape out.
//   ReLU     max(0, x)                                   torch.nn.ReLU
//   GELU     x · Φ(x), Φ the standard normal CDF          torch.nn.GELU (the op's own form)
//   SiLU     x · σ(x)   (also called swish)               torch.nn.SiLU
//   Tanh     tanh(x)                                      torch.nn.Tanh
//   Sigmoid  σ(x) = 1 / (1 + e^(−x))                      torch.nn.Sigmoid
// The derivatives live with the ops in Autograd/ElementwiseOps.swift.

import Autograd

/// max(0, x), elementwise.
public final class ReLU: Layer {
    public var isTraining = true
    public init() {}
    public var localParameters: [(String, Variable)] { [] }
    public func callAsFunction(_ input: Variable) -> Variable { input.relu() }
}

/// The Gaussian error linear unit x · Φ(x), elementwise.
public final class GELU: Layer {
    public var isTraining = true
    public init() {}
    public var localParameters: [(String, Variable)] { [] }
    public func callAsFunction(_ input: Variable) -> Variable { input.gelu() }
}

/// The sigmoid linear unit x · σ(x), elementwise.
public final class SiLU: Layer {
    public var isTraining = true
    public init() {}
    public var localParameters: [(String, Variable)] { [] }
    public func callAsFunction(_ input: Variable) -> Variable { input.silu() }
}

/// The hyperbolic tangent, elementwise.
public final class Tanh: Layer {
    public var isTraining = true
    public init() {}
    public var localParameters: [(String, Variable)] { [] }
    public func callAsFunction(_ input: Variable) -> Variable { input.tanh() }
}

/// The logistic sigmoid 1 / (1 + e^(−x)), elementwise.
public final class Sigmoid: Layer {
    public var isTraining = true
    public init() {}
    public var localParameters: [(String, Variable)] { [] }
    public func callAsFunction(_ input: Variable) -> Variable { input.sigmoid() }
}
