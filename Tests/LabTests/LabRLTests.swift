// lab-rl's command line: the trace mode's JSON lines (format, values, where
// it stops), bad input rejected with a message and a non-zero exit code, and
// the quick runs writing their reports and plots.
import ArgumentParser
import Foundation
import Testing
@testable import lab_rl
import LabKit
import RL
import Tensor

@Suite struct LabRLTests {
    static let badArguments: [[String]] = [
        ["trace", "--state", "0.1,0,0", "--actions", "0"],             // CartPole needs four numbers
        ["trace", "--state", "0,0,x,0", "--actions", "0"],             // not a number
        ["trace", "--state", "0,0,nan,0", "--actions", "0"],
        ["trace", "--state", "0,0,0,0", "--actions", "0,2"],           // CartPole has actions 0 and 1
        ["trace", "--state", "0,0,0,0"],                               // no actions
        ["trace", "--env", "frozenlake", "--state", "16", "--actions", "0"],   // 4×4 has states 0…15
        ["trace", "--env", "frozenlake", "--state", "1.5", "--actions", "0"],
        ["trace", "--env", "atari", "--state", "0", "--actions", "0"],
        ["ppo", "--max-steps", "0"], ["dqn", "--learning-rate", "-1"], ["ppo", "--method", "sarsa"],
        ["qlearning", "--env", "cartpole"], ["dqn", "--env", "frozenlake"], ["nosuchmode"], ["--bogus"],
    ]

    @Test(arguments: badArguments)
    func rejectsBadInput(_ arguments: [String]) throws {
        let result = try #require(rejection(LabRL.self, arguments))
        #expect(result.code != 0)
        #expect(result.message.hasPrefix("Error: "))
    }

    @Test("trace prints one JSON line per step, keys in order, the states CartPole goes through, and stops at termination")
    func cartPoleTrace() throws {
        let actions = Array(repeating: 1, count: 40)
        let request = try TraceRun.Request(environment: .cartpole, state: "0.01,0,0.02,0",
                                           actions: actions.map(String.init).joined(separator: ","))
        let lines = TraceRun(request: request, seed: 0).output().split(separator: "\n").map(String.init)
        var environment = CartPole.v1()
        environment.base.state = CartPoleState([0.01, 0, 0.02, 0])
        var generator = RandomGenerator(seed: 0)
        var expected: [Step<[Float]>] = []
        for action in actions {
            let step = environment.step(action, using: &generator)
            expected.append(step)
            if step.isDone { break }
        }
        #expect(expected.last!.terminated && expected.count < 40)   // pushing right the whole time tips the pole over
        #expect(lines.count == expected.count)
        for (t, (line, step)) in zip(lines, expected).enumerated() {
            #expect(line.hasPrefix("{\"t\": \(t + 1), \"state\": ["))
            let keys = ["\"t\"", "\"state\"", "\"reward\"", "\"terminated\"", "\"truncated\""].map { line.range(of: $0)!.lowerBound }
            #expect(keys == keys.sorted())
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let state = try #require(object["state"] as? [Double])
            #expect(state.map(Float.init) == step.observation)          // printed so that it reads back exactly
            #expect(object["reward"] as? Double == 1.0)
            #expect(object["terminated"] as? Bool == step.terminated && object["truncated"] as? Bool == false)
        }
    }

    @Test("trace on FrozenLake starts from the given tile; a hole ends the episode at once")
    func gridTrace() throws {
        let request = try TraceRun.Request(environment: .frozenlake, state: "5", actions: "0,1")
        #expect(TraceRun(request: request, seed: 0).output()
                == "{\"t\": 1, \"state\": 5, \"reward\": 0.0, \"terminated\": true, \"truncated\": false}\n")
    }

    @Test("The quick runs of qlearning and dqn write report.json with their metrics and their plots")
    func quickRuns() throws {
        for (mode, metric) in [("qlearning", "success_rate"), ("dqn", "steps_to_solve")] {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("lab-rl-test-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: out) }
            var lab = try LabRL.parseAsRoot([mode, "--quick", "--out", out.path])
            try lab.run()
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json"))) as? [String: Any]
            let metrics = try #require(report?["metrics"] as? [String: Any])
            #expect(report?["lab"] as? String == "rl" && report?["mode"] as? String == mode)
            #expect(metrics.keys.contains(metric))
            let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
            #expect(files.filter { $0.hasSuffix(".png") }.count >= 2)
        }
    }
}
