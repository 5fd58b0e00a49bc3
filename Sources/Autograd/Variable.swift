// Variable: a tensor that remembers how it was computed, so that gradients can
// flow back through it (reverse-mode automatic differentiation).
//
// Every operation on Variables computes its value with Tensor and records a
// node: its inputs ("parents") and a closure that turns the gradient of the
// loss with respect to its output, ∂L/∂out, into the gradients with respect to
// its inputs, ∂L/∂in = ∂L/∂out · ∂out/∂in (the chain rule). Each op's closure
// sits next to its forward computation, with the derivative in a comment.
//
// backward() on a scalar loss L visits the nodes from L back to the leaves in
// reverse topological order: a node is visited only after every node that used
// it, so its gradient is complete (the sum over all its uses) before it is
// passed on. That is why the order matters: in  b = a + a;  c = b · b,  b is
// used twice and ∂L/∂b = 2b·∂L/∂c must be summed from both uses before it flows
// into a. The order is found with an explicit stack, not recursion, so a chain
// of 10 000 ops needs no deep call stack.
//
// After backward() the graph is released: each node drops its parents and its
// closure (and with it the tensors the closure kept), so memory stays flat over
// thousands of training steps. Only leaves that require gradients keep .grad,
// and it accumulates (+=) until zeroGrad(), as in PyTorch.
//
// Defining an op of your own takes the same three steps every op here takes:
// compute the value with Tensor, write ∂L/∂input from ∂L/∂output, and link
// the two with the public initialiser Variable(value, op:, parents:, backward:).
// softplus(x) = ln(1 + eˣ), whose derivative is σ(x):
//
//     extension Variable {
//         func softplus() -> Variable {
//             let x = value                                  // captured for backward
//             return Variable((x.exp() + 1).log(), op: "softplus", parents: [self]) { g in
//                 [g * x.sigmoid()]                          // ∂L/∂x = ∂L/∂y · σ(x)
//             }
//         }
//     }
//     gradcheck([Tensor.normal([3, 4], seed: 0)]) { $0[0].softplus() }.worstError   // ~1e-4
//
// The closure returns one gradient per parent, each of its parent's shape (nil
// where none flows), and receives ∂L/∂output of the output's shape. Gradients
// of broadcast inputs are summed back with `summed(toShape:)`.

import Tensor

/// A node of the computation graph: a tensor value, and for results of
/// operations, the inputs and the backward rule that produced it.
public final class Variable: @unchecked Sendable {
    /// The tensor this variable holds. Optimizers update a parameter's value in place.
    public var value: Tensor
    /// ∂L/∂value after `backward()`, for leaves that require gradients (nil until then).
    public var grad: Tensor?
    /// Whether gradients flow to (and through) this variable. A leaf's flag can be switched off to
    /// freeze a parameter (PyTorch's `requires_grad_(False)`): the ops it takes part in afterwards
    /// compute no gradient for it. An op's result keeps the flag it was created with.
    public var requiresGrad: Bool {
        didSet {
            precondition(isLeaf || requiresGrad == oldValue,
                         "requiresGrad: only a leaf (an input or a parameter) can be frozen or unfrozen, not the result of \(op)")
        }
    }
    /// A name for messages and parameter files (e.g. "fc1.weight").
    public var name: String?
    /// The operation that produced this variable ("leaf" for inputs and parameters).
    public let op: String

    /// Inputs of the operation; emptied when the graph is released.
    var parents: [Variable]
    /// ∂L/∂out ↦ (∂L/∂parent for each parent; nil where none flows); nil for leaves and released nodes.
    var backwardRule: ((Tensor) -> [Tensor?])?

    /// A leaf: an input (requiresGrad false) or a trainable parameter (requiresGrad true).
    public init(_ value: Tensor, requiresGrad: Bool = false, name: String? = nil) {
        self.value = value
        self.requiresGrad = requiresGrad
        self.name = name
        self.op = "leaf"
        self.parents = []
        self.backwardRule = nil
    }

    /// The result of an operation: how a new differentiable op is defined (see the example at the top
    /// of Variable.swift).
    ///
    /// Records the graph only when gradients are enabled and some parent requires them; otherwise the
    /// result is a plain constant and the backward rule is never called.
    /// - Parameters:
    ///   - value: the op's output, computed from the parents' values.
    ///   - op: the op's name, shown in messages and anomaly reports.
    ///   - parents: the Variables the output was computed from.
    ///   - rule: the backward rule, passed as `backward:` (usually a trailing closure): maps ∂L/∂output
    ///     (the output's shape) to ∂L/∂parent for each parent, in the order of `parents`, each of its
    ///     parent's shape, or nil where no gradient flows.
    public init(_ value: Tensor, op: String = "custom", parents: [Variable], backward rule: @escaping (Tensor) -> [Tensor?]) {
        let tracked = GradientMode.isEnabled && parents.contains { $0.requiresGrad }
        self.value = value
        self.requiresGrad = tracked
        self.op = tracked ? op : "leaf"
        self.parents = tracked ? parents : []
        self.backwardRule = tracked ? rule : nil
        AnomalyRecorder.current?.checkForward(op: op, output: value, parents: parents)
    }

    /// The value's shape.
    public var shape: [Int] { value.shape }
    /// True for inputs and parameters (not produced by a tracked operation).
    public var isLeaf: Bool { op == "leaf" }

    /// A constant with the same value, cut off from the graph (`tensor.detach()` in PyTorch).
    public func detached() -> Variable { Variable(value) }

    /// Forgets the accumulated gradient.
    public func zeroGrad() { grad = nil }

    // MARK: Backpropagation

    /// Every node that `self` depends on, each after all of its parents (iterative depth-first search).
    func topologicalOrder() -> [Variable] {
        var order: [Variable] = []
        var visited = Set<ObjectIdentifier>()
        // Each stack entry is a node and whether its parents have already been pushed.
        var stack: [(node: Variable, expanded: Bool)] = [(self, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded {
                order.append(node)
                continue
            }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for parent in node.parents where parent.requiresGrad && !visited.contains(ObjectIdentifier(parent)) {
                stack.append((parent, false))
            }
        }
        return order
    }

    /// Computes ∂self/∂leaf for every leaf that requires gradients and adds it to `leaf.grad`.
    /// `self` must be a scalar unless `gradient` (∂L/∂self) is given. Releases the graph.
    public func backward(_ gradient: Tensor? = nil) {
        precondition(requiresGrad, "backward: \(op) does not require gradients (no parameter in its graph, or computed under noGrad)")
        let seed: Tensor
        if let gradient {
            precondition(gradient.shape == shape, "backward: gradient shape \(gradient.shape) differs from the output shape \(shape)")
            seed = gradient
        } else {
            precondition(value.count == 1, "backward: output of \(op) has shape \(shape); give ∂L/∂output for a non-scalar")
            seed = Tensor.ones(shape)
        }
        let order = topologicalOrder()
        var gradients: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
        for node in order.reversed() {
            guard let g = gradients.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            if node.isLeaf {
                node.grad = node.grad.map { $0 + g } ?? g
                continue
            }
            guard let rule = node.backwardRule else {
                preconditionFailure("backward: the graph through \(node.op) was already released by an earlier backward(); recompute the forward pass")
            }
            let parentGradients = rule(g)
            AnomalyRecorder.current?.checkBackward(node: node, gradients: parentGradients)
            for (parent, pg) in zip(node.parents, parentGradients) where parent.requiresGrad {
                guard let pg else { continue }
                precondition(pg.shape == parent.shape,
                             "backward of \(node.op): gradient shape \(pg.shape) for an input of shape \(parent.shape)")
                let key = ObjectIdentifier(parent)
                gradients[key] = gradients[key].map { $0 + pg } ?? pg
            }
            node.parents = []
            node.backwardRule = nil
        }
    }
}

extension Variable: CustomStringConvertible {
    public var description: String {
        "Variable(\(op)\(name.map { " \"\($0)\"" } ?? ""), requiresGrad: \(requiresGrad))\n\(value)"
    }
}
