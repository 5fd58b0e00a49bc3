// A table of action values Q(s, a), one row per state, stored flat
// (row-major) so that a step of tabular learning touches one short row.
// The greedy action is the first of the row's maxima, as NumPy's argmax.

/// Q(s, a) for a finite set of states and actions.
public struct QTable: Equatable, Sendable {
    /// The number of states, the table's rows.
    public let stateCount: Int
    /// The number of actions, the table's columns.
    public let actionCount: Int
    /// values[s · actionCount + a] = Q(s, a).
    public var values: [Double]

    /// A table with every Q(s, a) = `initialValue` (0 by default).
    public init(stateCount: Int, actionCount: Int, initialValue: Double = 0) {
        precondition(stateCount > 0 && actionCount > 0, "QTable: \(stateCount) states and \(actionCount) actions")
        self.stateCount = stateCount
        self.actionCount = actionCount
        values = Array(repeating: initialValue, count: stateCount * actionCount)
    }

    /// Q(state, action), to read or to write.
    public subscript(state: Int, action: Int) -> Double {
        get { values[state * actionCount + action] }
        set { values[state * actionCount + action] = newValue }
    }

    /// argmax_a Q(s, a), the first one on ties.
    public func greedyAction(_ state: Int) -> Int {
        let row = state * actionCount
        var best = 0, bestValue = values[row]
        for action in 1..<actionCount where values[row + action] > bestValue {
            best = action
            bestValue = values[row + action]
        }
        return best
    }

    /// max_a Q(s, a) = V(s) under the greedy policy.
    public func maximum(_ state: Int) -> Double { self[state, greedyAction(state)] }

    /// The greedy policy: one action per state.
    public var greedyPolicy: [Int] { (0..<stateCount).map(greedyAction) }

    /// V(s) = max_a Q(s, a) for every state.
    public var stateValues: [Double] { (0..<stateCount).map(maximum) }
}
