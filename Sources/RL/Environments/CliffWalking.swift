// CliffWalking-v1 (Sutton and Barto, Example 6.6), Gymnasium's version: a
// 4 × 12 grid, start at the bottom-left corner, goal at the bottom-right, and
// the cliff the ten tiles between them. Actions: 0 up, 1 right, 2 down, 3
// left; a move into the edge stays in place. Every step costs −1; stepping
// onto the cliff costs −100 and puts the agent back at the start, without
// ending the episode. Reaching the goal ends it. Gymnasium sets no step limit.
// The slippery variant (CliffWalkingSlippery-v1) moves at right angles to the
// intended direction with probability 1/3 each side, as FrozenLake does.
// Q-learning learns the short path along the cliff's edge; SARSA, which
// counts its own exploration, learns the safer path further up.

import Tensor

/// Walk along a cliff from S to G.
public struct CliffWalking: TabularEnvironment, KnownDynamics {
    /// The grid's rows: 4.
    public static let rowCount = 4
    /// The grid's columns: 12.
    public static let columnCount = 12
    /// The start tile S, bottom left: state 36 (state = row · 12 + column).
    public static let start = 3 * 12
    /// The goal tile G, bottom right: state 47.
    public static let goal = 3 * 12 + 11

    /// The four moves, numbered as Gymnasium's.
    public enum Action: Int, CaseIterable {
        /// 0: one row up.
        case up
        /// 1: one column right.
        case right
        /// 2: one row down.
        case down
        /// 3: one column left.
        case left
    }

    /// P[s][a], every outcome of every action in every state.
    public let table: TransitionTable
    /// 4: up, right, down, left.
    public let actionCount = 4
    /// 48, the tiles of the 4 × 12 grid.
    public var stateCount: Int { Self.rowCount * Self.columnCount }
    /// The agent's tile.
    public private(set) var state = CliffWalking.start

    /// Puts the agent on tile `state`, as setting Gymnasium's `env.unwrapped.s` does (lab-rl trace starts there).
    public mutating func place(at state: Int) {
        precondition((0..<stateCount).contains(state), "CliffWalking: state \(state) outside 0..<\(stateCount)")
        self.state = state
    }

    /// Whether state `s` is one of the cliff's ten tiles, between S and G on the bottom row.
    public static func isCliff(_ s: Int) -> Bool { s / columnCount == rowCount - 1 && (1...columnCount - 2).contains(s % columnCount) }

    /// Gymnasium's CliffWalking-v1, or with `slippery` CliffWalkingSlippery-v1 (each move may slip to either side, 1/3 each).
    public init(slippery: Bool = false) {
        func outcome(from s: Int, moving action: Int, probability: Double) -> Outcome {
            var row = s / Self.columnCount, column = s % Self.columnCount
            switch Action(rawValue: action)! {
            case .up: row = max(row - 1, 0)
            case .right: column = min(column + 1, Self.columnCount - 1)
            case .down: row = min(row + 1, Self.rowCount - 1)
            case .left: column = max(column - 1, 0)
            }
            let next = row * Self.columnCount + column
            if Self.isCliff(next) { return Outcome(probability: probability, nextState: Self.start, reward: -100, terminated: false) }
            return Outcome(probability: probability, nextState: next, reward: -1, terminated: next == Self.goal)
        }
        let states = Self.rowCount * Self.columnCount
        table = TransitionTable((0..<states).map { s in
            (0..<4).map { action in
                slippery ? [(action + 3) % 4, action, (action + 1) % 4].map { outcome(from: s, moving: $0, probability: 1.0 / 3) }
                         : [outcome(from: s, moving: action, probability: 1)]
            }
        })
    }

    /// Puts the agent on S; draws nothing from `generator`.
    public mutating func reset(using generator: inout RandomGenerator) -> Int {
        state = Self.start
        return state
    }

    /// Moves by `action` (an Action's raw value), drawing the slip if the walk is slippery: −1, or −100 and back to S off the cliff.
    public mutating func step(_ action: Int, using generator: inout RandomGenerator) -> Step<Int> {
        table.step(from: &state, action, using: &generator, environment: "CliffWalking")
    }
}
