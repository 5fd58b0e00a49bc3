// lab-rl trace: one environment put in a given state, the given actions
// applied in order, and one JSON line per step on standard output, nothing
// else there (so that a script can compare it line by line with Gymnasium):
//   {"t": 1, "state": [0.0102, 0.1953, 0.0201, -0.2743], "reward": 1.0, "terminated": false, "truncated": false}
// "state" is the observation after the step: Float numbers in Swift's
// shortest form that reads back to the same Float (Gymnasium's observations
// are float32); a grid world's state is one integer. The trace stops after
// the step that ends the episode (terminated, or truncated by the step
// limit: CartPole-v1 500, MountainCar-v0 200, FrozenLake-v1 100,
// FrozenLake8x8-v1 200, CliffWalking-v1 none), where Gymnasium would need a
// reset. The slippery grid worlds draw their moves from --seed.
import ArgumentParser
import Foundation
import LabKit
import RL

struct TraceRun {
    /// A checked trace request: the environment, its starting state and the actions.
    struct Request {
        var environment: EnvironmentName
        /// The starting state's numbers (one, a whole number, for a grid world).
        var state: [Double]
        var actions: [Int]

        /// Parses --state and --actions for `environment`, or throws a ValidationError saying what is wrong.
        init(environment: EnvironmentName, state: String?, actions: String?) throws {
            self.environment = environment
            guard let state else { throw ValidationError("trace needs --state (\(environment.rawValue): \(Self.stateDescription(environment)))") }
            guard let actions else { throw ValidationError("trace needs --actions, comma-separated integers such as 0,1,1,0") }
            let stateFields = Self.fields(state)
            let expected = Self.stateSize(environment)
            guard stateFields.count == expected else {
                throw ValidationError("--state for \(environment.rawValue) needs \(expected) value\(expected == 1 ? "" : "s") "
                    + "(\(Self.stateDescription(environment))), got \(stateFields.count): '\(state)'")
            }
            self.state = try stateFields.map { field in
                if environment.isGridWorld {
                    guard let n = Int(field) else { throw ValidationError("--state: '\(field)' is not a whole number (a grid world's state is a cell number)") }
                    let states = Self.stateCount(environment)
                    guard (0..<states).contains(n) else {
                        throw ValidationError("--state: \(n) is not a state of \(environment.rawValue), which has states 0…\(states - 1)")
                    }
                    return Double(n)
                }
                guard let x = Double(field), x.isFinite else { throw ValidationError("--state: '\(field)' is not a finite number") }
                return x
            }
            let actionCount = Self.actionCount(environment)
            let actionFields = Self.fields(actions)
            guard !actionFields.isEmpty else { throw ValidationError("--actions: give at least one action") }
            self.actions = try actionFields.enumerated().map { position, field in
                guard let a = Int(field) else { throw ValidationError("--actions: '\(field)' (number \(position + 1)) is not an integer") }
                guard (0..<actionCount).contains(a) else {
                    throw ValidationError("--actions: \(a) (number \(position + 1)) is not an action of \(environment.rawValue), "
                        + "which takes 0…\(actionCount - 1)")
                }
                return a
            }
        }

        /// "1.5, -2 ,3" → ["1.5", "-2", "3"]; an empty string → [].
        static func fields(_ text: String) -> [String] {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? [] : trimmed.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }

        static func stateSize(_ environment: EnvironmentName) -> Int {
            switch environment {
            case .cartpole: return 4
            case .mountaincar: return 2
            case .frozenlake, .frozenlake8x8, .cliffwalking: return 1
            }
        }

        static func stateDescription(_ environment: EnvironmentName) -> String {
            switch environment {
            case .cartpole: return "x,x_dot,theta,theta_dot"
            case .mountaincar: return "position,velocity"
            case .frozenlake, .frozenlake8x8, .cliffwalking: return "one state number 0…\(stateCount(environment) - 1)"
            }
        }

        static func stateCount(_ environment: EnvironmentName) -> Int {
            switch environment {
            case .frozenlake: return FrozenLake(map: FrozenLake.map4x4).stateCount
            case .frozenlake8x8: return FrozenLake(map: FrozenLake.map8x8).stateCount
            case .cliffwalking: return CliffWalking().stateCount
            case .cartpole, .mountaincar: return 0
            }
        }

        static func actionCount(_ environment: EnvironmentName) -> Int {
            switch environment {
            case .cartpole: return 2
            case .mountaincar: return 3
            case .frozenlake, .frozenlake8x8, .cliffwalking: return 4
            }
        }
    }

    let request: Request
    let seed: UInt64

    func run() throws {
        FileHandle.standardOutput.write(Data(output().utf8))
    }

    /// The JSON lines of the trace, one per step, each ending in a newline.
    func output() -> String {
        let s = request.state
        switch request.environment {
        case .cartpole:
            var environment = CartPole.v1()
            environment.base.state = CartPoleState(s)
            return trace(&environment) { "[" + $0.map(\.description).joined(separator: ", ") + "]" }
        case .mountaincar:
            var environment = MountainCar.v0()
            environment.base.position = s[0]
            environment.base.velocity = s[1]
            return trace(&environment) { "[" + $0.map(\.description).joined(separator: ", ") + "]" }
        case .frozenlake:
            var environment = FrozenLake.v1()
            environment.base.place(at: Int(s[0]))
            return trace(&environment) { String($0) }
        case .frozenlake8x8:
            var environment = FrozenLake.v1x8()
            environment.base.place(at: Int(s[0]))
            return trace(&environment) { String($0) }
        case .cliffwalking:
            var environment = CliffWalking()
            environment.place(at: Int(s[0]))
            return trace(&environment) { String($0) }
        }
    }

    /// Applies the actions to `environment` as it stands (no reset), one JSON line per step, until the episode ends.
    func trace<E: Environment>(_ environment: inout E, state: (E.Observation) -> String) -> String {
        var generator = RandomGenerator(seed: seed)
        var lines = ""
        for (index, action) in request.actions.enumerated() {
            let step = environment.step(action, using: &generator)
            lines += "{\"t\": \(index + 1), \"state\": \(state(step.observation)), \"reward\": \(step.reward.description), "
                + "\"terminated\": \(step.terminated), \"truncated\": \(step.truncated)}\n"
            if step.isDone {
                let left = request.actions.count - index - 1
                if left > 0 { Log.progress("trace: the episode ended at step \(index + 1); the last \(left) action\(left == 1 ? "" : "s") not applied") }
                break
            }
        }
        return lines
    }
}
