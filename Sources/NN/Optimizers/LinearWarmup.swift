// LinearWarmup: ramp the learning rate up from near zero, then hand over to another schedule.
//
//     lr(t) = lr_next(0) · (t + 1) / (W + 1)     for t < W
//     lr(t) = lr_next(t − W)                     for t ≥ W
//
// Early in training Adam's second-moment estimates are noisy and the weights
// are far from anything sensible, so full-size steps can blow up (Goyal et al.,
// "Accurate, Large Minibatch SGD", 2017, section 2.2). nanoGPT's schedule is
// LinearWarmup(warmupSteps: W, then: CosineAnnealing(baseLearningRate: lr,
// totalSteps: D − W, minimumLearningRate: lr / 10)) with D = lr_decay_iters;
// the (t + 1)/(W + 1) ramp is nanoGPT's, so step 0 trains with a small
// positive rate and the ramp meets the next schedule at step W.

/// A linear ramp over `warmupSteps` steps up to the start of another schedule.
public struct LinearWarmup: LearningRateSchedule {
    /// W: the number of warm-up steps.
    public let warmupSteps: Int
    /// The schedule that runs after the warm-up, from its own step 0.
    public let next: any LearningRateSchedule

    /// Warms up over `warmupSteps` steps, then follows `next` (shifted by `warmupSteps`).
    public init(warmupSteps: Int, then next: any LearningRateSchedule) {
        precondition(warmupSteps >= 0, "LinearWarmup: warmupSteps must be ≥ 0, got \(warmupSteps)")
        self.warmupSteps = warmupSteps
        self.next = next
    }

    public func learningRate(atStep step: Int) -> Float {
        precondition(step >= 0, "LinearWarmup: step must be ≥ 0, got \(step)")
        if step >= warmupSteps { return next.learningRate(atStep: step - warmupSteps) }
        let target = next.learningRate(atStep: 0)
        return target * Float(step + 1) / Float(warmupSteps + 1)
    }
}
