// Experience replay (Lin 1992; Mnih et al. 2015): the last `capacity`
// transitions (s, a, r, s′, terminated) in a ring, and minibatches drawn from
// it uniformly at random. Learning from a shuffled memory rather than from
// the latest steps breaks the correlation between consecutive samples, and
// lets each transition be used many times. When the ring is full the oldest
// transition is overwritten. Observations are kept flat, one row of
// `observationSize` floats per transition, so a minibatch is a few copies.

import Tensor

/// A minibatch of transitions, observations row by row.
public struct TransitionBatch: Sendable {
    /// s, one row of `observationSize` numbers per transition.
    public var observations: [Float]
    /// a, the action taken in s.
    public var actions: [Int]
    /// r, the reward that followed.
    public var rewards: [Float]
    /// s′, one row per transition, as `observations`.
    public var nextObservations: [Float]
    /// 1 where s′ ended the task (no bootstrap), 0 otherwise (including truncations).
    public var terminated: [Float]
    /// The number of transitions.
    public var count: Int { actions.count }
}

/// A ring of the last `capacity` transitions.
public struct ReplayBuffer: Sendable {
    /// The most transitions kept.
    public let capacity: Int
    /// The numbers in one observation.
    public let observationSize: Int
    private var observations: [Float], nextObservations: [Float]
    private var actions: [Int], rewards: [Float], terminated: [Float]
    private var next = 0
    /// How many transitions are stored (at most `capacity`).
    public private(set) var count = 0

    /// An empty ring for `capacity` transitions of observations of `observationSize` numbers.
    public init(capacity: Int, observationSize: Int) {
        precondition(capacity > 0 && observationSize > 0, "ReplayBuffer: capacity and observation size must be positive")
        self.capacity = capacity
        self.observationSize = observationSize
        observations = Array(repeating: 0, count: capacity * observationSize)
        nextObservations = observations
        actions = Array(repeating: 0, count: capacity)
        rewards = Array(repeating: 0, count: capacity)
        terminated = Array(repeating: 0, count: capacity)
    }

    /// Stores one transition, overwriting the oldest when full.
    public mutating func append(observation: [Float], action: Int, reward: Float, nextObservation: [Float], terminated ended: Bool) {
        precondition(observation.count == observationSize && nextObservation.count == observationSize,
                     "ReplayBuffer: observations must have \(observationSize) numbers")
        let row = next * observationSize
        observations.replaceSubrange(row..<(row + observationSize), with: observation)
        nextObservations.replaceSubrange(row..<(row + observationSize), with: nextObservation)
        actions[next] = action
        rewards[next] = reward
        terminated[next] = ended ? 1 : 0
        next = (next + 1) % capacity
        count = Swift.min(count + 1, capacity)
    }

    /// `size` transitions drawn uniformly, with replacement, from those stored.
    public func sample(_ size: Int, using generator: inout RandomGenerator) -> TransitionBatch {
        precondition(count > 0, "ReplayBuffer: nothing to sample yet")
        var batch = TransitionBatch(observations: [], actions: [], rewards: [], nextObservations: [], terminated: [])
        batch.observations.reserveCapacity(size * observationSize)
        batch.nextObservations.reserveCapacity(size * observationSize)
        for _ in 0..<size {
            let i = generator.nextInt(below: count), row = i * observationSize
            batch.observations += observations[row..<(row + observationSize)]
            batch.nextObservations += nextObservations[row..<(row + observationSize)]
            batch.actions.append(actions[i])
            batch.rewards.append(rewards[i])
            batch.terminated.append(terminated[i])
        }
        return batch
    }
}
