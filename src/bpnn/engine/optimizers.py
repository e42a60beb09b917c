"""Optimizers: update flat lists of (parameter, gradient) arrays in place.

SGD is the lecture's rule, w = w - learning_rate * gradient. Each optimizer keeps
its state (velocities, moments, step count) in plain arrays so that a run can be
saved and resumed exactly.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError, InputTypeError
from .checks import check_fraction, check_positive


class Optimizer:
    name = ""

    def step(self, params, grads):
        raise NotImplementedError

    def state_dict(self) -> dict:
        """Hyper-parameters (JSON) and state arrays, for saving a run."""
        return {"config": self.config(), "arrays": {}}

    def load_state_dict(self, state):
        pass

    def config(self) -> dict:
        raise NotImplementedError


class SGD(Optimizer):
    """w <- w - lr * gradient; with momentum: v <- momentum*v - lr*g, w <- w + v."""

    name = "sgd"

    def __init__(self, lr=0.1, momentum=0.0):
        self.lr = check_positive("lr", lr)
        self.momentum = check_fraction("momentum", momentum)
        self.velocity = None
        self._scratch = None

    def step(self, params, grads):
        if self.momentum:
            if self.velocity is None:
                self.velocity = [np.zeros_like(p) for p in params]
            for p, g, v in zip(params, grads, self.velocity):
                v *= self.momentum
                v -= self.lr * g
                p += v
            return
        if self._scratch is None or len(self._scratch) != len(params):
            self._scratch = [np.empty_like(p) for p in params]
        for p, g, s in zip(params, grads, self._scratch):
            np.multiply(g, self.lr, out=s)  # the weight step, lr * gradient
            p -= s

    def config(self):
        return {"name": self.name, "lr": self.lr, "momentum": self.momentum}

    def state_dict(self):
        arrays = {}
        if self.velocity is not None:
            arrays = {f"velocity{i}": v for i, v in enumerate(self.velocity)}
        return {"config": self.config(), "arrays": arrays}

    def load_state_dict(self, state):
        arrays = state.get("arrays", {})
        if arrays:
            self.velocity = [arrays[f"velocity{i}"] for i in range(len(arrays))]


class Adam(Optimizer):
    """Adam (Kingma & Ba): step lr * m_hat / (sqrt(v_hat) + eps), bias-corrected."""

    name = "adam"

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = check_positive("lr", lr)
        self.beta1 = check_fraction("beta1", beta1)
        self.beta2 = check_fraction("beta2", beta2)
        self.eps = check_positive("eps", eps)
        self.t = 0
        self.m = self.v = None

    def step(self, params, grads):
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        step_size = self.lr * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        eps_hat = self.eps * np.sqrt(1 - b2**self.t)
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            p -= step_size * m / (np.sqrt(v) + eps_hat)

    def config(self):
        return {
            "name": self.name,
            "lr": self.lr,
            "beta1": self.beta1,
            "beta2": self.beta2,
            "eps": self.eps,
        }

    def state_dict(self):
        arrays = {}
        if self.m is not None:
            for i, (m, v) in enumerate(zip(self.m, self.v)):
                arrays[f"m{i}"], arrays[f"v{i}"] = m, v
        return {"config": {**self.config(), "t": self.t}, "arrays": arrays}

    def load_state_dict(self, state):
        self.t = int(state["config"].get("t", 0))
        arrays = state.get("arrays", {})
        if arrays:
            n = len(arrays) // 2
            self.m = [arrays[f"m{i}"] for i in range(n)]
            self.v = [arrays[f"v{i}"] for i in range(n)]


OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def get_optimizer(name, **kwargs) -> Optimizer:
    """Build an optimizer by name (``sgd`` or ``adam``)."""
    try:
        cls = OPTIMIZERS[name]
    except (KeyError, TypeError):
        raise InputError(
            f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}"
        ) from None
    try:
        return cls(**kwargs)
    except TypeError as err:  # a keyword this optimizer does not take
        raise InputTypeError(f"{name}: {err}") from None
