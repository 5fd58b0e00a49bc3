// CosineAnnealing: lower the learning rate along half a cosine wave.
//
//     lr(t) = lr_min + (lr₀ − lr_min) · (1 + cos(π · t / T)) / 2     for 0 ≤ t ≤ T
//     lr(t) = lr_min                                                  for t > T
//
// The rate starts at lr₀, falls slowly, then fast around T/2, then slowly
// again into lr_min at step T (Loshchilov & Hutter, "SGDR: Stochastic Gradient
// Descent with Warm Restarts", ICLR 2017, eq. 5, without the restarts). This is
// the closed form of torch.optim.lr_scheduler.CosineAnnealingLR with T_max = T,
// held at lr_min after T as nanoGPT does.

import Foundation

/// Cosine decay from `baseLearningRate` to `minimumLearningRate` over `totalSteps` steps.
public struct CosineAnnealing: LearningRateSchedule {
    /// lr₀: the rate at step 0.
    public let baseLearningRate: Float
    /// T: the step at which the rate reaches its minimum.
    public let totalSteps: Int
    /// lr_min: the rate at step T and after.
    public let minimumLearningRate: Float

    /// Creates a cosine decay from `baseLearningRate` at step 0 to `minimumLearningRate` at `totalSteps`.
    public init(baseLearningRate: Float, totalSteps: Int, minimumLearningRate: Float = 0) {
        precondition(totalSteps > 0, "CosineAnnealing: totalSteps must be > 0, got \(totalSteps)")
        self.baseLearningRate = baseLearningRate
        self.totalSteps = totalSteps
        self.minimumLearningRate = minimumLearningRate
    }

    public func learningRate(atStep step: Int) -> Float {
        precondition(step >= 0, "CosineAnnealing: step must be ≥ 0, got \(step)")
        if step >= totalSteps { return minimumLearningRate }
        let progress = Double(step) / Double(totalSteps)
        let coefficient = 0.5 * (1 + cos(Double.pi * progress))
        let low = Double(minimumLearningRate), high = Double(baseLearningRate)
        return Float(low + coefficient * (high - low))
    }
}
