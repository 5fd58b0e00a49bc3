// StepLR: multiply the learning rate by γ every `stepSize` steps.
//
//     lr(t) = lr₀ · γ^⌊t / stepSize⌋
//
// The classic ImageNet recipe (lr 0.1, divided by 10 every 30 epochs) is
// StepLR(baseLearningRate: 0.1, stepSize: 30, gamma: 0.1) stepped once per
// epoch; it matches torch.optim.lr_scheduler.StepLR.

import Foundation

/// Step decay: the rate falls by a factor `gamma` every `stepSize` steps.
public struct StepLR: LearningRateSchedule {
    /// lr₀: the rate of steps 0..<stepSize.
    public let baseLearningRate: Float
    /// Steps between two decays.
    public let stepSize: Int
    /// Factor applied at each decay.
    public let gamma: Float

    /// Creates a step decay from `baseLearningRate`, multiplied by `gamma` every `stepSize` steps.
    public init(baseLearningRate: Float, stepSize: Int, gamma: Float = 0.1) {
        precondition(stepSize > 0, "StepLR: stepSize must be > 0, got \(stepSize)")
        precondition(gamma >= 0, "StepLR: gamma must be ≥ 0, got \(gamma)")
        self.baseLearningRate = baseLearningRate
        self.stepSize = stepSize
        self.gamma = gamma
    }

    public func learningRate(atStep step: Int) -> Float {
        precondition(step >= 0, "StepLR: step must be ≥ 0, got \(step)")
        let decays = step / stepSize
        return Float(Double(baseLearningRate) * pow(Double(gamma), Double(decays)))
    }
}
