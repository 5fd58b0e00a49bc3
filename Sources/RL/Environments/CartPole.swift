// CartPole-v1 (Barto, Sutton and Anderson 1983), with Gymnasium's constants,
// equations and thresholds, in Double as Gymnasium computes them.
// A pole of half-length l = 0.5 m and mass m = 0.1 kg is hinged on a cart of
// mass M = 1 kg; each step pushes the cart with F = ±10 N for τ = 0.02 s.
//   temp  = (F + m l θ̇² sin θ) / (M + m)
//   θ̈     = (g sin θ − cos θ · temp) / (l (4/3 − m cos²θ / (M + m)))
//   ẍ     = temp − m l θ̈ cos θ / (M + m)
// then one explicit Euler step: x += τẋ, ẋ += τẍ, θ += τθ̇, θ̇ += τθ̈.
// Reward 1 for every step, the last one included. The episode terminates
// when |x| > 2.4 m or |θ| > 12°; CartPole-v1 truncates it at 500 steps
// (`CartPole.v1()`). A reset draws all four variables from U(−0.05, 0.05).
// The observation is the state rounded to Float, as Gymnasium returns float32.

import Foundation
import Tensor

/// The cart-pole state: position, velocity, pole angle (rad), angular velocity.
public struct CartPoleState: Equatable, Sendable {
    /// x, the cart's position in metres from the centre of the track (positive to the right).
    public var x: Double
    /// ẋ, the cart's velocity in m/s.
    public var xDot: Double
    /// θ, the pole's angle from upright in radians.
    public var theta: Double
    /// θ̇, the pole's angular velocity in rad/s.
    public var thetaDot: Double

    /// A state from its four variables.
    public init(x: Double, xDot: Double, theta: Double, thetaDot: Double) {
        self.x = x
        self.xDot = xDot
        self.theta = theta
        self.thetaDot = thetaDot
    }

    /// A state from [x, ẋ, θ, θ̇], the order of Gymnasium's `state` array.
    public init(_ values: [Double]) {
        precondition(values.count == 4, "CartPoleState: 4 values (x, x_dot, theta, theta_dot), got \(values.count)")
        self.init(x: values[0], xDot: values[1], theta: values[2], thetaDot: values[3])
    }

    /// [x, ẋ, θ, θ̇], the order of Gymnasium's `state` array.
    public var values: [Double] { [x, xDot, theta, thetaDot] }
    /// The state as the agent sees it (float32, as Gymnasium's observation).
    public var observation: [Float] { values.map { Float($0) } }
}

/// Balance a pole on a cart by pushing left (action 0) or right (action 1).
public struct CartPole: Environment {
    /// g, 9.8 m/s² (Gymnasium's `gravity`).
    public static let gravity = 9.8
    /// M, the cart's mass: 1 kg (`masscart`).
    public static let cartMass = 1.0
    /// m, the pole's mass: 0.1 kg (`masspole`).
    public static let poleMass = 0.1
    /// l, half the pole's length: 0.5 m (Gymnasium's `length`, which is the half-length).
    public static let halfPoleLength = 0.5
    /// F, the push of either action: 10 N (`force_mag`).
    public static let forceMagnitude = 10.0
    /// τ, the time one step integrates over: 0.02 s (`tau`).
    public static let secondsPerStep = 0.02
    /// The episode terminates when |x| exceeds this: 2.4 m (`x_threshold`).
    public static let positionLimit = 2.4
    /// The episode terminates when |θ| exceeds this: 12° in radians (`theta_threshold_radians`).
    public static let angleLimit = 12 * 2 * Double.pi / 360

    /// The current state; set it to start from a chosen state, as Gymnasium's `env.unwrapped.state`.
    public var state = CartPoleState(x: 0, xDot: 0, theta: 0, thetaDot: 0)
    /// 2: push left (0) or right (1).
    public let actionCount = 2

    /// A cart-pole at rest at the centre; `reset(using:)` starts an episode. No step limit: see `v1()`.
    public init() {}

    /// CartPole-v1: this environment with Gymnasium's 500-step limit.
    public static func v1() -> TimeLimit<CartPole> { TimeLimit(CartPole(), maximumSteps: 500) }

    /// Draws x, ẋ, θ and θ̇ each from U(−0.05, 0.05) and returns the observation.
    public mutating func reset(using generator: inout RandomGenerator) -> [Float] {
        func draw() -> Double { -0.05 + 0.1 * generator.nextUniformDouble() }
        state = CartPoleState(x: draw(), xDot: draw(), theta: draw(), thetaDot: draw())
        return state.observation
    }

    /// Pushes the cart left (0) or right (1) for τ seconds (one Euler step of the equations above); reward 1,
    /// terminated once |x| > 2.4 or |θ| > 12°. Draws nothing from `generator`.
    public mutating func step(_ action: Int, using generator: inout RandomGenerator) -> Step<[Float]> {
        precondition(action == 0 || action == 1, "CartPole: action must be 0 (left) or 1 (right), got \(action)")
        let totalMass = Self.cartMass + Self.poleMass
        let poleMassLength = Self.poleMass * Self.halfPoleLength
        let force = action == 1 ? Self.forceMagnitude : -Self.forceMagnitude
        let cosTheta = cos(state.theta), sinTheta = sin(state.theta)

        let temp: Double = (force + poleMassLength * state.thetaDot * state.thetaDot * sinTheta) / totalMass
        let poleInertiaTerm: Double = 4.0 / 3.0 - Self.poleMass * cosTheta * cosTheta / totalMass
        let thetaAcceleration: Double = (Self.gravity * sinTheta - cosTheta * temp) / (Self.halfPoleLength * poleInertiaTerm)
        let xAcceleration: Double = temp - poleMassLength * thetaAcceleration * cosTheta / totalMass

        let tau = Self.secondsPerStep
        state = CartPoleState(x: state.x + tau * state.xDot,
                              xDot: state.xDot + tau * xAcceleration,
                              theta: state.theta + tau * state.thetaDot,
                              thetaDot: state.thetaDot + tau * thetaAcceleration)
        let terminated = state.x < -Self.positionLimit || state.x > Self.positionLimit
            || state.theta < -Self.angleLimit || state.theta > Self.angleLimit
        return Step(observation: state.observation, reward: 1, terminated: terminated)
    }
}
