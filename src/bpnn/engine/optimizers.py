"""Optimizers: update lists of (parameter, gradient) arrays in place.

SGD is the lecture's rule, w = w - learning_rate * gradient. Each optimizer keeps
its state (velocities, moments) as *slots*: one array per parameter, named by
what it holds, so that a run can be saved and resumed exactly:
``state_dict() == {"config": {...}, "slots": {"velocity": [array per param]}}``.

A rule is written once, for one array (``_update``). ``step`` applies it to each
parameter in turn; ``step_packed`` applies it once to parameters packed in one
buffer (``bpnn.fast.flat``), which is what ``Network.train_step`` does: the
same arithmetic on every element, in a few NumPy calls for the whole network.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InputError, InputTypeError
from ..fast.flat import Packed
from .checks import check_fraction, check_positive


class Optimizer:
    name = ""

    def __init__(self):
        #: slot name -> Packed state (one view per parameter); None before step 1
        self.slots = None
        self._ready = None  # the packed step's arrays, made at its first call

    def slot_names(self) -> tuple:
        """The state this optimizer keeps per parameter (saved with a run)."""
        return ()

    def step(self, params, grads):
        """Update each array of ``params`` in place from its gradient."""
        slots = self._slots_for([p.shape for p in params], params[0].dtype)
        self._advance()
        state = [slots[name].views for name in self.slot_names()]
        for i, (p, g) in enumerate(zip(params, grads)):
            self._update(p, g, self._scratch(p), *(s[i] for s in state))

    def step_packed(self, params, grads):
        """``step`` on parameters and gradients packed as ``fast.flat.Packed``:
        the rule runs once over every weight of the network."""
        ready = self._ready
        if ready is None or ready[0] != grads.buffer.size:
            ready = self._ready = self._prepare(params)
        if ready[1] is None:  # a rule written as step()
            self.step(params.views, grads.views)
            return
        self._advance()
        self._update_packed(params.buffer, grads.buffer, *ready[1])

    def _prepare(self, params):
        """(size, the arguments of ``_update`` after p and g) for packed steps."""
        size, cls = params.buffer.size, type(self)
        if cls.step is not Optimizer.step or cls._update is Optimizer._update:
            return size, None
        slots = self._slots_for(params.shapes, params.buffer.dtype)
        state = [slots[name].buffer for name in self.slot_names()]
        return size, (self._scratch(params.buffer), *state)

    def _slots_for(self, shapes, dtype):
        """The state arrays, made (zeros) at the first step."""
        if self.slots is None:
            self.slots = {name: Packed(shapes, dtype) for name in self.slot_names()}
        return self.slots

    def _scratch(self, p):
        """Work arrays for ``_update`` on ``p``."""
        return np.empty_like(p)

    def _advance(self):
        """Once per step, before the update (Adam counts its steps)."""

    def _update(self, p, g, scratch, *slots):
        raise NotImplementedError

    def _update_packed(self, p, g, *args):
        """The rule on the packed buffers (``_prepare`` made ``args``)."""
        self._update(p, g, *args)

    def config(self) -> dict:
        raise NotImplementedError

    def state_dict(self) -> dict:
        """Hyper-parameters (JSON) and the slots, a list of arrays each."""
        slots = {}
        if self.slots is not None:
            slots = {name: list(p.views) for name, p in self.slots.items()}
        return {"config": self.config(), "slots": slots}

    def load_state_dict(self, state):
        """Take back what ``state_dict`` gave (the arrays are copied)."""
        slots = state.get("slots") or {}
        if not slots:
            self.slots = self._ready = None
            return
        if set(slots) != set(self.slot_names()):
            raise InputError(
                f"{self.name} keeps the state {list(self.slot_names())}, "
                f"got {sorted(slots)}"
            )
        lists = list(slots.values())
        if any(len(arrays) != len(lists[0]) for arrays in lists):
            raise InputError(f"{self.name} state holds lists of unequal lengths")
        dtype = np.result_type(*lists[0])
        self.slots = {name: Packed.of(arrays, dtype) for name, arrays in slots.items()}
        self._ready = None


class SGD(Optimizer):
    """w <- w - lr * gradient; with momentum: v <- momentum*v - lr*g, w <- w + v."""

    name = "sgd"

    def __init__(self, lr=0.1, momentum=0.0):
        super().__init__()
        self.lr = check_positive("lr", lr)
        self.momentum = check_fraction("momentum", momentum)

    def slot_names(self):
        return ("velocity",) if self.momentum else ()

    @property
    def velocity(self):
        """The velocities, one per parameter (None before the first step)."""
        return None if self.slots is None else self.slots["velocity"].views

    def _update(self, p, g, scratch, velocity=None):
        # the same operations, in the same order, as the lecture's w - lr * g
        step = np.multiply(g, self.lr, out=scratch)  # the weight step, lr * gradient
        if velocity is None:
            p -= step
            return
        velocity *= self.momentum
        velocity -= step
        p += velocity

    def config(self):
        return {"name": self.name, "lr": self.lr, "momentum": self.momentum}


class Adam(Optimizer):
    """Adam (Kingma & Ba): step lr * m_hat / (sqrt(v_hat) + eps), bias-corrected."""

    name = "adam"

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__()
        self.lr = check_positive("lr", lr)
        self.beta1 = check_fraction("beta1", beta1)
        self.beta2 = check_fraction("beta2", beta2)
        self.eps = check_positive("eps", eps)
        self.t = 0

    def slot_names(self):
        return ("m", "v")

    @property
    def m(self):
        return None if self.slots is None else self.slots["m"].views

    @property
    def v(self):
        return None if self.slots is None else self.slots["v"].views

    def _advance(self):
        self.t += 1
        t, b1, b2 = self.t, self.beta1, self.beta2
        root = math.sqrt(1 - b2**t)  # the same double as np.sqrt gives
        # NumPy float64 scalars: the step below runs in float64 for any weights
        self._step_size = np.float64(self.lr * root / (1 - b1**t))
        self._eps_hat = np.float64(self.eps * root)

    def _slots_for(self, shapes, dtype):
        """m and v as the two rows of one array, so that the packed step
        updates both in one call per operation (each element as alone)."""
        if self.slots is None:
            m, v = Packed(shapes, dtype), Packed(shapes, dtype)
        else:
            m, v = self.slots["m"], self.slots["v"]
        both = m.buffer.base
        if (
            both is None
            or both.shape != (2, m.buffer.size)
            or v.buffer.base is not both
        ):
            both = np.stack([m.buffer, v.buffer])
            m, v = Packed(m.shapes, dtype, both[0]), Packed(v.shapes, dtype, both[1])
        self.slots = {"m": m, "v": v}
        return self.slots

    def _prepare(self, params):
        size, args = super()._prepare(params)
        if args is None:
            return size, None
        scratch, m, v = args
        dtype = m.dtype
        decay = np.array([[self.beta1], [self.beta2]], dtype)
        rest = np.array([[1 - self.beta1], [1 - self.beta2]], dtype)
        pair = np.empty((2, size), dtype)
        return size, (*scratch[1:], m.base, decay, rest, pair, m, v, *pair)

    def _update_packed(self, p, g, den, step, both, decay, rest, pair, m, v, s, s2):
        """``_update`` with m and v as the rows of ``both``: 9 calls, not 12.
        A row of ``decay`` (b1; b2) or ``rest`` (1 - b1; 1 - b2) is the
        scalar ``_update`` multiplies by, in the weights' dtype as there."""
        both *= decay  # m *= b1; v *= b2
        np.multiply(g, rest, out=pair)  # (1 - b1) g; (1 - b2) g
        s2 *= g  # (1 - b2) g g
        both += pair  # m += (1 - b1) g; v += (1 - b2) g g
        np.add(np.sqrt(v, out=s), self._eps_hat, out=den)
        np.multiply(m, self._step_size, out=step)
        step /= den
        p -= step

    def _scratch(self, p):
        """One array like ``p`` and two of the dtype the float64 step gives."""
        wide = np.result_type(p.dtype, np.float64(0))
        return np.empty_like(p), np.empty(p.shape, wide), np.empty(p.shape, wide)

    def _update(self, p, g, scratch, m, v):
        s, denominator, step = scratch
        b1, b2 = self.beta1, self.beta2
        m *= b1
        m += np.multiply(g, 1 - b1, out=s)
        v *= b2
        np.multiply(g, 1 - b2, out=s)
        s *= g
        v += s
        # p -= step_size * m / (sqrt(v) + eps_hat), in the dtype those give
        np.add(np.sqrt(v, out=s), self._eps_hat, out=denominator)
        np.multiply(m, self._step_size, out=step)
        step /= denominator
        p -= step

    def config(self):
        return {
            "name": self.name,
            "lr": self.lr,
            "beta1": self.beta1,
            "beta2": self.beta2,
            "eps": self.eps,
        }

    def state_dict(self):
        state = super().state_dict()
        state["config"]["t"] = self.t
        return state

    def load_state_dict(self, state):
        self.t = int(state["config"].get("t", 0))
        super().load_state_dict(state)


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
