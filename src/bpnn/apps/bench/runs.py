"""Whole runs: what ``fit`` adds to the bare steps, the time to the course's
pass mark, and the resident memory of training on a memory-mapped file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from ...engine.network import Network
from ...engine.optimizers import SGD
from ...train.loop import fit
from .steps import bpnn_step, make_data


def fit_overhead(steps=3000, eval_every=100, repeats=5):
    """Seconds of ``fit`` (validation every ``eval_every`` steps) against the
    same number of bare steps, bike network, float64; medians of ``repeats``."""
    X, y = make_data(56, np.float64)
    X_val, y_val = make_data(56, np.float64, seed=1)
    X_val, y_val = X_val[:1440], y_val[:1440]  # the course's 60 days
    bare, whole = [], []
    for _ in range(repeats):
        step = bpnn_step([56, 20, 1], 128, X, y)
        t = time.perf_counter()
        for _ in range(steps):
            step()
        bare.append(time.perf_counter() - t)
        net = Network.from_sizes([56, 20, 1], ["sigmoid", "identity"], seed=0)
        t = time.perf_counter()
        fit(
            net,
            X,
            y,
            optimizer=SGD(0.01),
            steps=steps,
            batch_size=128,
            sampling="random",
            validation_data=(X_val, y_val),
            eval_every=eval_every,
            seed=1,
        )
        whole.append(time.perf_counter() - t)
    b, w = float(np.median(bare)), float(np.median(whole))
    return {
        "steps": steps,
        "eval_every": eval_every,
        "train_rows": len(X),
        "val_rows": len(X_val),
        "bare_s": b,
        "fit_s": w,
        "ratio": w / b,
    }


def pass_mark(presets=("lecture", "best"), seed=0):
    """Wall time until training < 0.09 and validation < 0.18 on bike sharing,
    with the shipped presets; skipped where the package has no data sets."""
    try:
        from ...data.datasets import load_bike_sharing
        from ..presets import preset
    except ImportError as err:
        return {"skipped": f"needs bpnn.datasets and bpnn.presets ({err})"}
    from ...engine.optimizers import get_optimizer

    data = load_bike_sharing()
    # the data set's own bar (Dataset.pass_mark)
    pass_train = data.pass_mark["train_mse"]
    pass_val = data.pass_mark["validation_mse"]
    out = {}
    for name in presets:
        cfg = preset("bike", name)
        sizes = [data.X_train.shape[1], *cfg.hidden, 1]
        acts = [cfg.activation] * len(cfg.hidden) + [cfg.output or "identity"]
        loss = cfg.loss or "mse"
        net = Network.from_sizes(
            sizes, acts, bias=cfg.bias, init=cfg.init, loss=loss, seed=seed
        )
        opt_kw = {"lr": cfg.lr}
        if cfg.optimizer == "sgd":
            opt_kw["momentum"] = cfg.momentum
        opt = get_optimizer(cfg.optimizer, **opt_kw)
        scale = 2.0 if loss == "half_mse" else 1.0  # History keeps the loss
        reached = {}

        def check(net, history, reached=reached, opt=opt, cfg=cfg, scale=scale):
            if cfg.lr_decay:
                opt.lr *= cfg.lr_decay
            tr, va = scale * history.train_loss[-1], scale * history.val_loss[-1]
            if tr < pass_train and va < pass_val:
                reached.update(step=history.step[-1], train=tr, val=va)
                return False
            return True

        t = time.perf_counter()
        fit(
            net,
            data.X_train,
            data.y_train,
            optimizer=opt,
            steps=cfg.steps,
            batch_size=cfg.batch_size,
            sampling=cfg.sampling,
            validation_data=(data.X_val, data.y_val),
            eval_every=cfg.eval_every,
            seed=seed,
            callback=check,
        )
        out[name] = {
            "seconds": time.perf_counter() - t,
            "reached": bool(reached),
            **reached,
        }
    return out


_CHILD = """
import json, sys, time
import numpy as np
import bpnn

def status():
    with open("/proc/self/status") as f:
        return {ln.split(":")[0]: int(ln.split()[1]) / 1024 for ln in f
                if ln.startswith(("VmHWM", "RssAnon", "RssFile"))}

X = np.load(sys.argv[1], mmap_mode="r")
y = np.load(sys.argv[2], mmap_mode="r")
steps = int(sys.argv[3])
net = bpnn.Network.from_sizes([X.shape[1], 20, 1], ["sigmoid", "identity"],
                              seed=0, dtype=X.dtype)
anon = [status()["RssAnon"]]
t = time.perf_counter()
bpnn.fit(net, X, y, optimizer=bpnn.SGD(0.1), steps=steps, batch_size=128,
         sampling="random", eval_every=steps // 4, seed=0,
         callback=lambda n, h: anon.append(status()["RssAnon"]))
# VmHWM: this process's own peak (ru_maxrss can carry the parent's over exec);
# RssAnon: memory the process allocated, sampled at each evaluation; RssFile:
# pages of the mapped file, clean and reclaimable by the kernel
s = status()
print(json.dumps({"seconds": time.perf_counter() - t, "peak_rss_mib": s["VmHWM"],
                  "max_anon_mib": max(anon), "file_mapped_mib": s["RssFile"]}))
"""


def mmap_rss(rows=(2_000_000, 8_000_000), steps=20_000, dtype="float32"):
    """Peak resident memory of ``fit`` on .npy files opened with mmap_mode="r"
    (a fresh process per size: bounded memory means it does not grow with
    the rows). Each run checks every row once and evaluates once over all."""
    results = []
    with tempfile.TemporaryDirectory(prefix="bpnn-bench-") as tmp:
        for n in rows:
            xp, yp = os.path.join(tmp, "X.npy"), os.path.join(tmp, "y.npy")
            X = np.lib.format.open_memmap(xp, "w+", dtype, (n, 56))
            y = np.lib.format.open_memmap(yp, "w+", dtype, (n, 1))
            rng = np.random.default_rng(0)
            for start in range(0, n, 1 << 18):
                part = rng.normal(size=(min(1 << 18, n - start), 56))
                X[start : start + len(part)] = part
                y[start : start + len(part), 0] = np.tanh(part[:, :4].sum(axis=1))
            X.flush()
            y.flush()
            del X, y
            env = dict(os.environ)
            src = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
            env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, xp, yp, str(steps)],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            )
            result = json.loads(done.stdout.strip().splitlines()[-1])
            results.append(
                {
                    "rows": n,
                    "file_mib": os.path.getsize(xp) / 2**20,
                    "steps": steps,
                    **result,
                }
            )
    return results
