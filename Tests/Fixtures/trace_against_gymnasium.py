"""Checks `lab-rl trace` against Gymnasium itself, step by step.

For random start states and random action lists, runs CartPole-v1 and
MountainCar-v0 in Gymnasium (state set through env.unwrapped.state) and in
`lab-rl trace`, and compares every step: the state to 1e-5, the reward, and
the terminated and truncated flags (so both end on the same step).

    swift build -c release --product lab-rl
    python Tests/Fixtures/trace_against_gymnasium.py [path/to/lab-rl]

Needs numpy and gymnasium (the peers' Python environment has them: docs/BENCHMARKS.md).
"""
import json
import subprocess
import sys

import gymnasium as gym
import numpy as np

LAB = sys.argv[1] if len(sys.argv) > 1 else ".build/release/lab-rl"


def compare(env_id, name, low, high, actions, runs, rng):
    worst, steps = 0.0, 0
    for _ in range(runs):
        state = rng.uniform(low, high)
        chosen = rng.integers(0, actions, 250).tolist()
        env = gym.make(env_id)
        env.reset(seed=0)
        env.unwrapped.state = state.copy()
        reference = []
        for action in chosen:
            observation, reward, terminated, truncated, _ = env.step(action)
            reference.append((observation, reward, terminated, truncated))
            if terminated or truncated:
                break
        lines = subprocess.run(
            [LAB, "trace", "--env", name, "--state", ",".join(repr(float(x)) for x in state),
             "--actions", ",".join(map(str, chosen))],
            capture_output=True, text=True, check=True).stdout.splitlines()
        assert len(lines) == len(reference), f"{name}: {len(lines)} steps, Gymnasium {len(reference)}"
        for t, (line, (observation, reward, terminated, truncated)) in enumerate(zip(lines, reference), start=1):
            step = json.loads(line)
            assert list(step) == ["t", "state", "reward", "terminated", "truncated"] and step["t"] == t
            worst = max(worst, float(np.max(np.abs(np.array(step["state"]) - observation))))
            assert (step["reward"], step["terminated"], step["truncated"]) == (reward, terminated, truncated), line
            steps += 1
    assert worst < 1e-5, f"{name}: state differs by {worst}"
    print(f"{env_id}: {steps} steps in {runs} runs, the same end step every time, max |Δstate| = {worst:.2e}")


rng = np.random.default_rng(0)
compare("CartPole-v1", "cartpole", [-0.05] * 4, [0.05] * 4, 2, 20, rng)
compare("MountainCar-v0", "mountaincar", [-0.6, -0.01], [-0.4, 0.01], 3, 5, rng)
