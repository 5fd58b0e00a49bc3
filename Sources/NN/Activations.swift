// Activation layers: elementwise nonlinearities wrapped as Layers, so that they
// can sit in a Sequential. Each has no parameters; shape in = shape out.
//   ReLU     max(0, x)                                   torch.nn.ReLU
//   GELU     x · Φ(x), Φ the standard normal CDF          torch.nn.GELU (the op's own form)
//   SiLU     x · σ(x)   (also called swish)               torch.nn.SiLU
//   Tanh     tanh(x)                                      torch.nn.Tanh
//   Sigmoid  σ(x) = 1 / (1 + e^(−x))                      torch.nn.Sigmoid
//   Softmax  e^(x_i − max x) / Σ_j e^(x_j − max x) along one axis   torch.nn.Softmax(dim)
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

/// The softmax e^(x_i) / Σ_j e^(x_j) along one axis (each slice along it sums to 1).
public final class Softmax: Layer {
    /// The axis normalized over; negative counts from the end (−1 is the last axis).
    public let axis: Int
    public var isTraining = true
    public init(axis: Int = -1) { self.axis = axis }
    public var localParameters: [(String, Variable)] { [] }
    public func callAsFunction(_ input: Variable) -> Variable {
        precondition(axis >= -input.rank && axis < input.rank,
                     "Softmax(axis: \(axis)): input has shape \(input.shape), which has no axis \(axis)")
        return input.softmax(axis: axis)
    }
}
