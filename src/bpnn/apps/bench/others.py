"""The other libraries' step, as ``bpnn bench`` times it beside bpnn's
(``steps``): the same network, data, learning rate and random batches."""

from __future__ import annotations

from itertools import pairwise

import numpy as np


def torch_step(sizes, batch, X, y, lr):
    """PyTorch eager: nn.Sequential, autograd, torch.optim.SGD."""
    import torch

    dtype = torch.float64 if X.dtype == np.float64 else torch.float32
    mods = []
    for i, (a, b) in enumerate(pairwise(sizes)):
        mods.append(torch.nn.Linear(a, b, dtype=dtype))
        if i < len(sizes) - 2:
            mods.append(torch.nn.Sigmoid())
    model = torch.nn.Sequential(*mods)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    rng = np.random.default_rng(1)

    def step():
        idx = torch.from_numpy(rng.integers(0, len(X), batch))
        xb, yb = Xt.index_select(0, idx), yt.index_select(0, idx)
        opt.zero_grad()
        loss = 0.5 * torch.mean((model(xb) - yb) ** 2)
        loss.backward()
        opt.step()

    return step


def sklearn_step(sizes, batch, X, y, lr):
    """scikit-learn: one MLPRegressor.partial_fit per batch."""
    from sklearn.neural_network import MLPRegressor

    model = MLPRegressor(
        hidden_layer_sizes=sizes[1:-1],
        activation="logistic",
        solver="sgd",
        learning_rate_init=lr,
        momentum=0.0,
        nesterovs_momentum=False,
        alpha=0.0,
        batch_size=batch,
        shuffle=False,
        random_state=0,
    )
    rng = np.random.default_rng(1)
    y1 = y[:, 0]

    def step():
        idx = rng.integers(0, len(X), batch)
        model.partial_fit(X[idx], y1[idx])

    return step
