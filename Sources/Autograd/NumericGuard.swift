// Numerical guards: stop a training step whose loss or gradient is not finite,
// and name the tensor where the first NaN or infinity appeared.
//
// A step checks its loss L after the forward pass, and ∂L/∂θ of every
// parameter θ after backward() (Tensor.isFinite: one multiply-add per element,
// far cheaper than the step). Both checks come before optimizer.step(): an
// update with a NaN gradient writes NaN into θ, and every later step is lost.
//
// When a check fails, the guard replays the step under `detectAnomalies`
// (AnomalyDetection.swift). Nothing has been updated yet, so the replay starts
// from the same weights on the same batch and meets the same NaN; this time
// every op checks its output, so the error can say which op made it, e.g.
//
//   step 7: the loss is nan; first non-finite tensor: the output of exp
//   (inputs: matmul [64, 10]) became inf at element 3, in the forward pass
//
// During the replay each parameter carries its dotted name ("2.weight"), so
// the message names parameters the way a state dict does. A replay that uses
// fresh randomness (Dropout) may not meet the NaN again; the error then says
// that no op was found.

import Tensor

/// A training step stopped because its loss or a gradient held NaN or ±∞.
public struct NonFiniteStep: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the step's check saw.
    public enum Symptom: Sendable, Equatable {
        /// The loss itself.
        case loss(Float)
        /// The first bad element of the named parameter's gradient.
        case gradient(parameter: String, index: Int, value: Float)
    }

    /// The step (from 1) that was stopped, as its training loop counts steps.
    public let step: Int
    public let symptom: Symptom
    /// The first op whose output or gradient became non-finite in the replay, if the replay found one.
    public let firstAnomaly: Anomaly?

    public init(step: Int, symptom: Symptom, firstAnomaly: Anomaly?) {
        self.step = step
        self.symptom = symptom
        self.firstAnomaly = firstAnomaly
    }

    public var description: String {
        let seen: String
        switch symptom {
        case .loss(let value):
            seen = "the loss is \(value)"
        case .gradient(let parameter, let index, let value):
            seen = "the gradient of \(parameter) holds \(value) at element \(index)"
        }
        let origin = firstAnomaly.map { "first non-finite tensor: \($0)" }
            ?? "replaying the step under anomaly detection found no non-finite op (a random layer such as Dropout may have drawn differently)"
        return "step \(step): \(seen); \(origin). Lower the learning rate or clip the gradients."
    }
}

/// The checks a training step runs between its forward pass, backward() and optimizer.step().
public enum NumericGuard {
    /// Throws `NonFiniteStep` when `loss` is NaN or ±∞. `replay` recomputes the step's loss from the
    /// same weights and batch; `parameters` are named for the message.
    public static func checkLoss(_ loss: Variable, step: Int, parameters: [(String, Variable)],
                                 replay: () -> Variable) throws {
        let value = loss.value.item
        guard !value.isFinite else { return }
        let anomaly = withDottedNames(parameters) {
            noGrad { detectAnomalies { _ = replay() }.firstAnomaly }
        }
        throw NonFiniteStep(step: step, symptom: .loss(value), firstAnomaly: anomaly)
    }

    /// After backward(): throws `NonFiniteStep` when the gradient of a parameter holds NaN or ±∞.
    /// `replay` recomputes the loss; its backward pass runs under anomaly detection. The replay
    /// leaves its own gradients in the parameters: the step is abandoned either way.
    public static func checkGradients(of parameters: [(String, Variable)], step: Int, replay: () -> Variable) throws {
        for (name, parameter) in parameters {
            guard let gradient = parameter.grad, let bad = gradient.firstNonFinite else { continue }
            for (_, p) in parameters { p.zeroGrad() }
            let anomaly = withDottedNames(parameters) {
                detectAnomalies { replay().backward() }.firstAnomaly
            }
            throw NonFiniteStep(step: step, symptom: .gradient(parameter: name, index: bad.index, value: bad.value),
                                firstAnomaly: anomaly)
        }
    }

    /// Runs `body` with each parameter's `name` set to its dotted path, then restores the names.
    static func withDottedNames<R>(_ parameters: [(String, Variable)], _ body: () -> R) -> R {
        let saved = parameters.map { $0.1.name }
        for (path, parameter) in parameters { parameter.name = path }
        defer { for ((_, parameter), name) in zip(parameters, saved) { parameter.name = name } }
        return body()
    }
}
