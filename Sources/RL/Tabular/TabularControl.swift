// Tabular temporal-difference control (Sutton and Barto, 2nd ed., §6.4–6.5):
// act ε-greedily on Q, and after each step move Q(s, a) toward a target,
//   Q(s, a) ← Q(s, a) + α (target − Q(s, a))
//   Q-learning (off-policy):  target = r + γ max_a′ Q(s′, a′)
//   SARSA (on-policy):        target = r + γ Q(s′, a′), a′ the action taken next
// with target = r when s′ is terminal. A truncated episode (the step limit)
// still bootstraps from s′: the state had a future, the clock stopped it.
// ε and α follow linear schedules over the episodes (LinearSchedule.swift).

import Tensor

/// Which TD target the learner uses.
public enum TDTarget: String, Sendable, CaseIterable {
    /// r + γ max_a′ Q(s′, a′).
    case qLearning = "q-learning"
    /// r + γ Q(s′, a′) for the a′ the ε-greedy policy then takes.
    case sarsa
}

/// The settings of a tabular run: W16's by default (lab-rl qlearning on FrozenLake8x8-v1).
public struct TabularSettings: Sendable {
    /// The training episodes: 200 000, as the slippery 8 × 8 lake pays only at its goal, which random play seldom reaches.
    public var episodes: Int
    /// γ, the discount: 0.99, so a shorter way to the goal is worth more.
    public var discount: Double
    /// ε of ε-greedy over the episodes: from 1 to 0.01 over the first half, then mostly greedy.
    public var epsilon: LinearSchedule
    /// α, the step size of the update: from 0.1 to 0.01 over all the episodes, so that late updates average over the
    /// lake's random slips rather than follow the last one.
    public var stepSize: LinearSchedule
    /// The TD target: Q-learning's max (the default) or SARSA's next action.
    public var target: TDTarget

    /// Settings from the defaults above, changed where given; `episodes` must be positive and `discount` in [0, 1].
    public init(episodes: Int = 200_000, discount: Double = 0.99,
                epsilon: LinearSchedule = LinearSchedule(from: 1, to: 0.01, over: 0.5),
                stepSize: LinearSchedule = LinearSchedule(from: 0.1, to: 0.01),
                target: TDTarget = .qLearning) {
        precondition(episodes > 0, "TabularSettings: episodes must be positive, got \(episodes)")
        precondition(discount >= 0 && discount <= 1, "TabularSettings: the discount must be in [0, 1], got \(discount)")
        self.episodes = episodes
        self.discount = discount
        self.epsilon = epsilon
        self.stepSize = stepSize
        self.target = target
    }
}

/// What a tabular run learned and how its episodes went.
public struct TabularRun: Sendable {
    /// The learned Q(s, a).
    public var q: QTable
    /// The undiscounted return of every training episode.
    public var returns: [Double]
    /// Environment steps taken in training.
    public var steps: Int
}

/// Q-learning and SARSA on a table.
public enum TabularControl {
    /// Learns Q on `environment` with `settings`, drawing actions and transitions from `seed`.
    public static func train<E: TabularEnvironment>(_ environment: E, settings: TabularSettings = TabularSettings(),
                                                    seed: UInt64) -> TabularRun {
        var env = environment
        var generator = RandomGenerator(seed: seed)
        var q = QTable(stateCount: env.stateCount, actionCount: env.actionCount)
        var returns = [Double](repeating: 0, count: settings.episodes)
        var steps = 0
        let actions = env.actionCount, gamma = settings.discount

        func act(_ state: Int, _ epsilon: Double) -> Int {
            generator.nextUniformDouble() < epsilon ? generator.nextInt(below: actions) : q.greedyAction(state)
        }
        for episode in 0..<settings.episodes {
            let epsilon = settings.epsilon.value(at: episode, of: settings.episodes)
            let alpha = settings.stepSize.value(at: episode, of: settings.episodes)
            var state = env.reset(using: &generator)
            var action = act(state, epsilon)
            var total = 0.0
            while true {
                let step = env.step(action, using: &generator)
                let next = step.observation
                steps += 1
                total += step.reward
                var nextAction = 0
                var target = step.reward
                switch settings.target {
                case .qLearning:
                    if !step.terminated { target += gamma * q.maximum(next) }
                case .sarsa:
                    nextAction = act(next, epsilon)
                    if !step.terminated { target += gamma * q[next, nextAction] }
                }
                q[state, action] += alpha * (target - q[state, action])
                if step.isDone { break }
                // Q-learning picks its next action after the update, which may have changed Q(s′, ·) when s′ = s.
                action = settings.target == .qLearning ? act(next, epsilon) : nextAction
                state = next
            }
            returns[episode] = total
        }
        return TabularRun(q: q, returns: returns, steps: steps)
    }
}
