// lab-rl: phase 16, reinforcement learning on Gymnasium's classic tasks.
//
//   swift run -c release lab-rl [qlearning|dqn|reinforce|ppo|trace] [options]
//
//   qlearning  tabular Q-learning (or SARSA, --method sarsa) on a grid world:
//              FrozenLake8x8-v1 by default (W16's 200 000 episodes), FrozenLake-v1
//              or CliffWalking-v1; the greedy policy's success rate over many
//              episodes, its exact success probability and the best possible one
//              (value iteration), the return curve and a picture of V(s) with
//              the greedy action in every cell
//   dqn        DQN (CleanRL's settings: replay buffer, target network) on
//              CartPole-v1, until the mean return of the last 20 episodes
//              reaches 475 or --max-steps run out; also the TD loss and ε
//   reinforce  REINFORCE with a value baseline on CartPole-v1, the same stopping rule
//   ppo        PPO (CleanRL's settings) on CartPole-v1, the same stopping rule;
//              also the per-iteration diagnostics (approximate KL, clip
//              fraction, entropy)
//   trace      puts one environment in a given state, applies the given
//              actions and prints one JSON line per step on standard output
//              (nothing else), to compare our dynamics with Gymnasium's
// Every CartPole mode ends the same way (CartPoleOutcome.swift): the return
// curve, the steps to solve, and one greedy episode drawn as a strip of frames.
// All modes but trace write PNG plots and report.json into --out (default
// lab-output/rl).
import ArgumentParser
import Foundation
import LabKit
import RL

@main
struct LabRL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab-rl",
        abstract: "Phase 16: tabular Q-learning and SARSA, DQN, REINFORCE and PPO on Gymnasium's classic tasks, and a step tracer.")

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case qlearning, dqn, reinforce, ppo, trace
    }

    /// The tabular learner's TD target.
    enum Method: String, ExpressibleByArgument, CaseIterable {
        case qlearning, sarsa
        var target: TDTarget { self == .qlearning ? .qLearning : .sarsa }
        var title: String { self == .qlearning ? "Q-learning" : "SARSA" }
    }

    @Argument(help: "What to do: \(Mode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var mode: Mode = .ppo

    @OptionGroup var common: LabOptions

    @Option(help: ArgumentHelp(
        "The environment: \(EnvironmentName.allCases.map(\.rawValue).joined(separator: ", ")).",
        discussion: "qlearning: frozenlake, frozenlake8x8 (default) or cliffwalking. trace: any (default cartpole). dqn, reinforce and ppo run on cartpole only."))
    var env: EnvironmentName?

    @Option(help: "qlearning: the TD target, qlearning (r + γ max Q(s′, ·)) or sarsa (r + γ Q(s′, a′)).")
    var method: Method?

    @Option(help: "qlearning: training episodes (default FrozenLake 200000, --quick 20000; CliffWalking 3000, --quick 500).")
    var episodes: Int?

    @Option(help: "qlearning on FrozenLake: episodes of the greedy policy to measure its success rate (default 10000; --quick 2000).")
    var evalEpisodes: Int?

    @Option(help: "dqn/reinforce/ppo: the budget of environment steps (default dqn 500000, reinforce 1000000, ppo 500000; --quick dqn 20000, others 20480).")
    var maxSteps: Int?

    @Option(help: "dqn/reinforce/ppo: Adam's learning rate (default dqn 2.5e-4, reinforce 1e-3, ppo 2.5e-4 annealed to 0).")
    var learningRate: Float?

    @Option(help: "dqn/reinforce/ppo: frames of the greedy episode drawn in the strip.")
    var frames: Int = 10

    @Option(parsing: .unconditional, help: "trace: the starting state, comma-separated: cartpole x,x_dot,theta,theta_dot; mountaincar position,velocity; a grid world one state number (printed as an integer).")
    var state: String?

    @Option(parsing: .unconditional, help: "trace: the actions to apply, comma-separated integers (the trace stops early when the episode ends).")
    var actions: String?

    func validate() throws {
        for (name, value) in [("--episodes", episodes), ("--eval-episodes", evalEpisodes), ("--max-steps", maxSteps)] {
            if let value, value < 1 { throw ValidationError("\(name) must be at least 1, got \(value)") }
        }
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
            throw ValidationError("--learning-rate must be a positive number, got \(learningRate)")
        }
        if frames < 2 { throw ValidationError("--frames must be at least 2, got \(frames)") }

        func only(_ modes: [Mode], _ options: [(String, Bool)]) throws {
            guard !modes.contains(mode) else { return }
            for (name, given) in options where given {
                throw ValidationError("\(name) applies to \(modes.map(\.rawValue).joined(separator: " and ")), not to \(mode.rawValue)")
            }
        }
        try only([.qlearning], [("--method", method != nil), ("--episodes", episodes != nil), ("--eval-episodes", evalEpisodes != nil)])
        try only([.dqn, .reinforce, .ppo], [("--max-steps", maxSteps != nil), ("--learning-rate", learningRate != nil)])
        try only([.trace], [("--state", state != nil), ("--actions", actions != nil)])

        switch mode {
        case .qlearning:
            if let env, !env.isGridWorld {
                throw ValidationError("qlearning runs on frozenlake, frozenlake8x8 or cliffwalking, not \(env.rawValue)")
            }
            if env == .cliffwalking, evalEpisodes != nil {
                throw ValidationError("--eval-episodes applies to FrozenLake; CliffWalking's greedy policy is walked once (it is deterministic)")
            }
        case .dqn, .reinforce, .ppo:
            if let env, env != .cartpole { throw ValidationError("\(mode.rawValue) runs on cartpole only, not \(env.rawValue)") }
            if mode == .ppo, let maxSteps, maxSteps < PPORun.batchSize {
                throw ValidationError("--max-steps must be at least one PPO rollout, \(PPORun.batchSize) steps, got \(maxSteps)")
            }
        case .trace:
            _ = try TraceRun.Request(environment: env ?? .cartpole, state: state, actions: actions)
        }
    }

    func run() throws {
        if mode == .trace {
            // Standard output carries the JSON lines and nothing else: no report, no log lines.
            try TraceRun(request: TraceRun.Request(environment: env ?? .cartpole, state: state, actions: actions),
                         seed: common.seed).run()
            return
        }
        common.applyThreads()
        let start = Stopwatch.now()
        let out = try common.outputDirectory(lab: "rl")
        let settings = TourSettings(seed: common.seed, quick: common.quick, out: out)
        var report = JSONReport(lab: "rl", mode: mode.rawValue, seed: common.seed)
        var files: [String] = []
        switch mode {
        case .qlearning: try QLearningRun(lab: self, settings: settings).run(report: &report, files: &files)
        case .dqn: try DQNRun(lab: self, settings: settings).run(report: &report, files: &files)
        case .reinforce: try REINFORCERun(lab: self, settings: settings).run(report: &report, files: &files)
        case .ppo: try PPORun(lab: self, settings: settings).run(report: &report, files: &files)
        case .trace: break
        }
        try report.finish(in: out, startedAt: start, files: files)
    }
}
