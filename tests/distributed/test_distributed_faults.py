"""Faults: a worker process killed mid-training leaves a correct run; a
scheduler that goes away stops the run, which then resumes exactly."""

import os
import signal

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

import bpnn
import bpnn.distributed as bd
from bpnn.distributed.training import Trainer


def data(n=800):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 3))
    y = (X @ [1.0, -2.0, 0.5] + rng.normal(0, 0.3, n) > 0).astype(float)
    return X, y


def net():
    return bpnn.Network.from_sizes([3, 4, 1], ["tanh", "sigmoid"], seed=1, loss="bce")


def max_diff(a, b):
    return max(float(np.abs(p - q).max()) for p, q in zip(a.params(), b.params()))


def test_a_worker_process_killed_mid_training_leaves_a_correct_run():
    X, y = data()
    args = {"epochs": 12, "seed": 0, "eval_every": 1, "optimizer_lr": 1.0}
    lr = args.pop("optimizer_lr")
    here = net()
    h1 = here.fit(X, y, optimizer=bpnn.SGD(lr), **args)
    killed = []

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):

        def kill_a_worker(network, history):
            if len(history) == 4:  # after the 4th update
                pids = client.run(os.getpid)
                killed.append(min(pids.values()))
                os.kill(killed[0], signal.SIGKILL)

        there = net()
        Xd = da.from_array(X, chunks=(200, 3))
        h2 = bd.fit(
            there,
            Xd,
            y,
            client=client,
            optimizer=bpnn.SGD(lr),
            callback=kill_a_worker,
            **args,
        )
        alive = client.run(os.getpid).values()
    assert killed and killed[0] not in alive
    assert h2.stop_reason == "completed" and h2.step == h1.step
    np.testing.assert_allclose(h2.train_loss, h1.train_loss, rtol=1e-12)
    assert max_diff(here, there) < 1e-12


def test_a_lost_scheduler_stops_the_run_which_resumes_exactly(monkeypatch, tmp_path):
    X, y = data(400)
    args = {"epochs": 5, "batch_size": 100, "seed": 2, "eval_every": 1}
    whole = net()
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        Xd = da.from_array(X, chunks=(100, 3))
        bd.fit(whole, Xd, y, client=client, optimizer=bpnn.Adam(0.05), **args)

        real, calls = Trainer.update, []

        def update(self, *a):
            calls.append(1)
            if len(calls) == 11:  # the 3rd update of epoch 3
                cluster.close()
            return real(self, *a)

        monkeypatch.setattr(Trainer, "update", update)
        first, opt, state = net(), bpnn.Adam(0.05), bpnn.TrainingState()
        h = bd.fit(first, Xd, y, client=client, optimizer=opt, state=state, **args)
        monkeypatch.undo()
    print(h.message)
    assert h.stop_reason == "interrupted" and "lost the Dask scheduler" in h.message
    # back to the end of epoch 2: its weights, its optimizer, its count
    assert (state.done, state.step, opt.t) == (2, 8, 8) and not state.finished
    assert h.step == [1 * 4, 2 * 4]
    bpnn.save_checkpoint(tmp_path / "c.npz", first, opt, state)
    network, opt, state = bpnn.load_checkpoint(tmp_path / "c.npz")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        Xd = da.from_array(X, chunks=(100, 3))
        h = bd.fit(network, Xd, y, client=client, optimizer=opt, state=state, **args)
    assert h.stop_reason == "completed" and h.step == [4, 8, 12, 16, 20]
    assert max_diff(network, whole) == 0
