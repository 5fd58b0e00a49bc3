// N copies of an environment stepped together, as Gymnasium's SyncVectorEnv
// with same-step autoreset (CleanRL's setting): when a copy's episode ends,
// the step reports its reward, terminated and truncated flags and that
// episode's return and length, and the observation it returns is already the
// first one of the copy's next episode. Each copy draws from its own
// generator, seeded from one seed, so a run is the same however it is split.

import Tensor

/// An episode one of the copies just finished.
public struct FinishedEpisode: Equatable, Sendable {
    /// Which copy played it, 0..<count.
    public var copy: Int
    /// Its undiscounted return, the sum of its rewards.
    public var totalReward: Double
    /// Its number of steps.
    public var length: Int
}

/// N copies of `Base`, reset when they finish.
public struct VectorEnvironment<Base: Environment> {
    /// The copies, in order.
    public private(set) var copies: [Base]
    private var generators: [RandomGenerator]
    private var returns: [Double], lengths: [Int]
    /// The observation each copy is in now (after any autoreset).
    public private(set) var observations: [Base.Observation] = []

    /// `count` copies made by `make`, their generators seeded from `seed`.
    public init(count: Int, seed: UInt64, make: () -> Base) {
        precondition(count > 0, "VectorEnvironment: at least one copy")
        copies = (0..<count).map { _ in make() }
        var seeder = RandomGenerator(seed: seed)
        generators = (0..<count).map { _ in RandomGenerator(seed: seeder.next()) }
        returns = Array(repeating: 0, count: count)
        lengths = Array(repeating: 0, count: count)
    }

    /// N, the number of copies.
    public var count: Int { copies.count }
    /// The copies' action count (the first copy's).
    public var actionCount: Int { copies[0].actionCount }

    /// Resets every copy and returns their first observations.
    @discardableResult
    public mutating func reset() -> [Base.Observation] {
        observations = copies.indices.map { copies[$0].reset(using: &generators[$0]) }
        returns = Array(repeating: 0, count: count)
        lengths = Array(repeating: 0, count: count)
        return observations
    }

    /// Steps copy i with actions[i]; returns each copy's step (with its next episode's first
    /// observation where it finished) and the episodes that finished.
    public mutating func step(_ actions: [Int]) -> (steps: [Step<Base.Observation>], finished: [FinishedEpisode]) {
        precondition(actions.count == count, "VectorEnvironment: \(actions.count) actions for \(count) copies")
        precondition(observations.count == count, "VectorEnvironment: call reset() before step")
        var steps: [Step<Base.Observation>] = []
        steps.reserveCapacity(count)
        var finished: [FinishedEpisode] = []
        for i in 0..<count {
            var step = copies[i].step(actions[i], using: &generators[i])
            returns[i] += step.reward
            lengths[i] += 1
            if step.isDone {
                finished.append(FinishedEpisode(copy: i, totalReward: returns[i], length: lengths[i]))
                returns[i] = 0
                lengths[i] = 0
                step.observation = copies[i].reset(using: &generators[i])
            }
            observations[i] = step.observation
            steps.append(step)
        }
        return (steps, finished)
    }
}
