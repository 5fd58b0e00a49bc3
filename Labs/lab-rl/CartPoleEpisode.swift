// One episode of CartPole-v1 played by a fixed policy, with every state kept
// for drawing: s_0 from a seeded reset, then s_{t+1} = step(s_t, π(s_t))
// until the pole falls, the cart leaves the track, or the 500-step limit.
// A greedy policy picks the action the learner rates highest, with no
// exploration: argmax_a of the policy's logits (REINFORCE, PPO) or of Q(s, a)
// (DQN); a softmax keeps the order, so the largest logit is also the most
// probable action.
import RL
import Tensor

/// A played CartPole-v1 episode.
struct CartPoleEpisode {
    /// s_0 … s_T: the first state and the state after every step.
    var states: [CartPoleState]
    /// The action taken in each state but the last.
    var actions: [Int]
    var totalReward: Double
    /// The pole fell or the cart left the track (rather than the step limit cutting the episode off).
    var terminated: Bool

    /// Steps played.
    var length: Int { actions.count }

    /// Plays one episode from the reset drawn with `seed`, choosing actions with `policy`.
    static func play(seed: UInt64, policy: ([Float]) -> Int) -> CartPoleEpisode {
        var environment = CartPole.v1()
        var generator = RandomGenerator(seed: seed)
        var observation = environment.reset(using: &generator)
        var episode = CartPoleEpisode(states: [environment.base.state], actions: [], totalReward: 0, terminated: false)
        while true {
            let action = policy(observation)
            let step = environment.step(action, using: &generator)
            episode.actions.append(action)
            episode.states.append(environment.base.state)
            episode.totalReward += step.reward
            observation = step.observation
            if step.isDone {
                episode.terminated = step.terminated
                return episode
            }
        }
    }

    /// The index of the largest score (the first on ties, as NumPy's argmax): a greedy action.
    static func argmax(_ scores: [Float]) -> Int {
        var best = 0
        for i in scores.indices where scores[i] > scores[best] { best = i }
        return best
    }
}
