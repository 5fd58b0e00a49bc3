"""Reference dynamics from Gymnasium for RLTests (Tests/Fixtures/gymnasium_environments.json).

CartPole-v1: from 12 start states (Gymnasium resets with seeds 0..7, plus four
hand-picked states near the limits), a random action sequence of up to 500
actions, stepped until terminated or truncated, and two balanced runs that
reach the 500-step truncation; every state is recorded in
float64 (env.unwrapped.state). FrozenLake-v1 and FrozenLake8x8-v1: the
transition table P[s][a] = [(p, s', r, terminated as 0 or 1)], and the same for
CliffWalking-v1 and CliffWalkingSlippery-v1. MountainCar-v0: six runs from
Gymnasium's resets (seeds 0..5), random actions or a policy that pushes the way
the car moves, to termination or the 200-step truncation.

    /tmp/peers-venv/bin/python Tests/Fixtures/gymnasium_environments.py
"""
import json, pathlib
import numpy as np
import gymnasium as gym

def rollout(env, start, policy):
    """Steps `env` (already in `start`) with policy(state, t) until the episode ends; one trace."""
    actions, steps = [], []
    while True:
        a = policy(env.unwrapped.state, len(actions))
        _, reward, terminated, truncated, _ = env.step(a)
        actions.append(a)
        steps.append({"state": [float(v) for v in env.unwrapped.state], "reward": float(reward),
                      "terminated": bool(terminated), "truncated": bool(truncated)})
        if terminated or truncated:
            return {"start": start, "actions": actions, "steps": steps}

def cartpole_at(start):
    env = gym.make("CartPole-v1")
    env.reset(seed=0)
    env.unwrapped.state = np.array(start, dtype=np.float64)
    return env

def cartpole_traces():
    rng = np.random.default_rng(2026)
    starts = []
    for seed in range(8):
        env = gym.make("CartPole-v1")
        env.reset(seed=seed)
        starts.append([float(v) for v in env.unwrapped.state])
    starts += [[2.3, 0.5, 0.0, 0.0], [0.0, 0.0, 0.2, -0.3], [-1.0, -1.5, -0.1, 1.0], [0.0, 0.0, 0.0, 0.0]]
    traces = []
    for start in starts:
        actions = [int(a) for a in rng.integers(0, 2, size=500)]
        traces.append(rollout(cartpole_at(start), start, lambda state, t: actions[t]))
    # Two balanced runs (push toward where the pole is falling) that reach the 500-step truncation.
    def balance(state, t):
        x, x_dot, theta, theta_dot = state
        return int(theta + 0.5 * theta_dot + 0.01 * x + 0.1 * x_dot > 0)
    for start in starts[:2]:
        traces.append(rollout(cartpole_at(start), start, balance))
    return traces

def mountaincar_traces():
    rng = np.random.default_rng(7)
    traces = []
    for seed in range(6):
        env = gym.make("MountainCar-v0")
        env.reset(seed=seed)
        start = [float(v) for v in env.unwrapped.state]
        # Random actions, and for half the runs an energy-pumping policy that reaches the goal.
        if seed % 2 == 0:
            policy = lambda state, t: int(rng.integers(0, 3))
        else:
            policy = lambda state, t: 2 if state[1] >= 0 else 0
        traces.append(rollout(env, start, policy))
    return traces

def frozenlake_table(name, **kwargs):
    env = gym.make(name, **kwargs)
    P = env.unwrapped.P
    return [[[[float(p), int(s2), float(r), float(bool(d))] for (p, s2, r, d) in P[s][a]] for a in range(4)] for s in range(len(P))]

out = {"gymnasium": gym.__version__, "cartpole": cartpole_traces(),
       "frozenlake4x4": frozenlake_table("FrozenLake-v1"), "frozenlake8x8": frozenlake_table("FrozenLake8x8-v1"),
       "cliffwalking": frozenlake_table("CliffWalking-v1"), "cliffwalking_slippery": frozenlake_table("CliffWalkingSlippery-v1"),
       "mountaincar": mountaincar_traces()}
path = pathlib.Path(__file__).with_name("gymnasium_environments.json")
path.write_text(json.dumps(out, separators=(",", ":")))
print(f"wrote {path} ({path.stat().st_size} bytes): {len(out['cartpole'])} CartPole traces, "
      f"lengths {[len(t['steps']) for t in out['cartpole']]}")
