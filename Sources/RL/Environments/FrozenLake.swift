// FrozenLake (Gymnasium's FrozenLake-v1 and FrozenLake8x8-v1): walk from S to
// G on a grid of frozen tiles F without falling into a hole H. Actions: 0
// left, 1 down, 2 right, 3 up; a move into the wall stays in place. On the
// slippery lake the intended move happens with probability 1/3 and each of
// the two moves at right angles to it with 1/3 (Gymnasium's success_rate,
// (1 − success_rate)/2 each side). Reward 1 on reaching G, 0 otherwise; G and
// H end the episode. Gymnasium's step limits: 100 (4×4) and 200 (8×8).
//
// The dynamics are a table, P[s][a] = [(probability, s′, reward, terminated)],
// built once from the map, which is what value iteration and tests read.

import Tensor

/// A grid lake with frozen tiles, holes and a goal.
public struct FrozenLake: TabularEnvironment, KnownDynamics {
    /// Gymnasium's 4 × 4 map (FrozenLake-v1): S start, F frozen, H hole, G goal.
    public static let map4x4 = ["SFFF", "FHFH", "FFFH", "HFFG"]
    /// Gymnasium's 8 × 8 map (FrozenLake8x8-v1).
    public static let map8x8 = ["SFFFFFFF", "FFFFFFFF", "FFFHFFFF", "FFFFFHFF",
                                "FFFHFFFF", "FHHFFFHF", "FHFFHFHF", "FFFHFFFG"]
    /// The four moves, numbered as Gymnasium's.
    public enum Action: Int, CaseIterable {
        /// 0: one column left.
        case left
        /// 1: one row down.
        case down
        /// 2: one column right.
        case right
        /// 3: one row up.
        case up
    }

    /// The map's tiles, row by row: S, F, H or G.
    public let rows: [[Character]]
    /// The map's rows.
    public let rowCount: Int
    /// The map's columns.
    public let columnCount: Int
    /// The outcomes of action a in state s = row · columns + column.
    public let table: TransitionTable
    /// table.outcomes, as Gymnasium's `P`.
    public var transitions: [[[Outcome]]] { table.outcomes }
    /// 4: left, down, right, up.
    public let actionCount = 4
    /// One state per tile: rows × columns.
    public var stateCount: Int { rowCount * columnCount }
    /// The agent's tile.
    public private(set) var state = 0

    /// Puts the agent on tile `state`, as setting Gymnasium's `env.unwrapped.s` does (lab-rl trace starts there).
    public mutating func place(at state: Int) {
        precondition((0..<stateCount).contains(state), "FrozenLake: state \(state) outside 0..<\(stateCount)")
        self.state = state
    }
    private let startStates: [Int]

    /// A lake from `map` (rows of S, F, H, G), slippery or not.
    public init(map: [String] = FrozenLake.map4x4, slippery: Bool = true, successRate: Double = 1.0 / 3.0) {
        let tiles: [[Character]] = map.map(Array.init)
        let columns = tiles.first?.count ?? 0, lastRow = tiles.count - 1
        precondition(!tiles.isEmpty && tiles.allSatisfy { $0.count == columns }, "FrozenLake: the map's rows must have one length")
        precondition(tiles.joined().allSatisfy { "SFHG".contains($0) }, "FrozenLake: map tiles are S, F, H or G")
        let starts = tiles.joined().enumerated().filter { $0.element == "S" }.map(\.offset)
        precondition(!starts.isEmpty, "FrozenLake: the map has no start tile S")
        rows = tiles
        rowCount = tiles.count
        columnCount = columns
        startStates = starts

        func move(_ row: Int, _ column: Int, _ action: Int) -> Outcome {
            var (r, c) = (row, column)
            switch Action(rawValue: action)! {
            case .left: c = max(c - 1, 0)
            case .down: r = min(r + 1, lastRow)
            case .right: c = min(c + 1, columns - 1)
            case .up: r = max(r - 1, 0)
            }
            let tile = tiles[r][c]
            return Outcome(probability: 1, nextState: r * columns + c, reward: tile == "G" ? 1 : 0, terminated: tile == "G" || tile == "H")
        }
        let sideRate = (1 - successRate) / 2
        var outcomes: [[[Outcome]]] = []
        for row in 0...lastRow {
            for column in 0..<columns {
                let here = row * columns + column
                outcomes.append((0..<4).map { action in
                    if tiles[row][column] == "G" || tiles[row][column] == "H" {
                        return [Outcome(probability: 1, nextState: here, reward: 0, terminated: true)]
                    }
                    if !slippery { return [move(row, column, action)] }
                    return [(action + 3) % 4, action, (action + 1) % 4].map { direction in
                        var outcome = move(row, column, direction)
                        outcome.probability = direction == action ? successRate : sideRate
                        return outcome
                    }
                })
            }
        }
        self.table = TransitionTable(outcomes)
        state = startStates[0]
    }

    /// FrozenLake-v1: the 4×4 map, slippery, 100 steps.
    public static func v1() -> TimeLimit<FrozenLake> { TimeLimit(FrozenLake(map: map4x4), maximumSteps: 100) }
    /// FrozenLake8x8-v1: the 8×8 map, slippery, 200 steps.
    public static func v1x8() -> TimeLimit<FrozenLake> { TimeLimit(FrozenLake(map: map8x8), maximumSteps: 200) }

    /// Puts the agent on the start tile (drawing one when the map has several S, else drawing nothing).
    public mutating func reset(using generator: inout RandomGenerator) -> Int {
        state = startStates[startStates.count == 1 ? 0 : generator.nextInt(below: startStates.count)]
        return state
    }

    /// Moves by `action` (an Action's raw value), drawing where the ice slips on a slippery lake: reward 1 on G,
    /// terminated on G or H.
    public mutating func step(_ action: Int, using generator: inout RandomGenerator) -> Step<Int> {
        table.step(from: &state, action, using: &generator, environment: "FrozenLake")
    }

    /// The tile letter of state `s`.
    public func tile(_ s: Int) -> Character { rows[s / columnCount][s % columnCount] }
}
