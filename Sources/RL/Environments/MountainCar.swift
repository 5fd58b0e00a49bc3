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
    /// The left end of the track, an inelastic wall: −1.2 (Gymnasium's `min_position`).
    public static let minimumPosition = -1.2
    /// The right end of the track: 0.6 (`max_position`).
    public static let maximumPosition = 0.6
    /// |v| is clipped to this: 0.07 (`max_speed`).
    public static let maximumSpeed = 0.07
    /// The episode terminates at x ≥ 0.5 (`goal_position`).
    public static let goalPosition = 0.5
    /// The engine's change of v per step at full push: 0.001 (`force`).
    public static let force = 0.001
    /// The weight of the hill's slope in the change of v, −0.0025 · cos(3x) per step (`gravity`).
    public static let gravity = 0.0025

    /// x, the car's position on the track.
    public var position = -0.5
    /// v, the car's velocity (change of x per step).
    public var velocity = 0.0
    /// 3: push left (0), no push (1), push right (2).
    public let actionCount = 3

    /// A car at x = −0.5 at rest; `reset(using:)` starts an episode. No step limit: see `v0()`.
    public init() {}

    /// MountainCar-v0: this environment with Gymnasium's 200-step limit.
    public static func v0() -> TimeLimit<MountainCar> { TimeLimit(MountainCar(), maximumSteps: 200) }

    /// [x, v] as float32, as Gymnasium's observation.
    public var observation: [Float] { [Float(position), Float(velocity)] }

    /// Puts the car at x ~ U(−0.6, −0.4) with v = 0 and returns the observation.
    public mutating func reset(using generator: inout RandomGenerator) -> [Float] {
        position = -0.6 + 0.2 * generator.nextUniformDouble()
        velocity = 0
        return observation
    }

    /// Applies the push (the update in the header); reward −1, terminated once x ≥ 0.5 with v ≥ 0. Draws nothing from `generator`.
    public mutating func step(_ action: Int, using generator: inout RandomGenerator) -> Step<[Float]> {
        precondition((0..<3).contains(action), "MountainCar: action must be 0, 1 or 2, got \(action)")
        velocity += Double(action - 1) * Self.force - cos(3 * position) * Self.gravity
        velocity = min(max(velocity, -Self.maximumSpeed), Self.maximumSpeed)
        position = min(max(position + velocity, Self.minimumPosition), Self.maximumPosition)
        if position == Self.minimumPosition && velocity < 0 { velocity = 0 }
        return Step(observation: observation, reward: -1, terminated: position >= Self.goalPosition && velocity >= 0)
    }
}
