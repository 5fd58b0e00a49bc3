// Module: a piece of a neural network that owns parameters.
//
// A network is a tree of modules (PyTorch's nn.Module, MLX-Swift's Module):
// each module lists its own parameters and its child modules by name, and the
// tree gives every parameter a dotted path such as "encoder.layers.0.weight",
// the names PyTorch's `state_dict` uses. Optimizers take `parameters`; saving
// and loading walk `namedParameters` and `namedBuffers` (running statistics
// that are state but not trained, like BatchNorm's running mean). `freeze()`
// turns gradients off for a whole tree (the base model under LoRA), and
// `trainableParameters` lists what an optimizer should still update.
// `train()`/`eval()` switch layers such as Dropout and BatchNorm between their
// training and evaluation behaviour, recursively. `setSubmodule(_:to:)` puts
// another module in a child's place (PyTorch's `Module.set_submodule`), for a
// module that allows it: that is how FineTuning wraps a Linear layer of a
// trained model with LoRA adapters without either knowing of the other.

import Autograd
import Tensor

/// A network component with named parameters, buffers and children.
public protocol Module: AnyObject {
    /// This module's own parameters, by local name ("weight", "bias").
    var localParameters: [(String, Variable)] { get }
    /// This module's own buffers (state that is saved but not trained), by local name.
    var localBuffers: [(String, Tensor)] { get }
    /// Sub-modules, by local name ("fc1", "0").
    var children: [(String, any Module)] { get }
    /// Training mode (true) or evaluation mode (false) of this module alone.
    var isTraining: Bool { get set }
    /// Replaces a buffer's value (used when loading a state dict).
    func setBuffer(_ name: String, _ value: Tensor)
    /// Puts `replacement` in the place of the child `name`; false when this module has no such child
    /// or does not allow replacing it (the default).
    func replaceChild(_ name: String, with replacement: any Module) -> Bool
}

/// A module that maps one Variable to another, so that it can be chained.
public protocol Layer: Module {
    func callAsFunction(_ input: Variable) -> Variable
}

extension Module {
    public var localBuffers: [(String, Tensor)] { [] }
    public var children: [(String, any Module)] { [] }
    public func setBuffer(_ name: String, _ value: Tensor) {
        preconditionFailure("\(type(of: self)) has no buffer named '\(name)'")
    }
    public func replaceChild(_ name: String, with replacement: any Module) -> Bool { false }

    /// Puts `replacement` at the dotted `path` ("transformer.h.0.attn.c_attn"), as PyTorch's
    /// `set_submodule`; false when no module on the way has that child or its parent does not allow it.
    /// A child's own name may hold dots ("h.0"), so the path is matched child name by child name.
    @discardableResult
    public func setSubmodule(_ path: String, to replacement: any Module) -> Bool {
        for (name, child) in children {
            if name == path { return replaceChild(name, with: replacement) }
            if path.hasPrefix(name + ".") {
                return child.setSubmodule(String(path.dropFirst(name.count + 1)), to: replacement)
            }
        }
        return false
    }

    /// Every parameter in the tree with its dotted path, children after own parameters.
    public var namedParameters: [(String, Variable)] {
        var result = localParameters
        for (childName, child) in children {
            result += child.namedParameters.map { ("\(childName).\($0.0)", $0.1) }
        }
        return result
    }

    /// Every buffer in the tree with its dotted path.
    public var namedBuffers: [(String, Tensor)] {
        var result = localBuffers
        for (childName, child) in children {
            result += child.namedBuffers.map { ("\(childName).\($0.0)", $0.1) }
        }
        return result
    }

    /// Every parameter in the tree (what an optimizer updates).
    public var parameters: [Variable] { namedParameters.map(\.1) }

    /// Number of trainable numbers.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Sets training mode on this module and every descendant.
    public func train(_ training: Bool = true) {
        isTraining = training
        for (_, child) in children { child.train(training) }
    }

    /// Sets evaluation mode on this module and every descendant.
    public func eval() { train(false) }

    /// The parameters that gradients flow to (all of them unless some were frozen).
    public var trainableParameters: [Variable] { parameters.filter(\.requiresGrad) }

    /// Stops gradients for every parameter in the tree (PyTorch's `requires_grad_(False)`):
    /// backward computes nothing for them and optimizers built afterwards leave them out.
    public func freeze() {
        for p in parameters { p.requiresGrad = false }
    }

    /// Lets gradients flow to every parameter in the tree again.
    public func unfreeze() {
        for p in parameters { p.requiresGrad = true }
    }

    /// Every module in the tree with its dotted path ("" for this one), parents before children.
    public var namedModules: [(String, any Module)] {
        var result: [(String, any Module)] = [("", self)]
        for (childName, child) in children {
            result += child.namedModules.map { ($0.0.isEmpty ? childName : "\(childName).\($0.0)", $0.1) }
        }
        return result
    }

    /// Forgets the gradients of every parameter.
    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }
}
