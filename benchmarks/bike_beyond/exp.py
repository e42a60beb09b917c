"""Bike sharing: techniques beyond hyper-parameters on top of --preset accurate.

Every run is `bpnn.apps.run.train` with the accurate preset, except that the
network's class is swapped for `Hooked`, which adds per-update hooks
(weight EMA / Polyak averaging, decoupled weight decay) around the unchanged
`Network.train_step` (same workspace fast path, same sampler, optimizer,
lr-decay callback, evaluation, early stopping).

EMA: after every update  ema = d*ema + (1-d)*w  (d warmed up as
min(d, (1+t)/(10+t))). Right after each update that precedes an evaluation
(t % eval_every == 0) the raw weights are put aside and the EMA weights put in
the buffer, so the evaluation, early stopping (best-weights copy and restore)
and the final metrics all see the averaged weights; before the next update the
raw weights come back.

Results are cached per (variant, seed) in results.jsonl; predictions of
every run in preds/ (for ensembles).

    python exp.py VARIANT SEEDS...       e.g. python exp.py ema0.999 0 1 2
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np

from bpnn.apps.metrics import evaluate
from bpnn.apps.presets import preset
from bpnn.apps.run import build_network, build_optimizer, fit_network
from bpnn.data.datasets import load_bike_sharing
from bpnn.engine.network import Network
from bpnn.engine.optimizers import Adam
from bpnn.train.state import TrainingState

OUT = Path(__file__).resolve().parent / "out"
RESULTS = OUT / "results.jsonl"
PREDS = OUT / "preds"
PREDS.mkdir(parents=True, exist_ok=True)


class Hooked(Network):
    """A Network whose train_step adds EMA and/or decoupled weight decay."""

    def setup(
        self, optimizer, eval_every, ema=None, wd=0.0, wd_bias=False, swa_from=None
    ):
        buf = self._workspace.params.buffer
        self._buf, self._opt, self._every = buf, optimizer, eval_every
        self._t, self._swapped = 0, False
        self._decay = ema
        self._ema = buf.copy() if ema else None
        self._raw = np.empty_like(buf)
        self._wd = wd
        # mask of the W entries (biases excluded unless wd_bias)
        mask = np.zeros(buf.size, bool)
        start = 0
        for layer in self.layers:
            n = layer.W.size
            mask[start : start + n] = True
            start += n
            if layer.b is not None:
                mask[start : start + layer.b.size] = wd_bias
                start += layer.b.size
        self._wmask = mask.astype(buf.dtype)
        self._scratch = np.empty_like(buf)

    def train_step(self, X, y, optimizer):
        buf = self._buf
        if self._swapped:  # the EMA weights were evaluated: back to raw
            buf[...] = self._raw
            self._swapped = False
        Network.train_step(self, X, y, optimizer)
        self._t += 1
        if self._wd:  # AdamW-style: w -= lr * wd * w (W only by default)
            np.multiply(buf, self._wmask, out=self._scratch)
            self._scratch *= self._opt.lr * self._wd
            buf -= self._scratch
        if self._ema is not None:
            t = self._t
            d = min(self._decay, (1 + t) / (10 + t))
            self._ema *= d
            self._ema += (1 - d) * buf
            if t % self._every == 0:  # an evaluation follows: show the EMA
                self._raw[...] = buf
                buf[...] = self._ema
                self._swapped = True


class L2Adam(Adam):
    """Adam on the gradient plus l2 * w (coupled L2, W only): the loss gains
    l2/2 * sum(W**2)."""

    def step_packed(self, params, grads):
        grads.buffer += self.l2 * self.l2mask * params.buffer
        super().step_packed(params, grads)


def variant_config(name):
    """(RunConfig, hook kwargs) of a named variant."""
    cfg = preset("bike", "accurate")
    hook = {}
    for part in name.split("+"):
        if part == "accurate":
            continue
        if part.startswith("ema"):
            hook["ema"] = float(part[3:])
        elif part.startswith("l2"):
            hook["l2"] = float(part[2:])
        elif part.startswith("wdb"):
            hook["wd"], hook["wd_bias"] = float(part[3:]), True
        elif part.startswith("wd"):
            hook["wd"] = float(part[2:])
        elif part.startswith("pat"):
            cfg = cfg.updated(patience=int(part[3:]))
        elif part.startswith("lr"):
            cfg = cfg.updated(lr=float(part[2:]))
        elif part.startswith("dec"):
            cfg = cfg.updated(lr_decay=float(part[3:]))
        elif part.startswith("ev"):
            cfg = cfg.updated(eval_every=int(part[2:]))
        elif part.startswith("b"):
            cfg = cfg.updated(batch_size=int(part[1:]))
        elif part.startswith("steps"):
            cfg = cfg.updated(steps=int(part[5:]))
        else:
            raise SystemExit(f"unknown part {part}")
    return cfg, hook


def run_one(data, name, seed):
    cfg, hook = variant_config(name)
    cfg = cfg.updated(seed=seed)
    start = time.perf_counter()
    net = build_network(cfg, data)
    opt = build_optimizer(cfg)
    l2 = hook.pop("l2", None)
    if hook or l2:
        net.__class__ = Hooked
        net.setup(opt, cfg.eval_every, **hook)
    if l2:
        opt.__class__ = L2Adam
        opt.l2, opt.l2mask = l2, net._wmask
    history = fit_network(net, data, cfg, False, opt, TrainingState())
    metrics = evaluate(net, data)
    wall = time.perf_counter() - start
    preds = {split: net.predict(X)[:, 0] for split, X, _ in data.splits()}
    np.savez(PREDS / f"{name}__{seed}.npz", **preds)
    row = {
        "variant": name,
        "seed": seed,
        "train_mse": metrics["train_mse"],
        "validation_mse": metrics["validation_mse"],
        "test_mse": metrics["test_mse"],
        "updates": history.step[-1],
        "best_update": history.step[history.best_index],
        "stop": history.stop_reason,
        "wall_s": wall,
    }
    with RESULTS.open("a") as f:
        f.write(json.dumps(row) + "\n")
    return row


def done_rows():
    if not RESULTS.exists():
        return {}
    rows = [json.loads(line) for line in RESULTS.read_text().splitlines()]
    return {(r["variant"], r["seed"]): r for r in rows}


def main(argv):
    name, seeds = argv[0], [int(s) for s in argv[1:]]
    have = done_rows()
    data = load_bike_sharing()
    for seed in seeds:
        if (name, seed) in have:
            r = have[(name, seed)]
        else:
            r = run_one(data, name, seed)
        print(
            f"{name} seed {seed}: val {r['validation_mse']:.4f} test "
            f"{r['test_mse']:.4f} updates {r['updates']} best@{r['best_update']} "
            f"{r['wall_s']:.1f}s",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
