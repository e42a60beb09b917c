"""Trajectories: one accurate-preset run per seed, trained without early
stopping for all of the preset's 20,000 steps, recording at every evaluation
(every 100 updates) the predictions on the validation and test splits and
the elapsed time. Same network, data, sampler, optimizer and lr decay as
`bpnn.apps.run.fit_network` (which is copied here with one more callback).

From these, analyse.py replays early stopping (patience 31 on the validation
MSE) for single runs and for ensembles whose members are trained in lockstep
and stopped on the validation MSE of the averaged prediction.

    python traj.py SEED...
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np

from bpnn.apps.presets import preset
from bpnn.apps.run import build_network, build_optimizer, network_targets
from bpnn.data.datasets import load_bike_sharing

OUT = Path(__file__).resolve().parent / "out" / "traj"
OUT.mkdir(parents=True, exist_ok=True)


def trajectory(data, seed, name="accurate", **changes):
    cfg = preset("bike", "accurate").updated(seed=seed, patience=None, **changes)
    net, opt = build_network(cfg, data), build_optimizer(cfg)
    steps, times, val, test = [], [], [], []
    start = time.perf_counter()

    def callback(network, history):
        opt.lr *= cfg.lr_decay  # the preset's schedule, as fit_network does it
        steps.append(history.step[-1])
        times.append(time.perf_counter() - start)  # before the extra predicts
        val.append(network.predict(data.X_val)[:, 0])
        test.append(network.predict(data.X_test)[:, 0])

    net.fit(
        data.X_train,
        network_targets(net, data.y_train),
        optimizer=opt,
        steps=cfg.steps,
        batch_size=cfg.batch_size,
        sampling=cfg.sampling,
        validation_data=(data.X_val, network_targets(net, data.y_val)),
        eval_every=cfg.eval_every,
        patience=None,
        seed=cfg.seed,
        callback=callback,
        train_sample=cfg.train_sample or None,
    )
    np.savez(
        OUT / f"{name}__{seed}.npz",
        steps=np.array(steps),
        times=np.array(times),
        val=np.array(val),
        test=np.array(test),
    )


def main(argv):
    data = load_bike_sharing()
    for seed in map(int, argv):
        if (OUT / f"accurate__{seed}.npz").exists():
            continue
        t = time.perf_counter()
        trajectory(data, seed)
        print(f"seed {seed}: {time.perf_counter() - t:.1f}s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
