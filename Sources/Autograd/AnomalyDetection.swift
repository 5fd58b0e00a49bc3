// Anomaly detection: which operation made the first NaN or infinity?
//
// A loss of NaN says that something went wrong, not where. Inside
// `detectAnomalies { … }` every operation on Variables checks its inputs and
// its output as it is computed (the forward pass), and backward() checks every
// gradient an operation hands to its inputs (the backward pass). The first
// tensor found holding NaN or ±∞ is kept as an `Anomaly`: the pass, the op,
// its inputs, and the first bad element. Because ops run in the order the
// program computes them, "first" means the earliest in the computation, which
// is where a NaN is born; every op after it only passes it on.
//
// The checks cost one pass over every tensor, so the mode is off by default,
// as PyTorch's `torch.autograd.detect_anomaly` is. Training loops switch it on
// only to explain a failure: when a step's loss or gradient is not finite they
// replay that step under it, from the weights the step started with
// (NumericGuard.swift). The flag is task-local, like `noGrad`.

import Tensor

/// The first tensor that held NaN or ±∞ inside `detectAnomalies`, and the operation it belongs to.
public struct Anomaly: Sendable, Equatable, CustomStringConvertible {
    /// Where the tensor was found.
    public enum Place: Sendable, Equatable {
        /// A parameter or input (a leaf) that already held the value when an op read it.
        case leaf
        /// The output of `op` in the forward pass.
        case forwardOutput
        /// The gradient that the backward rule of `op` passed to its input number `input` (from 0).
        case backwardGradient(input: Int)
    }

    public let place: Place
    /// The operation ("matmul", "exp", …), or the op that read the leaf.
    public let op: String
    /// The tensor's label: a parameter's name, or "<op> [shape]".
    public let tensor: String
    /// The op's inputs, each as a label.
    public let inputs: [String]
    /// Row-major position and value of the first bad element.
    public let index: Int
    public let value: Float

    public var description: String {
        let from = inputs.isEmpty ? "" : " (inputs: \(inputs.joined(separator: ", ")))"
        switch place {
        case .leaf:
            return "\(tensor) already held \(value) at element \(index) when \(op) read it"
        case .forwardOutput:
            return "the output of \(op)\(from) became \(value) at element \(index), in the forward pass"
        case .backwardGradient(let input):
            return "the backward of \(op)\(from) passed \(value) at element \(index) to its input \(inputs[input]), in the backward pass"
        }
    }
}

/// Runs `body` with anomaly detection on; returns its result and the first anomaly (nil when none).
public func detectAnomalies<R>(_ body: () throws -> R) rethrows -> (result: R, firstAnomaly: Anomaly?) {
    let recorder = AnomalyRecorder()
    let result = try AnomalyRecorder.$current.withValue(recorder) { try body() }
    return (result, recorder.first)
}

/// Keeps the first anomaly of one `detectAnomalies` call.
final class AnomalyRecorder: @unchecked Sendable {
    @TaskLocal static var current: AnomalyRecorder?

    private(set) var first: Anomaly?

    /// The forward pass of `op`: its leaf inputs first (a bad parameter is the cause), then its output.
    func checkForward(op: String, output: Tensor, parents: [Variable]) {
        guard first == nil else { return }
        let inputs = parents.map(\.label)
        for parent in parents where parent.isLeaf {
            if let bad = parent.value.firstNonFinite {
                first = Anomaly(place: .leaf, op: op, tensor: parent.label, inputs: inputs, index: bad.index, value: bad.value)
                return
            }
        }
        if let bad = output.firstNonFinite {
            first = Anomaly(place: .forwardOutput, op: op, tensor: "\(op) \(output.shape)", inputs: inputs,
                            index: bad.index, value: bad.value)
        }
    }

    /// The backward rule of `node`, which produced `gradients` for its parents.
    func checkBackward(node: Variable, gradients: [Tensor?]) {
        guard first == nil else { return }
        for (input, gradient) in gradients.enumerated() {
            guard let gradient, let bad = gradient.firstNonFinite else { continue }
            first = Anomaly(place: .backwardGradient(input: input), op: node.op, tensor: "∂L/∂(\(node.parents[input].label))",
                            inputs: node.parents.map(\.label), index: bad.index, value: bad.value)
            return
        }
    }
}

extension Variable {
    /// A name for messages: the parameter's name, or the op and shape ("matmul [64, 10]").
    public var label: String {
        if let name { return "\(name) \(shape)" }
        return isLeaf ? "input \(shape)" : "\(op) \(shape)"
    }
}
