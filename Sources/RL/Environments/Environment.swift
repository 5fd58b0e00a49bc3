// The interface every environment of RL follows, Gymnasium's in Swift:
//   reset()          → s₀                       a fresh episode
//   step(a)          → (s′, r, terminated, truncated)
// "terminated" means the task itself ended (the pole fell, the agent reached
// the goal or a hole): no future rewards, so a value target stops there.
// "truncated" means a clock ran out (TimeLimit.swift): the state still has a
// future, and a learner should bootstrap from V(s′) rather than from zero.
// Randomness comes from the caller's generator, so every run is seeded.

import Tensor

/// What one step of an environment returns.
public struct Step<Observation> {
    /// s′, the observation after the step (for a finished copy of a VectorEnvironment, the next episode's first).
    public var observation: Observation
    /// r, the reward the step earned.
    public var reward: Double
    /// The episode ended inside the task (a terminal state).
    public var terminated: Bool
    /// The episode was cut off from outside (a step limit); the state is not terminal.
    public var truncated: Bool

    /// A step's outcome; `truncated` defaults to false, as only TimeLimit sets it.
    public init(observation: Observation, reward: Double, terminated: Bool, truncated: Bool = false) {
        self.observation = observation
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
    }

    /// Either way the episode is over and the next step needs a reset.
    public var isDone: Bool { terminated || truncated }
}

/// An episodic task with discrete actions 0..<actionCount.
public protocol Environment {
    /// What the agent sees: `[Float]` for CartPole and MountainCar, the state's number for the tabular tasks.
    associatedtype Observation
    /// The number of actions; an action is an Int in 0..<actionCount.
    var actionCount: Int { get }
    /// Starts an episode and returns its first observation.
    mutating func reset(using generator: inout RandomGenerator) -> Observation
    /// Applies `action` and returns what followed.
    mutating func step(_ action: Int, using generator: inout RandomGenerator) -> Step<Observation>
}

/// An environment whose states are the integers 0..<stateCount (FrozenLake, CliffWalking).
public protocol TabularEnvironment: Environment where Observation == Int {
    /// The number of states; a state (the observation) is an Int in 0..<stateCount.
    var stateCount: Int { get }
}
