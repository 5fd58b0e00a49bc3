# Expected numbers for Tests/NNTests/OptimizerTests.swift (PyTorch parity of the optimizers).
#
# Run by hand, not in CI:  /path/to/python-with-torch Tests/Fixtures/optimizer_reference.py
# It trains a tiny linear regression, loss = mean((x @ w + b - y)^2), for five
# steps with each optimizer setting and prints the weights after the last step
# as Swift array literals, which are pasted into `pytorchReference` in the test.
import torch

torch.set_default_dtype(torch.float32)
X = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [-2.0, 1.0, 0.75], [0.0, -0.5, 1.25]]
Y = [[1.0], [-0.5], [2.0], [0.25]]
INITIAL_WEIGHTS = [[0.1], [-0.2], [0.3]]
B0 = [0.05]
STEPS = 5

SETTINGS = [
    ("sgd", lambda p: torch.optim.SGD(p, lr=0.1)),
    ("sgdMomentum", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("sgdNesterov", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.05)),
    ("rmsprop", lambda p: torch.optim.RMSprop(p, lr=0.01)),
    ("rmspropCenteredMomentum", lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1)),
    ("adam", lambda p: torch.optim.Adam(p, lr=0.1)),
    ("adamL2", lambda p: torch.optim.Adam(p, lr=0.1, betas=(0.8, 0.99), weight_decay=0.1)),
    ("adamW", lambda p: torch.optim.AdamW(p, lr=0.1, weight_decay=0.1)),
]

x = torch.tensor(X)
y = torch.tensor(Y)
for name, make in SETTINGS:
    w = torch.tensor(INITIAL_WEIGHTS, requires_grad=True)
    b = torch.tensor(B0, requires_grad=True)
    optimizer = make([w, b])
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = ((x @ w + b - y) ** 2).mean()
        loss.backward()
        optimizer.step()
    values = [f"{v:.9g}" for v in w.detach().flatten().tolist() + b.detach().tolist()]
    print(f'"{name}": [{", ".join(values)}],  // w (3), b')
print("torch", torch.__version__)
