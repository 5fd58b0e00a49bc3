// A finite MDP written out as a table, P[s][a] = [(p, s′, r, terminated)]:
// Gymnasium's `P` of its toy-text environments (FrozenLake, CliffWalking).
// Stepping draws one outcome by its probability; dynamic programming
// (ValueIteration.swift) reads the table whole.

import Tensor

/// One outcome of taking an action in a state.
public struct Outcome: Equatable, Sendable {
    public var probability: Double
    public var nextState: Int
    public var reward: Double
    public var terminated: Bool

    public init(probability: Double, nextState: Int, reward: Double, terminated: Bool) {
        self.probability = probability
        self.nextState = nextState
        self.reward = reward
        self.terminated = terminated
    }
}

/// outcomes[s][a]: what action a in state s can lead to.
public struct TransitionTable: Sendable {
    public let outcomes: [[[Outcome]]]

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
    var table: TransitionTable { get }
}
