#!/usr/bin/env python3
"""PyTorch reference fixtures for MLLab's autograd, layers and optimizers.

Run by hand (not in CI) with PyTorch on the CPU, from the project's root:

    /tmp/peers-venv/bin/python Tests/Fixtures/make_fixtures.py

It writes Tests/Fixtures/*.safetensors. Each file holds, for one small network:
  input.x, input.targets          the batch (targets as float class indices)
  init.<state_dict name>          the initial weights (and buffers)
  step0.loss                      the loss before any update
  step0.grad.<name>               the gradients of that loss
  <optimizer>.step3.<name>        the weights after 3 steps of each optimizer
  <optimizer>.step3.loss          the loss at the third step
The safetensors format is written by hand below (8-byte little-endian header
length, a JSON header, the raw float32 bytes), so no extra package is needed.
"""
import json
import os
import struct

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)
torch.use_deterministic_algorithms(True)


def write_safetensors(path, tensors, metadata=None):
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        array = np.ascontiguousarray(tensors[name].detach().cpu().numpy().astype(np.float32))
        data = array.tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for chunk in chunks:
            f.write(chunk)
    os.replace(path + ".tmp", path)


OPTIMIZERS = {
    "sgd_momentum": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-2),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=1e-2, alpha=0.99, eps=1e-8),
    "adam": lambda p: torch.optim.Adam(p, lr=1e-2),
    "adamw": lambda p: torch.optim.AdamW(p, lr=1e-2, weight_decay=0.1),
}


def fixture(name, make_model, x, targets, loss_fn):
    out = {"input.x": x, "input.targets": targets.float()}
    model = make_model()
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    for k, v in initial.items():
        out["init." + k] = v
    model.train()
    loss = loss_fn(model(x), targets)
    loss.backward()
    out["step0.loss"] = loss.detach().reshape(())
    for k, p in model.named_parameters():
        out["step0.grad." + k] = p.grad
    for opt_name, make_opt in OPTIMIZERS.items():
        model = make_model()
        model.load_state_dict(initial)
        model.train()
        opt = make_opt(model.parameters())
        for _ in range(3):
            opt.zero_grad()
            loss = loss_fn(model(x), targets)
            loss.backward()
            opt.step()
        out[f"{opt_name}.step3.loss"] = loss.detach().reshape(())
        for k, v in model.state_dict().items():
            out[f"{opt_name}.step3.{k}"] = v
    write_safetensors(os.path.join(HERE, name + ".safetensors"), out,
                      {"torch": torch.__version__, "made_by": "Tests/Fixtures/make_fixtures.py"})
    print("wrote", name, len(out), "tensors")


def mlp():
    torch.manual_seed(1)
    return torch.nn.Sequential(torch.nn.Linear(20, 16), torch.nn.ReLU(), torch.nn.Linear(16, 8),
                               torch.nn.GELU(approximate="tanh"), torch.nn.Linear(8, 5))


def convnet():
    torch.manual_seed(2)
    return torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.BatchNorm2d(4), torch.nn.ReLU(),
                               torch.nn.MaxPool2d(2), torch.nn.Conv2d(4, 6, 3, stride=2), torch.nn.ReLU(),
                               torch.nn.AvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(6, 3))


class LSTMClassifier(torch.nn.Module):
    """LSTM over (batch, time, features); the last step's hidden state → Linear → 3 classes."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(4)
        self.lstm = torch.nn.LSTM(5, 7, batch_first=True)
        self.fc = torch.nn.Linear(7, 3)

    def forward(self, x):
        out, _ = self.lstm(x)            # (B, T, 7)
        return self.fc(out[:, -1, :])    # (B, 3)


class AttentionBlock(torch.nn.Module):
    """Causal multi-head self-attention (2 heads, d 8) → Linear → 4 classes per position."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(5)
        self.attn = torch.nn.MultiheadAttention(8, 2, batch_first=True)
        self.fc = torch.nn.Linear(8, 4)

    def forward(self, x):
        t = x.shape[1]
        mask = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)   # True = may not attend
        y, _ = self.attn(x, x, x, attn_mask=mask, need_weights=False)       # (B, T, 8)
        return self.fc(y).reshape(-1, 4)                                     # (B·T, 4)


if __name__ == "__main__":
    g = torch.Generator().manual_seed(3)
    x = torch.randn(8, 20, generator=g)
    y = torch.randint(0, 5, (8,), generator=g)
    fixture("mlp", mlp, x, y, torch.nn.functional.cross_entropy)
    images = torch.randn(4, 1, 8, 8, generator=g)
    labels = torch.randint(0, 3, (4,), generator=g)
    fixture("convnet", convnet, images, labels, torch.nn.functional.cross_entropy)
    sequences = torch.randn(4, 6, 5, generator=g)
    classes = torch.randint(0, 3, (4,), generator=g)
    fixture("lstm", LSTMClassifier, sequences, classes, torch.nn.functional.cross_entropy)
    tokens = torch.randn(2, 5, 8, generator=g)
    positions = torch.randint(0, 4, (10,), generator=g)      # one class per (batch, time) position
    fixture("attention", AttentionBlock, tokens, positions, torch.nn.functional.cross_entropy)
