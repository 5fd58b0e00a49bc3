// A finite MDP written out as a table, P[s][a] = [(p, s′, r, terminated)]:
// Gymnasium's `P` of its toy-text environments (FrozenLake, CliffWalking).
// Stepping draws one outcome by its probability; dynamic programming
// (ValueIteration.swift) reads the table whole.

import Tensor

/// One outcome of taking an action in a state.
public struct Outcome: Equatable, Sendable {
    /// p, the chance of this outcome given the state and action.
    public var probability: Double
    /// s′, the state it leads to.
    public var nextState: Int
    /// r, the reward it earns.
    public var reward: Double
    /// Whether s′ ends the episode.
    public var terminated: Bool

    /// One (p, s′, r, terminated) entry of the table.
    public init(probability: Double, nextState: Int, reward: Double, terminated: Bool) {
        self.probability = probability
        self.nextState = nextState
        self.reward = reward
        self.terminated = terminated
    }
}

/// outcomes[s][a]: what action a in state s can lead to.
public struct TransitionTable: Sendable {
    /// outcomes[s][a], Gymnasium's `P`.
    public let outcomes: [[[Outcome]]]

    /// A table from its outcomes; the probabilities of each state and action must sum to 1.
    public init(_ outcomes: [[[Outcome]]]) {
        precondition(!outcomes.isEmpty, "TransitionTable: no states")
        for (s, row) in outcomes.enumerated() {
            for (a, list) in row.enumerated() {
                let total = list.reduce(0) { $0 + $1.probability }
                precondition(abs(total - 1) < 1e-9, "TransitionTable: the outcomes of state \(s), action \(a) sum to \(total)")
            }
        }
        self.outcomes = outcomes
    }

    /// The number of states, the table's rows.
    public var stateCount: Int { outcomes.count }

    /// One outcome of `action` in `state`, drawn by probability (the inverse of the cumulative sum).
    public func sample(_ state: Int, _ action: Int, using generator: inout RandomGenerator) -> Outcome {
        let list = outcomes[state][action]
        if list.count == 1 { return list[0] }
        var u = generator.nextUniformDouble()
        for outcome in list {
            if u < outcome.probability { return outcome }
            u -= outcome.probability
        }
        return list[list.count - 1]
    }
}

extension TransitionTable {
    /// One step of a table-driven environment: checks the action, draws the outcome, moves `state`.
    public func step(from state: inout Int, _ action: Int, using generator: inout RandomGenerator, environment: String) -> Step<Int> {
        precondition(outcomes[state].indices.contains(action),
                     "\(environment): action must be in 0..<\(outcomes[state].count), got \(action)")
        let outcome = sample(state, action, using: &generator)
        state = outcome.nextState
        return Step(observation: state, reward: outcome.reward, terminated: outcome.terminated)
    }
}

/// An environment whose dynamics are a known table (what value iteration needs).
public protocol KnownDynamics {
    /// P[s][a], every outcome of every action in every state.
    var table: TransitionTable { get }
}
