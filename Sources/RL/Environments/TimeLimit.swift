// TimeLimit: ends an episode as truncated after a fixed number of steps, as
// Gymnasium's wrapper of the same name does (CartPole-v1: 500, FrozenLake-v1:
// 100, FrozenLake8x8-v1: 200). A step that both reaches a terminal state and
// hits the limit is reported as terminated and truncated, as in Gymnasium.

import Tensor

/// `base` with its episodes cut off after `maximumSteps` steps.
public struct TimeLimit<Base: Environment>: Environment {
    public var base: Base
    public let maximumSteps: Int
    /// Steps taken in the current episode.
    public private(set) var elapsedSteps = 0

    public init(_ base: Base, maximumSteps: Int) {
        precondition(maximumSteps > 0, "TimeLimit: maximumSteps must be positive, got \(maximumSteps)")
        self.base = base
        self.maximumSteps = maximumSteps
    }

    public var actionCount: Int { base.actionCount }

    public mutating func reset(using generator: inout RandomGenerator) -> Base.Observation {
        elapsedSteps = 0
        return base.reset(using: &generator)
    }

    public mutating func step(_ action: Int, using generator: inout RandomGenerator) -> Step<Base.Observation> {
        var result = base.step(action, using: &generator)
        elapsedSteps += 1
        if elapsedSteps >= maximumSteps { result.truncated = true }
        return result
    }
}

extension TimeLimit: TabularEnvironment where Base: TabularEnvironment {
    public var stateCount: Int { base.stateCount }
}
