// The environments lab-rl can be pointed at with --env, and the Gymnasium id
// each one stands for (the same dynamics and the same step limit).
import ArgumentParser

/// An environment of RL chosen on the command line.
enum EnvironmentName: String, ExpressibleByArgument, CaseIterable {
    case cartpole, mountaincar, frozenlake, frozenlake8x8, cliffwalking

    /// The Gymnasium id of the same task.
    var gymnasiumID: String {
        switch self {
        case .cartpole: return "CartPole-v1"
        case .mountaincar: return "MountainCar-v0"
        case .frozenlake: return "FrozenLake-v1"
        case .frozenlake8x8: return "FrozenLake8x8-v1"
        case .cliffwalking: return "CliffWalking-v1"
        }
    }

    /// Whether the states are the cells of a grid (numbered row by row), as tabular learning needs.
    var isGridWorld: Bool { self == .frozenlake || self == .frozenlake8x8 || self == .cliffwalking }
}
