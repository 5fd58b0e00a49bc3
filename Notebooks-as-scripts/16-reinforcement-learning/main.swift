// Notebook 16: reinforcement learning: environments, dynamic programming, tabular TD control and policy gradients.
//
//   swift run -c release mllab notebook render 16-reinforcement-learning   (the page: Notebooks-as-scripts/rendered/16-reinforcement-learning.md)
//   swift run -c release notebook-16-reinforcement-learning                (just run it; add --quick for the small setting)
//
// Cells in the percent format: "// %% [markdown]" opens prose, "// %%" opens
// code whose first statement is cell("title"). Change a number and run again.
import Autograd
import Foundation
import LabKit
import NotebookKit
import RL
import Tensor

// %% [markdown]
// # Phase 16: reinforcement learning
//
// An agent acts in an environment. At each step t it sees an observation s_t,
// picks an action a_t, and the environment answers with a reward r_t and the
// next observation s_{t+1}. Nobody says which action was right: the agent has
// to find the actions that make the return large,
//
//     G_t = r_t + γ r_{t+1} + γ² r_{t+2} + …        (discount γ ∈ [0, 1])
//
// From dynamic programming on a known model, to tables of action values
// learned from experience, to neural policies trained by policy gradients.
// The environments follow Gymnasium's dynamics and every random draw takes a
// seed, so the page is the same on every machine.
//
// ## The agent–environment loop
// `reset()` returns s₀ and `step(a)` returns (s′, r, terminated, truncated).
// In CartPole-v1 a pole is hinged on a cart, and the agent pushes the cart
// left (0) or right (1). Every step earns +1. The episode is *terminated*
// when the pole leans past 12° or the cart leaves the track (|x| > 2.4 m),
// and *truncated* by the `TimeLimit` wrapper after 500 steps. The two are not
// the same for learning. After a terminated step the task is over and there
// is nothing more to earn, so a value target is just r. After a truncated step
// the state still had a future that the clock cut off, so the target is
// r + γ V(s′). A random policy loses the pole within a few dozen steps. A
// one-line rule, "push towards the side the pole is falling to" (right when
// θ + θ̇/2 > 0), keeps it up until the clock stops it. It never looks at the
// cart, though: watch x in its line (cell 7 comes back to it).

// %%
cell("1. CartPole: a random policy and a one-line rule")
let quick = Notebook.isQuick

/// Plays one CartPole-v1 episode with `policy`; returns every state it went through and its last step.
func playCartPole(seed: UInt64, policy: ([Float]) -> Int) -> (states: [CartPoleState], last: Step<[Float]>) {
    var environment = CartPole.v1()
    var generator = RandomGenerator(seed: seed)
    var observation = environment.reset(using: &generator)
    var states = [environment.base.state]
    while true {
        let step = environment.step(policy(observation), using: &generator)
        states.append(environment.base.state)
        observation = step.observation
        if step.isDone { return (states, step) }
    }
}

/// How an episode ended, in words.
func ending(_ episode: (states: [CartPoleState], last: Step<[Float]>)) -> String {
    let final = episode.states.last!
    let how = episode.last.truncated ? "truncated by the 500-step limit" : "terminated"
    return String(format: "%3d steps, %@ (θ = %+.1f°, x = %+.2f m)", episode.states.count - 1, how, final.theta * 180 / .pi, final.x)
}

var coin = RandomGenerator(seed: 100)
let randomEpisodes = (0..<5).map { episode in playCartPole(seed: UInt64(episode)) { _ in coin.nextInt(below: 2) } }
for (index, episode) in randomEpisodes.enumerated() { print("random policy, episode \(index):", ending(episode)) }
/// Push right when the pole leans or turns to the right: observation = (x, ẋ, θ, θ̇).
func leanRule(_ observation: [Float]) -> Int { observation[2] + 0.5 * observation[3] > 0 ? 1 : 0 }
let ruleEpisode = playCartPole(seed: 0, policy: leanRule)
print("lean rule,     episode 0:", ending(ruleEpisode))

/// A chart of one quantity of the state at every step, with the limits ±`limit` where an episode terminates.
func stateChart(_ title: String, yLabel: String, limit: Double, _ episodes: [(name: String, states: [CartPoleState])],
                value: (CartPoleState) -> Double) -> LineChart {
    var chart = LineChart(title: title, xLabel: "step", yLabel: yLabel)
    chart.showsMarkers = false
    for episode in episodes { chart.addSeries(episode.name, y: episode.states.map(value)) }
    let lastStep = Double(episodes.map(\.states.count).max()! - 1)
    chart.addSeries("limits", x: [0, lastStep], y: [limit, limit], color: .midGray)
    chart.addSeries("", x: [0, lastStep], y: [-limit, -limit], color: .midGray)
    chart.xAxis.range = 0...lastStep
    chart.yAxis.range = (-1.3 * limit)...(1.3 * limit)
    chart.width = 560
    return chart
}
let degrees = { (state: CartPoleState) in state.theta * 180 / .pi }
let randomChart = stateChart("Random policy", yLabel: "pole angle (degrees)", limit: 12,
                             randomEpisodes.prefix(3).enumerated().map { ("episode \($0.offset)", $0.element.states) }, value: degrees)
let ruleChart = stateChart("Lean rule", yLabel: "pole angle (degrees)", limit: 12, [("episode 0", ruleEpisode.states)], value: degrees)
try figure("cartpole_angles.png") { try Canvas.sideBySide([randomChart.render(), ruleChart.render()]).write(to: $0) }

// %% [markdown]
// ## Known dynamics: the Bellman optimality equation
// FrozenLake is a 4 × 4 grid: walk from S to the goal G over frozen tiles F
// without falling into a hole H. The ice is slippery: the intended move
// happens with probability 1/3, and each of the two moves at right angles to
// it also has probability 1/3. Reaching G pays 1; every other step pays 0.
// When the dynamics p(s′, r | s, a) are known as a table, the best possible
// values satisfy the Bellman optimality equation
//
//     V*(s) = max_a Q*(s, a),    Q*(s, a) = Σ_{s′} p(s′ | s, a) [r + γ V*(s′)]
//
// with V*(s′) = 0 after a terminal step. Value iteration turns the equation
// into an update: start from V = 0 and replace every V(s) by the right-hand
// side until nothing moves. The update is a contraction by γ, so it converges
// to V*. The greedy policy π*(s) = argmax_a Q*(s, a) is then optimal.
// `ValueIteration.optimalQ` updates V in place, state by state, which
// converges too. Below: one backup checked by hand at state 14 (the tile left
// of G), the greedy policy, V* on the grid (holes and goal, terminal, in
// grey), and how V(S) grows sweep by sweep.
// The greedy policy often pushes into a wall: then only the two side slips
// move the agent, and the wall is picked so that neither ends in a hole (on
// the tile below S, "←" can never slip right into the hole beside it).

// %%
cell("2. value iteration on FrozenLake")
let lake = FrozenLake()            // Gymnasium's 4 × 4 map, slippery
let gamma = 0.99
let optimalQ = ValueIteration.optimalQ(lake, discount: gamma)
let optimalValues = optimalQ.stateValues
let actionNames = ["left", "down", "right", "up"], arrows = ["←", "↓", "→", "↑"]
for action in 0..<lake.actionCount {
    let outcomes = lake.transitions[14][action]
    let byHand = outcomes.reduce(0.0) { total, outcome in
        total + outcome.probability * (outcome.reward + (outcome.terminated ? 0 : gamma * optimalValues[outcome.nextState]))
    }
    let destinations = outcomes.map { "\($0.nextState)\($0.reward > 0 ? " (G)" : "")" }.joined(separator: ", ")
    print(String(format: "state 14, %@ → {%@} each 1/3: Q by hand %.4f, library %.4f", actionNames[action], destinations,
                 byHand, optimalQ[14, action]))
}

print("\nthe map and the greedy action on it:")
for row in 0..<lake.rowCount {
    let states = (0..<lake.columnCount).map { row * lake.columnCount + $0 }
    let policy = states.map { "HG".contains(lake.tile($0)) ? String(lake.tile($0)) : arrows[optimalQ.greedyAction($0)] }
    print(String(lake.rows[row]), "   ", policy.joined(separator: " "))
}
let greedySuccess = ValueIteration.successProbability(lake, policy: optimalQ.greedyPolicy, horizon: 100)
let bestSuccess = ValueIteration.bestSuccessProbability(lake, horizon: 100)
print(String(format: "within FrozenLake-v1's 100 steps the greedy policy reaches G with probability %.4f (the best of any policy: %.4f)",
             greedySuccess, bestSuccess))

// The holes and the goal are terminal (V = 0): drawn blank, so the colours span the tiles where there is a choice.
let valueGrid = (0..<lake.rowCount).map { row in
    (0..<lake.columnCount).map { column -> Double in
        let s = row * lake.columnCount + column
        return "HG".contains(lake.tile(s)) ? .nan : optimalValues[s]
    }
}
var valueMap = Heatmap(valueGrid, title: "V*(s) on FrozenLake 4x4, gamma 0.99", xLabel: "column", yLabel: "row of the map")
valueMap.rowLabels = lake.rows.map { String($0) }
valueMap.showsValues = true
valueMap.valueFormatter = { $0.isNaN ? "" : String(format: "%.3f", $0) }
valueMap.width = 560
valueMap.height = 500
let sweeps = Array(1...150)
let startValueBySweep = sweeps.map { ValueIteration.optimalQ(lake, discount: gamma, maximumSweeps: $0).maximum(0) }
print(String(format: "V(S) after 10, 50 and 150 sweeps: %.4f, %.4f, %.4f; V*(S) = %.4f",
             startValueBySweep[9], startValueBySweep[49], startValueBySweep[149], optimalValues[0]))
var sweepChart = LineChart(title: "Value iteration: V(S) after each sweep", xLabel: "sweep", yLabel: "V(S)")
sweepChart.addSeries("V(S)", x: sweeps.map(Double.init), y: startValueBySweep)
sweepChart.addSeries("V*(S)", x: [1, 150], y: [optimalValues[0], optimalValues[0]], color: .midGray)
sweepChart.showsMarkers = false
sweepChart.legendPlacement = .bottomRight
sweepChart.width = 560
try figure("frozenlake_values.png") { try Canvas.sideBySide([valueMap.render(), sweepChart.render()]).write(to: $0) }

// %% [markdown]
// ## Learning without the model: Q-learning
// A learner is not given the table. It only sees transitions (s, a, r, s′).
// Q-learning keeps a table of action values and, after every step, moves one
// entry towards a sampled Bellman target:
//
//     Q(s, a) ← Q(s, a) + α (r + γ max_a′ Q(s′, a′) − Q(s, a))     (target r alone when s′ is terminal)
//
// To see every state it acts ε-greedily: a random action with probability
// ε, the greedy one otherwise. `TabularSettings` uses these schedules by
// default: ε falls from 1 to 0.01 over the first half of the episodes, and α
// from 0.1 to 0.01. The learner never reads the table, but we can: it tells
// us exactly how good the learned greedy policy is. Where its action differs
// from π*'s, look at Q*: on tile 6, "←" and "→" are exactly as good, as each
// risks one of the two holes beside it. The learned V(S) ends a little above
// V*(S): the max over noisy estimates is biased upwards (maximisation bias,
// Sutton and Barto §6.7, which Double Q-learning removes).

// %%
cell("3. Q-learning on FrozenLake")
let lakeEpisodes = quick ? 20_000 : 100_000
let lakeRun = TabularControl.train(FrozenLake.v1(), settings: TabularSettings(episodes: lakeEpisodes, discount: gamma), seed: 0)
let choiceStates = (0..<lake.stateCount).filter { "SF".contains(lake.tile($0)) }
let sameChoice = choiceStates.filter { lakeRun.q.greedyAction($0) == optimalQ.greedyAction($0) }.count
let optimalChoice = choiceStates.filter { abs(optimalQ[$0, lakeRun.q.greedyAction($0)] - optimalValues[$0]) < 1e-9 }.count
let learnedSuccess = ValueIteration.successProbability(lake, policy: lakeRun.q.greedyPolicy, horizon: 100)
print(String(format: "%d episodes: %.1f%% of the first 1000 (ε near 1) and %.1f%% of the last 1000 (ε = 0.01) reached G",
             lakeEpisodes, lakeRun.returns.prefix(1000).reduce(0, +) / 10, lakeRun.returns.suffix(1000).reduce(0, +) / 10))
print(String(format: "V(S): learned %.3f, V* %.3f", lakeRun.q.maximum(0), optimalValues[0]))
print("of the \(choiceStates.count) tiles where there is a choice, the learned greedy action is π*'s on \(sameChoice)"
    + " and has Q*(s, a) = V*(s) on \(optimalChoice)")
print(String(format: "the learned greedy policy reaches G within 100 steps with probability %.4f (π*: %.4f)",
             learnedSuccess, greedySuccess))

// %% [markdown]
// ## On-policy and off-policy: Q-learning and SARSA on the cliff
// CliffWalking (Sutton and Barto, Example 6.6) is a 4 × 12 grid. S and G are
// the bottom corners and the ten tiles between them are a cliff. Every step
// costs −1. Stepping onto the cliff costs −100 and sends the agent back to S.
// SARSA differs from Q-learning only in its target:
//
//     SARSA:       r + γ Q(s′, a′)           a′ the action the ε-greedy policy then takes
//     Q-learning:  r + γ max_a′ Q(s′, a′)
//
// SARSA learns the values of the policy it follows, random steps included,
// so a tile next to the cliff looks costly: with ε = 0.1 one step in ten is
// random, and one random step in four from the edge is a −100. It learns a
// safer path further up. Q-learning learns the values of the
// greedy policy whatever it does while exploring, so it finds the shortest
// path along the edge (13 steps, return −13). But with ε = 0.1 it falls off
// that edge now and then while training, so its training returns are worse.
// The settings are the book's: γ = 1, ε = 0.1, α = 0.5, 500 episodes. The
// curves average 50 seeded runs (5 in the quick setting), smoothed over 10
// episodes; the paths are those of the first run.

// %%
cell("4. Q-learning and SARSA on CliffWalking")
let cliffRuns = quick ? 5 : 50, cliffEpisodes = 500

/// The mean of the last `window` values at every index (fewer at the start).
func trailingMean(_ values: [Double], window: Int) -> [Double] {
    values.indices.map { index in
        let recent = values[max(0, index - window + 1)...index]
        return recent.reduce(0, +) / Double(recent.count)
    }
}

/// The tiles the greedy policy of `q` visits from S (at most 100 steps).
func greedyPath(_ q: QTable) -> [Int] {
    var environment = TimeLimit(CliffWalking(), maximumSteps: 100)
    var generator = RandomGenerator(seed: 0)
    var state = environment.reset(using: &generator)
    var path = [state]
    while true {
        let step = environment.step(q.greedyAction(state), using: &generator)
        state = step.observation
        path.append(state)
        if step.isDone { return path }
    }
}

/// The grid as text: S and G, C for the cliff, o for a tile on the path, a dot elsewhere.
func drawnPath(_ path: [Int]) -> String {
    (0..<CliffWalking.rowCount).map { row in
        (0..<CliffWalking.columnCount).map { column -> String in
            let s = row * CliffWalking.columnCount + column
            if s == CliffWalking.start { return "S" }
            if s == CliffWalking.goal { return "G" }
            if CliffWalking.isCliff(s) { return "C" }
            return path.contains(s) ? "o" : "."
        }.joined(separator: " ")
    }.joined(separator: "\n")
}

var cliffChart = LineChart(title: "CliffWalking: training returns (mean of \(cliffRuns) runs)", xLabel: "episode",
                           yLabel: "return (last 10 episodes)")
for target in [TDTarget.sarsa, .qLearning] {
    let settings = TabularSettings(episodes: cliffEpisodes, discount: 1, epsilon: .constant(0.1), stepSize: .constant(0.5), target: target)
    let runs = (0..<cliffRuns).map { TabularControl.train(CliffWalking(), settings: settings, seed: UInt64($0)) }
    let meanReturns = (0..<cliffEpisodes).map { episode in runs.map { $0.returns[episode] }.reduce(0, +) / Double(cliffRuns) }
    let name = target == .sarsa ? "SARSA" : "Q-learning"
    cliffChart.addSeries(name, y: trailingMean(meanReturns, window: 10), firstX: 1)
    let path = greedyPath(runs[0].q)
    print(String(format: "%@: mean training return over the last 100 episodes %.1f; the greedy path of run 0 takes %d steps:",
                 name, meanReturns.suffix(100).reduce(0, +) / 100, path.count - 1))
    print(drawnPath(path), "\n")
}
cliffChart.showsMarkers = false
cliffChart.yAxis.range = -100...0
cliffChart.legendPlacement = .bottomRight
try figure("cliff_returns.png") { try cliffChart.write(to: $0) }

// %% [markdown]
// ## From values to policies: advantages and GAE
// A policy gradient method trains a policy π_θ(a | s) directly:
// ∇J(θ) = E[∇ log π_θ(a_t | s_t) · A_t]. Here A_t, the advantage, says how
// much better a_t did than the policy usually does in s_t. With a learned
// value V there are two classic estimates. The one-step TD error
// δ_t = r_t + γ V(s_{t+1}) − V(s_t) has little variance but inherits V's
// errors. The Monte Carlo G_t − V(s_t) is unbiased but noisy. Generalised
// advantage estimation blends them with λ ∈ [0, 1],
//
//     A_t = δ_t + γλ (1 − done_t) A_{t+1}     (= Σ_k (γλ)^k δ_{t+k} inside one episode),     R_t = A_t + V(s_t)
//
// computed backwards from the end of the rollout, where V of the next
// observation bootstraps. λ = 0 gives δ_t, and λ = 1 gives G_t − V(s_t).
// The critic is trained towards R_t. Three steps by hand, with γ = 0.9 and
// λ = 0.8: rewards 1, 0, 2, values 0.5, 1.0, 1.5, and V = 1.2 after the last
// step. Then the same numbers with an episode that ends at step 1: there δ₁
// does not bootstrap, and A₂ (which belongs to the next episode) is not
// passed back. This is exercise `gae`.

// %%
cell("5. GAE by hand on three steps")
let rewards: [Float] = [1, 0, 2], values: [Float] = [0.5, 1.0, 1.5], lastValue: Float = 1.2
let discount: Float = 0.9, lambda: Float = 0.8
let delta2 = rewards[2] + discount * lastValue - values[2]
let delta1 = rewards[1] + discount * values[2] - values[1]
let delta0 = rewards[0] + discount * values[1] - values[0]
let advantage2 = delta2
let advantage1 = delta1 + discount * lambda * advantage2
let advantage0 = delta0 + discount * lambda * advantage1
let byHand = [advantage0, advantage1, advantage2]

/// The library's GAE on this one-environment, three-step rollout.
func libraryGAE(dones: [Bool], lambda: Float) -> AdvantageEstimates {
    AdvantageEstimation.generalized(rewards: rewards, values: values, dones: dones, lastValues: [lastValue],
                                    steps: 3, envs: 1, discount: discount, lambda: lambda)
}
let noEnd = libraryGAE(dones: [false, false, false], lambda: lambda)
print("t   δ_t by hand   A_t by hand   A_t library   R_t = A_t + V(s_t)")
for t in 0..<3 {
    print(String(format: "%d   %11.4f   %11.4f   %11.4f   %8.4f", t, [delta0, delta1, delta2][t], byHand[t], noEnd.advantages[t], noEnd.returns[t]))
}

// The episode ends at step 1: δ₁ = r₁ − V(s₁), A₁ = δ₁, and A₀ = δ₀ + γλ A₁.
let endedAdvantage1 = rewards[1] - values[1]
let endedAdvantage0 = delta0 + discount * lambda * endedAdvantage1
let ended = libraryGAE(dones: [false, true, false], lambda: lambda)
print(String(format: "\nepisode ends at step 1: A by hand (%.4f, %.4f, %.4f), library (%.4f, %.4f, %.4f)",
             endedAdvantage0, endedAdvantage1, advantage2, ended.advantages[0], ended.advantages[1], ended.advantages[2]))

// The two ends of λ: one-step TD errors, and Monte Carlo returns minus V.
let monteCarlo2 = rewards[2] + discount * lastValue
let monteCarlo1 = rewards[1] + discount * monteCarlo2
let monteCarlo0 = rewards[0] + discount * monteCarlo1
let format = { (numbers: [Float]) in numbers.map { String(format: "%.4f", $0) }.joined(separator: ", ") }
print("λ = 0: library (\(format(libraryGAE(dones: [false, false, false], lambda: 0).advantages))), δ by hand (\(format([delta0, delta1, delta2])))")
print("λ = 1: library (\(format(libraryGAE(dones: [false, false, false], lambda: 1).advantages))), "
    + "G − V by hand (\(format([monteCarlo0 - values[0], monteCarlo1 - values[1], monteCarlo2 - values[2]])))")

// %% [markdown]
// ## PPO's clipped surrogate
// PPO collects a rollout with π_old and then takes several gradient steps on
// it. Each step's new policy π_θ weights a sample by the ratio
// ρ = π_θ(a | s) / π_old(a | s). The surrogate ρ Â has the policy gradient's
// gradient at ρ = 1, but nothing stops it from pushing ρ far from 1, and
// then the old samples say little about the new policy. PPO clips it:
//
//     L_clip = −mean_i min(ρ_i Â_i, clip(ρ_i, 1 − ε, 1 + ε) Â_i)
//
// The min keeps the more pessimistic term. Take ρ past 1 + ε with Â > 0, or
// below 1 − ε with Â < 0. That move already went the way the advantage asks
// for, so the clipped term is the smaller one, it is flat in ρ, and the
// sample's gradient is 0. A move the wrong way keeps the unclipped term and
// its gradient, so it can be undone. Five samples by hand with ε = 0.2,
// against the library's loss and its gradient with respect to log π (by the
// chain rule, ∂L/∂log π_i = ρ_i ∂L/∂ρ_i = −ρ_i Â_i / n where the term is not
// flat). This is exercise `clipped-surrogate`.

// %%
cell("6. the clipped surrogate by hand")
let clip: Float = 0.2
let samples: [(ratio: Float, advantage: Float)] = [(1.1, 1), (1.5, 1), (0.5, 1), (1.5, -1), (0.5, -1)]
let n = Float(samples.count)
let logRatios = Variable(Tensor(shape: [samples.count], scalars: samples.map { Foundation.log($0.ratio) }), requiresGrad: true)
let surrogate = ClippedSurrogate.loss(logProbabilities: logRatios, oldLogProbabilities: [Float](repeating: 0, count: samples.count),
                                      advantages: samples.map(\.advantage), clip: clip)
surrogate.loss.backward()
let libraryGradient = logRatios.grad!.scalars
var lossByHand: Float = 0
print("   ρ     Â    ρÂ      clip(ρ)Â   min     ∂L/∂log π by hand   library")
for (i, sample) in samples.enumerated() {
    let unclipped = sample.ratio * sample.advantage
    let clipped = min(max(sample.ratio, 1 - clip), 1 + clip) * sample.advantage
    let kept = min(unclipped, clipped)
    lossByHand -= kept / n
    let isFlat = (sample.advantage > 0 && sample.ratio > 1 + clip) || (sample.advantage < 0 && sample.ratio < 1 - clip)
    let gradientByHand = isFlat ? 0 : -sample.ratio * sample.advantage / n
    print(String(format: "%5.2f  %+4.0f  %+6.2f  %+8.2f   %+6.2f  %+14.4f   %+9.4f", sample.ratio, sample.advantage, unclipped, clipped, kept,
                 gradientByHand, libraryGradient[i]))
}
print(String(format: "L_clip: by hand %.4f, library %.4f", lossByHand, surrogate.loss.value.item))

/// The per-sample objective min(ρÂ, clip(ρ)Â) for one sample, from the library (minus its loss).
func clippedObjective(ratio: Float, advantage: Float) -> Double {
    let one = ClippedSurrogate.loss(logProbabilities: Variable(Tensor([Foundation.log(ratio)])), oldLogProbabilities: [0],
                                    advantages: [advantage], clip: clip)
    return Double(-one.loss.value.item)
}
let ratios = (1...100).map { Float($0) / 50 }
var surrogateChart = LineChart(title: "One sample's clipped objective, eps = 0.2", xLabel: "ratio rho = pi / pi_old",
                               yLabel: "min(rho A, clip(rho) A)")
surrogateChart.addSeries("A = +1", x: ratios, y: ratios.map { clippedObjective(ratio: $0, advantage: 1) })
surrogateChart.addSeries("A = −1", x: ratios, y: ratios.map { clippedObjective(ratio: $0, advantage: -1) })
surrogateChart.addSeries("1 ± eps", x: [0.8, 0.8], y: [-2, 2], color: .midGray)
surrogateChart.addSeries("", x: [1.2, 1.2], y: [-2, 2], color: .midGray)
surrogateChart.showsMarkers = false
try figure("clipped_surrogate.png") { try surrogateChart.write(to: $0) }

// %% [markdown]
// ## PPO on CartPole
// PPO repeats three stages. First a rollout: N copies of the environment
// (`VectorEnvironment`) run T steps with the current policy. Then GAE turns
// the rollout into advantages and returns. Last, E epochs over the N·T
// samples in shuffled minibatches, each one Adam step on
//
//     L = L_clip − c_H · mean H(π(· | s)) + c_V · L_V
//
// where the entropy bonus keeps the policy exploring and L_V fits the critic
// to R_t. Network and settings are CleanRL's: two 64-64 tanh MLPs, 4 copies ×
// 128 steps, 4 epochs of 4 minibatches, γ = 0.99, λ = 0.95, ε = 0.2, Adam at
// 2.5e-4 falling linearly to 0. The run stops when the last 20 episodes
// average 475 or more (CartPole-v1 is "solved"). Two numbers show the health
// of each update. The approximate KL, mean((ρ − 1) − log ρ), measures how far
// the policy moved. The clip fraction is the share of samples with
// |ρ − 1| > ε. At this learning rate the updates are small: the KL stays
// around 1e-3 or below and almost no sample reaches the clip. The curve shows
// the *sampled* policy; acting greedily (argmax π) usually does better. On the
// right, the lean rule of cell 1 lets the cart drift 1.5 m of the 2.4 m in 500
// steps, while PPO's greedy policy keeps it near the centre.

// %%
cell("7. PPO on CartPole-v1")
var ppoSettings = PPOSettings()
ppoSettings.totalSteps = quick ? 60_000 : 500_000
ppoSettings.solveThreshold = 475
let ppo = PPO(settings: ppoSettings, seed: 0) { CartPole.v1() }
for _ in 0..<ppoSettings.iterations {
    guard let iteration = try ppo.iterate() else { break }
    if iteration.iteration % 40 == 0 {      // every 40 × 512 = 20 480 steps
        print(String(format: "step %6d: %4d episodes, mean of the last 20 %5.1f, approx. KL %.1e, clip fraction %.2f%%, entropy %.3f",
                     iteration.environmentSteps, ppo.episodes.count, ppo.recentMeanReturn() ?? 0, iteration.approximateKL,
                     100 * iteration.clipFraction, iteration.entropy))
    }
}
if let solvedStep = ppo.solvedAtStep {
    print("solved at environment step \(solvedStep), after \(ppo.episodes.count) episodes")
} else {
    print(String(format: "not solved within %d steps: the mean of the last 20 episodes is %.1f", ppoSettings.totalSteps, ppo.recentMeanReturn() ?? 0))
}
let greedyEvaluation = PolicyEvaluation.successRate(CartPole.v1(), episodes: 20, seed: 1_000, policy: ppo.greedyAction)
print(String(format: "the greedy policy (argmax π) over 20 new episodes: mean return %.1f", greedyEvaluation.meanReturn))

/// The environment steps used up to the end of each episode: CartPole pays 1 per step, so the returns add up to them.
func stepsAtEpisodeEnds(_ returns: [Double]) -> [Double] {
    var stepsSoFar = 0.0
    return returns.map { episodeReturn in
        stepsSoFar += episodeReturn
        return stepsSoFar
    }
}
let ppoReturns = ppo.episodes.map(\.totalReward)
var ppoChart = LineChart(title: "PPO on CartPole-v1, seed 0", xLabel: "environment steps", yLabel: "return")
ppoChart.addSeries("each episode", x: stepsAtEpisodeEnds(ppoReturns), y: ppoReturns, color: RGBColor(gray: 200))
ppoChart.addSeries("mean of the last 20", x: stepsAtEpisodeEnds(ppoReturns), y: trailingMean(ppoReturns, window: 20))
ppoChart.showsMarkers = false
ppoChart.legendPlacement = .topLeft
ppoChart.width = 560
let greedyEpisode = playCartPole(seed: 1, policy: ppo.greedyAction)
print("PPO's greedy policy, one episode:", ending(greedyEpisode))
let positionChart = stateChart("Cart position: lean rule and PPO", yLabel: "cart position x (m)", limit: CartPole.positionLimit,
                               [("lean rule", ruleEpisode.states), ("PPO greedy", greedyEpisode.states)], value: \.x)
try figure("ppo_cartpole.png") { try Canvas.sideBySide([ppoChart.render(), positionChart.render()]).write(to: $0) }

// %% [markdown]
// ## What to try next
// - The lab runs every algorithm of the phase at full size and draws what
//   they learned: `swift run -c release lab-rl qlearning` (FrozenLake 8 × 8,
//   or `--env cliffwalking --method sarsa`), `lab-rl dqn` (a Q-network with a
//   replay buffer and a target network), `lab-rl reinforce` and `lab-rl ppo`
//   on CartPole-v1; add `--quick` for a few seconds, `--help` for the options.
// - Train `REINFORCE(CartPole.v1(), seed: 0)` (the plain policy gradient, one
//   `train()` per 8 episodes) on cell 7's budget and draw both curves: it
//   uses each sample once and needs about twice PPO's steps.
// - Change a number and run again: γ = 0.9 in cell 2 (how do V* and the
//   arrows change?), a constant ε or α in cell 3, ε = 0.01 in cell 4 (does
//   SARSA's path come closer to the cliff?), λ in cell 5, and
//   `ppoSettings.learningRate = 1e-3` in cell 7 (watch the clip fraction
//   rise to a few per cent).
// - `swift test -c release --filter RLTests` runs the module's tests:
//   Gymnasium parity of the environments, tabular learning, GAE, DQN, and PPO
//   and REINFORCE solving CartPole.
// - The exercises of this phase, the regions between `// BEGIN EXERCISE` and
//   `// END EXERCISE`: `gae` in `Sources/RL/PolicyGradient/AdvantageEstimation.swift`
//   and `clipped-surrogate` in `Sources/RL/PolicyGradient/ClippedSurrogate.swift`
//   (cells 5 and 6 are worked examples to check them against). Write them in
//   the student edition (`swift run -c release mllab student-edition ../mllab-student`)
//   and grade them with `swift run -c release mllab grade --phase 16`.
