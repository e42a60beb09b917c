"""The record of a trace: its ordered steps, looked up by key, and its views.

``bpnn.tracing.trace`` builds it from the engine; ``to_dict`` and ``to_text``
render this same record, so JSON and text (in either language) never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Step:
    """One quantity of the derivation: ``key`` is stable (``layer1.h``),
    ``kind`` names its labels, ``layer`` counts from 1 (0: the data)."""

    key: str
    stage: str
    kind: str
    layer: int
    symbol: str
    formula: str
    matrix: str
    value: np.ndarray

    @property
    def shape(self) -> tuple:
        return self.value.shape


class Trace:
    """The ordered steps of one training step; ``trace[key]`` finds one."""

    def __init__(self, steps, batch, learning_rate, loss, sizes, activations):
        self.steps = list(steps)
        self.batch, self.learning_rate, self.loss = batch, learning_rate, loss
        self.sizes, self.activations = list(sizes), list(activations)
        self._index = {step.key: step for step in self.steps}

    def __getitem__(self, key) -> Step:
        return self._index[key]

    def __contains__(self, key):
        return key in self._index

    def __iter__(self):
        return iter(self.steps)

    def __len__(self):
        return len(self.steps)

    def keys(self) -> list:
        return [step.key for step in self.steps]

    def layer_name(self, k) -> str:
        """The name layer k's quantities go by: layer1, ..., output."""
        return layer_name(k, len(self.sizes) - 1)

    def weight_steps(self) -> list:
        """``[{"W": dW_step, "b": db_step or None}, ...]`` layer by layer, in
        the layout of ``Network.gradients``."""
        out = []
        for k in range(1, len(self.sizes)):
            name = self.layer_name(k)
            b = self._index.get(f"{name}.weight_step_b")
            out.append(
                {
                    "W": self[f"{name}.weight_step_W"].value,
                    "b": None if b is None else b.value,
                }
            )
        return out

    def to_dict(self) -> dict:
        """The whole record as plain JSON types, labels in both languages."""
        from .text import step_dict

        return {
            "sizes": self.sizes,
            "activations": self.activations,
            "loss": self.loss,
            "batch": self.batch,
            "learning_rate": self.learning_rate,
            "steps": [step_dict(step) for step in self.steps],
        }

    def to_text(self, lang="en", precision=6, values=True, notes=None) -> str:
        """The walkthrough as text; see ``bpnn.explain.text.render``."""
        from .text import render

        return render(self, lang, precision, values, notes)

    def draw(self, lang="en", stage="update", precision=6) -> str:
        """The network as SVG with this step's values; see
        ``bpnn.explain.drawing.draw``."""
        from .drawing import draw

        return draw(self, lang, stage, precision)

    def _repr_svg_(self):
        from ..errors import InputError

        try:
            return self.draw()
        except InputError:  # too large to draw: the notebook shows the table
            return None

    def _repr_html_(self):
        from .drawing import html

        return html(self)


def layer_name(k, n_layers):
    """The name layer k's quantities go by in a trace: layer1, ..., output."""
    return "output" if k == n_layers else f"layer{k}"
