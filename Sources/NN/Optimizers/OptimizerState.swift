// OptimizerState: an optimizer's running state as named tensors, to save and restore.
//
// Besides the parameters θ, an optimizer carries state that the next step
// depends on: SGD's velocity b, RMSProp's running mean of g² (and of g, and a
// velocity), Adam's moments m, v and its step count t, which sets the bias
// corrections 1 − β1ᵗ and 1 − β2ᵗ. Resuming training from θ alone would restart
// m and v at zero and t at 1, so the first steps after a resume would differ
// from those of a run that never stopped. Saving the state with θ makes a
// resumed run take exactly the steps the straight run takes.
//
// Names follow PyTorch's `optimizer.state_dict()["state"]`: the state of the
// i-th parameter (in the optimizer's `parameters` order) is under
// "<i>.exp_avg", "<i>.exp_avg_sq", "<i>.step" (Adam, AdamW), "<i>.momentum_buffer"
// (SGD), "<i>.square_avg", "<i>.grad_avg", "<i>.momentum_buffer" (RMSProp). A
// parameter that has not been stepped yet has no entries. The step count is a
// one-element tensor, as in PyTorch (exact in Float up to 2²⁴ steps).
// Loading is strict and all-or-nothing: every name must belong to a parameter
// and a kind of state this optimizer has, with the parameter's shape, or a
// `StateDictError` names it and nothing changes.

import Autograd
import Tensor

/// An optimizer whose running state can be read out and put back (PyTorch's `state_dict`).
public protocol StatefulOptimizer: Optimizer {
    /// The running state by name ("0.exp_avg", "3.momentum_buffer", …); copies of the values.
    func stateTensors() -> [String: Tensor]
    /// Replaces the running state with `tensors` (as returned by `stateTensors()`).
    /// Throws `StateDictError` (or `OptimizerStateError`) naming the first bad entry, changing nothing; `source` names
    /// where the tensors came from.
    func loadState(_ tensors: [String: Tensor], source: String) throws
}

/// A saved optimizer state whose shapes fit but whose values cannot be a state.
public enum OptimizerStateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A step count that is not a whole number ≥ 1.
    case badStepCount(source: String, key: String, value: Float)

    public var description: String {
        switch self {
        case .badStepCount(let source, let key, let value):
            return "\(source): '\(key)' holds \(value), expected a step count (a whole number ≥ 1)"
        }
    }
}

/// One kind of per-parameter state ("exp_avg") and whether it has the parameter's shape.
struct OptimizerStateSlot {
    let key: String
    /// True: the tensor has its parameter's shape; false: a one-element step count.
    let matchesParameter: Bool
}

enum OptimizerStateCodec {
    /// Flattens per-parameter state arrays into "<i>.<key>" names.
    static func encode(_ slots: [(String, [Tensor?])]) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (key, values) in slots {
            for (index, value) in values.enumerated() {
                if let value { result["\(index).\(key)"] = value }
            }
        }
        return result
    }

    /// Splits "<i>.<key>" names back into one array per slot, checking every name and shape.
    static func decode(_ tensors: [String: Tensor], slots: [OptimizerStateSlot], parameters: [Variable],
                       source: String) throws -> [String: [Tensor?]] {
        var result: [String: [Tensor?]] = [:]
        for slot in slots { result[slot.key] = Array(repeating: nil, count: parameters.count) }
        for name in tensors.keys.sorted() {
            let tensor = tensors[name]!
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, let index = Int(parts[0]), index >= 0, index < parameters.count,
                  let slot = slots.first(where: { $0.key == parts[1] }) else {
                throw StateDictError.unexpectedKey(source: source, key: name, found: tensor.shape)
            }
            let expected = slot.matchesParameter ? parameters[index].value.shape : [1]
            guard tensor.shape == expected else {
                throw StateDictError.shapeMismatch(source: source, key: name, expected: expected, found: tensor.shape)
            }
            result[slot.key]![index] = tensor
        }
        return result
    }

    /// Checks that the slots listed in `together` are present for the same parameters.
    static func requireTogether(_ decoded: [String: [Tensor?]], _ together: [OptimizerStateSlot],
                                parameters: [Variable], source: String) throws {
        for index in parameters.indices {
            let present = together.filter { decoded[$0.key]![index] != nil }
            if present.isEmpty || present.count == together.count { continue }
            let missing = together.first { decoded[$0.key]![index] == nil }!
            throw StateDictError.missingKey(source: source, key: "\(index).\(missing.key)",
                                            expected: missing.matchesParameter ? parameters[index].value.shape : [1])
        }
    }
}

extension AdamMoments {
    static let slots = [OptimizerStateSlot(key: "exp_avg", matchesParameter: true),
                        OptimizerStateSlot(key: "exp_avg_sq", matchesParameter: true),
                        OptimizerStateSlot(key: "step", matchesParameter: false)]

    func stateTensors() -> [String: Tensor] {
        let stepTensors: [Tensor?] = steps.enumerated().map { index, t in
            first[index] == nil ? nil : Tensor(shape: [1], scalars: [Float(t)])
        }
        return OptimizerStateCodec.encode([("exp_avg", first), ("exp_avg_sq", second), ("step", stepTensors)])
    }

    mutating func loadState(_ tensors: [String: Tensor], parameters: [Variable], source: String) throws {
        let decoded = try OptimizerStateCodec.decode(tensors, slots: Self.slots, parameters: parameters, source: source)
        try OptimizerStateCodec.requireTogether(decoded, Self.slots, parameters: parameters, source: source)
        var newSteps = Array(repeating: 0, count: parameters.count)
        for (index, step) in decoded["step"]!.enumerated() {
            guard let step else { continue }
            let value = step.item
            // Int(exactly:) is nil for a fraction and for a value beyond Int's range (1e30), where Int() traps.
            guard value.isFinite, value >= 1, let count = Int(exactly: value) else {
                throw OptimizerStateError.badStepCount(source: source, key: "\(index).step", value: value)
            }
            newSteps[index] = count
        }
        first = decoded["exp_avg"]!
        second = decoded["exp_avg_sq"]!
        steps = newSteps
    }
}

extension Adam: StatefulOptimizer {
    public func stateTensors() -> [String: Tensor] { moments.stateTensors() }
    public func loadState(_ tensors: [String: Tensor], source: String = "optimizer state") throws {
        try moments.loadState(tensors, parameters: parameters, source: source)
    }
}

extension AdamW: StatefulOptimizer {
    public func stateTensors() -> [String: Tensor] { moments.stateTensors() }
    public func loadState(_ tensors: [String: Tensor], source: String = "optimizer state") throws {
        try moments.loadState(tensors, parameters: parameters, source: source)
    }
}

extension SGD: StatefulOptimizer {
    public func stateTensors() -> [String: Tensor] {
        OptimizerStateCodec.encode([("momentum_buffer", velocities)])
    }

    public func loadState(_ tensors: [String: Tensor], source: String = "optimizer state") throws {
        // Plain SGD (μ = 0) has no state, so any entry is unexpected.
        let slots = momentum == 0 ? [] : [OptimizerStateSlot(key: "momentum_buffer", matchesParameter: true)]
        let decoded = try OptimizerStateCodec.decode(tensors, slots: slots, parameters: parameters, source: source)
        velocities = decoded["momentum_buffer"] ?? Array(repeating: nil, count: parameters.count)
    }
}

extension RMSProp: StatefulOptimizer {
    public func stateTensors() -> [String: Tensor] {
        OptimizerStateCodec.encode([("square_avg", squareAverages), ("grad_avg", gradientAverages),
                                    ("momentum_buffer", velocities)])
    }

    public func loadState(_ tensors: [String: Tensor], source: String = "optimizer state") throws {
        var slots = [OptimizerStateSlot(key: "square_avg", matchesParameter: true)]
        if centered { slots.append(OptimizerStateSlot(key: "grad_avg", matchesParameter: true)) }
        if momentum > 0 { slots.append(OptimizerStateSlot(key: "momentum_buffer", matchesParameter: true)) }
        let decoded = try OptimizerStateCodec.decode(tensors, slots: slots, parameters: parameters, source: source)
        try OptimizerStateCodec.requireTogether(decoded, slots, parameters: parameters, source: source)
        squareAverages = decoded["square_avg"]!
        gradientAverages = decoded["grad_avg"] ?? Array(repeating: nil, count: parameters.count)
        velocities = decoded["momentum_buffer"] ?? Array(repeating: nil, count: parameters.count)
    }
}
