// LearningRateSchedule: the learning rate as a function of the step number.
//
// A schedule is a pure function t ↦ γ(t), t = 0, 1, 2, … counting optimizer
// steps, so it can be tested at single points and plotted before training.
// The training loop sets the rate before each step:
//
//     for t in 0..<steps {
//         schedule.apply(to: optimizer, atStep: t)
//         …forward, backward…
//         optimizer.step()
//     }
//
// PyTorch's schedulers instead mutate the optimizer on `scheduler.step()`;
// StepLR and CosineAnnealing give the same rates as torch.optim.lr_scheduler's
// StepLR and CosineAnnealingLR (closed form) at the same step counts.

/// A learning rate for each step number.
public protocol LearningRateSchedule: Sendable {
    /// The learning rate for step `step` (0-based; a negative step is a programmer error).
    func learningRate(atStep step: Int) -> Float
}

extension LearningRateSchedule {
    /// Sets the optimizer's learning rate to this schedule's rate at `step`.
    public func apply(to optimizer: any Optimizer, atStep step: Int) {
        optimizer.learningRate = learningRate(atStep: step)
    }

    /// The rates of steps 0..<count (for plots and checks).
    public func learningRates(count: Int) -> [Float] {
        (0..<count).map { learningRate(atStep: $0) }
    }
}

/// The same learning rate at every step.
public struct ConstantLearningRate: LearningRateSchedule {
    /// The rate.
    public let value: Float

    /// A schedule that always returns `value`.
    public init(_ value: Float) { self.value = value }

    public func learningRate(atStep step: Int) -> Float {
        precondition(step >= 0, "ConstantLearningRate: step must be ≥ 0, got \(step)")
        return value
    }
}
