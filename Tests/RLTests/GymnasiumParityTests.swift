// CartPole and FrozenLake against Gymnasium itself: the reference traces and
// transition tables in Tests/Fixtures/gymnasium_environments.json were made by
// Tests/Fixtures/gymnasium_environments.py with Gymnasium 1.4.
import Foundation
import Testing
import Tensor
@testable import RL

struct GymnasiumReference: Decodable {
    struct Trace: Decodable {
        struct Point: Decodable { let state: [Double]; let reward: Double; let terminated: Bool; let truncated: Bool }
        let start: [Double]
        let actions: [Int]
        let steps: [Point]
    }
    let gymnasium: String
    let cartpole: [Trace]
    let frozenlake4x4: [[[[Double]]]]
    let frozenlake8x8: [[[[Double]]]]
    let cliffwalking: [[[[Double]]]]
    let cliffwalking_slippery: [[[[Double]]]]
    let mountaincar: [Trace]

    static func load() throws -> GymnasiumReference {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/gymnasium_environments.json")
        return try JSONDecoder().decode(GymnasiumReference.self, from: Data(contentsOf: url))
    }
}

@Suite("Gymnasium parity")
struct GymnasiumParityTests {
    @Test("CartPole-v1 follows Gymnasium's states to 1e-5, with the same termination and truncation step")
    func cartPoleTraces() throws {
        let reference = try GymnasiumReference.load()
        #expect(reference.cartpole.filter { $0.steps.count < 500 }.count == 12)
        var generator = RandomGenerator(seed: 0)
        for trace in reference.cartpole where trace.steps.count < 500 {
            var env = CartPole.v1()
            _ = env.reset(using: &generator)
            env.base.state = CartPoleState(trace.start)
            var worst = 0.0
            for (action, expected) in zip(trace.actions, trace.steps) {
                let step = env.step(action, using: &generator)
                worst = max(worst, zip(env.base.state.values, expected.state).map { abs($0 - $1) }.max()!)
                #expect(step.reward == expected.reward)
                #expect(step.terminated == expected.terminated)
                #expect(step.truncated == expected.truncated)
            }
            #expect(worst <= 1e-5, "start \(trace.start): largest difference \(worst)")
        }
    }

    // Over 500 balanced steps the pole's dynamics amplify the last-bit differences
    // between two libm's sin and cos (NumPy's SIMD ones, glibc's here) until whole
    // trajectories part, so the long runs are compared one step at a time: from
    // each of Gymnasium's states, our step must land on its next state.
    @Test("Along 500-step balanced runs every single step equals Gymnasium's to 1e-9, and step 500 truncates")
    func cartPoleLongRunsStepByStep() throws {
        let reference = try GymnasiumReference.load()
        let long = reference.cartpole.filter { $0.steps.count == 500 }
        #expect(long.count == 2)
        var generator = RandomGenerator(seed: 0)
        for trace in long {
            var env = CartPole.v1()
            _ = env.reset(using: &generator)
            var worst = 0.0
            var previous = trace.start
            for (t, (action, expected)) in zip(trace.actions, trace.steps).enumerated() {
                env.base.state = CartPoleState(previous)
                let step = env.step(action, using: &generator)
                worst = max(worst, zip(env.base.state.values, expected.state).map { abs($0 - $1) }.max()!)
                #expect(step.terminated == expected.terminated, "step \(t + 1)")
                #expect(step.truncated == expected.truncated, "step \(t + 1)")
                previous = expected.state
            }
            #expect(worst <= 1e-9, "largest one-step difference \(worst)")
            #expect(trace.steps.last!.truncated && !trace.steps.last!.terminated)
        }
    }

    @Test("FrozenLake-v1, FrozenLake8x8-v1, CliffWalking-v1 and CliffWalkingSlippery-v1 have Gymnasium's transition tables",
          arguments: ["frozenlake4x4", "frozenlake8x8", "cliffwalking", "cliffwalking_slippery"])
    func transitionTables(name: String) throws {
        let reference = try GymnasiumReference.load()
        let (ours, theirs): (TransitionTable, [[[[Double]]]]) = switch name {
        case "frozenlake4x4": (FrozenLake(map: FrozenLake.map4x4).table, reference.frozenlake4x4)
        case "frozenlake8x8": (FrozenLake(map: FrozenLake.map8x8).table, reference.frozenlake8x8)
        case "cliffwalking": (CliffWalking().table, reference.cliffwalking)
        default: (CliffWalking(slippery: true).table, reference.cliffwalking_slippery)
        }
        #expect(ours.stateCount == theirs.count)
        for state in 0..<min(ours.stateCount, theirs.count) {
            for action in 0..<4 {
                let mine = ours.outcomes[state][action], expected = theirs[state][action]
                #expect(mine.count == expected.count, "s \(state) a \(action)")
                for (o, t) in zip(mine, expected) {
                    #expect(abs(o.probability - t[0]) < 1e-12 && o.nextState == Int(t[1]) && o.reward == t[2]
                            && o.terminated == (t[3] != 0), "s \(state) a \(action): \(o) vs \(t)")
                }
            }
        }
    }

    @Test("MountainCar-v0 follows Gymnasium's states to 1e-9, with the same termination and truncation step")
    func mountainCarTraces() throws {
        let reference = try GymnasiumReference.load()
        #expect(reference.mountaincar.contains { $0.steps.last!.terminated } && reference.mountaincar.contains { $0.steps.last!.truncated })
        var generator = RandomGenerator(seed: 0)
        for trace in reference.mountaincar {
            var env = MountainCar.v0()
            _ = env.reset(using: &generator)
            (env.base.position, env.base.velocity) = (trace.start[0], trace.start[1])
            var worst = 0.0
            for (action, expected) in zip(trace.actions, trace.steps) {
                let step = env.step(action, using: &generator)
                worst = max(worst, abs(env.base.position - expected.state[0]), abs(env.base.velocity - expected.state[1]))
                #expect(step.reward == expected.reward && step.terminated == expected.terminated && step.truncated == expected.truncated)
            }
            #expect(worst <= 1e-9, "start \(trace.start): largest difference \(worst)")
        }
    }
}

@Suite("Environments")
struct EnvironmentTests {
    @Test("FrozenLake's sampled moves follow its table: 1/3 intended, 1/3 to each side")
    func frozenLakeSampling() {
        var lake = FrozenLake(map: FrozenLake.map8x8)
        var generator = RandomGenerator(seed: 3)
        var counts: [Int: Int] = [:]
        let trials = 30_000
        for _ in 0..<trials {
            _ = lake.reset(using: &generator)
            _ = lake.step(FrozenLake.Action.right.rawValue, using: &generator)   // from (0,0): right → 1, down → 8, up → stays 0
            counts[lake.state, default: 0] += 1
        }
        #expect(Set(counts.keys) == [0, 1, 8])
        for (_, n) in counts { #expect(abs(Double(n) / Double(trials) - 1.0 / 3) < 0.015) }
    }

    @Test("FrozenLake-v1 truncates at 100 steps and FrozenLake8x8-v1 at 200; CartPole resets within ±0.05")
    func limitsAndResets() {
        var generator = RandomGenerator(seed: 1)
        for (limit, env) in [(100, FrozenLake.v1()), (200, FrozenLake.v1x8())] {
            var lake = env
            _ = lake.reset(using: &generator)
            // Pushing left into the wall from the start tile never moves off row 0's first tiles on the
            // non-slippery lake; on the slippery one, just count until the episode ends either way.
            var steps = 0, last = Step(observation: 0, reward: 0, terminated: false)
            repeat { last = lake.step(0, using: &generator); steps += 1 } while !last.isDone
            #expect(steps <= limit)
            #expect(last.terminated || (last.truncated && steps == limit))
        }
        var still = TimeLimit(FrozenLake(map: FrozenLake.map4x4, slippery: false), maximumSteps: 100)
        _ = still.reset(using: &generator)
        var steps = 0, last = Step(observation: 0, reward: 0, terminated: false)
        repeat { last = still.step(FrozenLake.Action.left.rawValue, using: &generator); steps += 1 } while !last.isDone
        #expect(steps == 100 && last.truncated && !last.terminated && last.observation == 0)

        var pole = CartPole.v1()
        for _ in 0..<100 {
            let observation = pole.reset(using: &generator)
            #expect(observation.count == 4 && observation.allSatisfy { abs($0) <= 0.05 })
        }
    }
}
