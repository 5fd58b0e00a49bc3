// TimeLimit: ends an episode as truncated after a fixed number of steps, as
// Gymnasium's wrapper of the same name does (CartPole-v1: 500, FrozenLake-v1:
// 100, FrozenLake8x8-v1: 200). A step that both reaches a terminal state and
// hits the limit is reported as terminated and truncated, as in Gymnasium.

import Tensor

/// `base` with its episodes cut off after `maximumSteps` steps.
public struct TimeLimit<Base: Environment>: Environment {
    /// The wrapped environment (set its state through it, e.g. `env.base.state`).
    public var base: Base
    /// The step at which an episode is cut off (truncated).
    public let maximumSteps: Int
    /// Steps taken in the current episode.
    public private(set) var elapsedSteps = 0

    /// `base` cut off after `maximumSteps` steps (positive).
    public init(_ base: Base, maximumSteps: Int) {
        precondition(maximumSteps > 0, "TimeLimit: maximumSteps must be positive, got \(maximumSteps)")
        self.base = base
        self.maximumSteps = maximumSteps
    }

    /// The base's action count.
    public var actionCount: Int { base.actionCount }

    /// Resets the base and the step count.
    public mutating func reset(using generator: inout RandomGenerator) -> Base.Observation {
        elapsedSteps = 0
        return base.reset(using: &generator)
    }

    /// Steps the base; the step that reaches `maximumSteps` is marked truncated (whether or not it also terminated).
    public mutating func step(_ action: Int, using generator: inout RandomGenerator) -> Step<Base.Observation> {
        var result = base.step(action, using: &generator)
        elapsedSteps += 1
        if elapsedSteps >= maximumSteps { result.truncated = true }
        return result
    }
}

extension TimeLimit: TabularEnvironment where Base: TabularEnvironment {
    /// The base's state count.
    public var stateCount: Int { base.stateCount }
}
