// MountainCar-v0 (Moore 1990), Gymnasium's dynamics: a car in a valley whose
// engine is too weak to climb straight out; it must swing back and forth.
// Actions: 0 push left, 1 no push, 2 push right.
//   v ← clip(v + (a − 1) · 0.001 − 0.0025 · cos(3x), −0.07, 0.07)
//   x ← clip(x + v, −1.2, 0.6);  at x = −1.2 a leftward v becomes 0 (an inelastic wall)
// Reward −1 per step; the episode terminates when x ≥ 0.5 (with v ≥ 0) and truncates at
// 200 steps (`MountainCar.v0()`). A reset puts the car at x ~ U(−0.6, −0.4), v = 0.

import Foundation
import Tensor

/// Drive an underpowered car up a hill.
public struct MountainCar: Environment {
    public static let minimumPosition = -1.2, maximumPosition = 0.6, maximumSpeed = 0.07
    public static let goalPosition = 0.5, force = 0.001, gravity = 0.0025

    /// (position, velocity).
    public var position = -0.5, velocity = 0.0
    public let actionCount = 3

    public init() {}

    /// MountainCar-v0: this environment with Gymnasium's 200-step limit.
    public static func v0() -> TimeLimit<MountainCar> { TimeLimit(MountainCar(), maximumSteps: 200) }

    public var observation: [Float] { [Float(position), Float(velocity)] }

    public mutating func reset(using generator: inout RandomGenerator) -> [Float] {
        position = -0.6 + 0.2 * generator.nextUniformDouble()
        velocity = 0
        return observation
    }

    public mutating func step(_ action: Int, using generator: inout RandomGenerator) -> Step<[Float]> {
        precondition((0..<3).contains(action), "MountainCar: action must be 0, 1 or 2, got \(action)")
        velocity += Double(action - 1) * Self.force - cos(3 * position) * Self.gravity
        velocity = min(max(velocity, -Self.maximumSpeed), Self.maximumSpeed)
        position = min(max(position + velocity, Self.minimumPosition), Self.maximumPosition)
        if position == Self.minimumPosition && velocity < 0 { velocity = 0 }
        return Step(observation: observation, reward: -1, terminated: position >= Self.goalPosition && velocity >= 0)
    }
}
