"""``bpnn.distributed.fit`` against the in-memory ``bpnn.fit``: the same
weights and losses, update by update, on a LocalCluster of threads."""

import signal

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

import bpnn
import bpnn.distributed as bd
from bpnn.errors import InputError


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def data(n=600, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (X @ [1.0, -2.0, 0.5] + rng.normal(0, 0.3, n) > 0).astype(float)
    return X, y


def net(**kw):
    return bpnn.Network.from_sizes([3, 4, 1], ["tanh", "sigmoid"], seed=1, **kw)


def max_diff(a, b):
    return max(float(np.abs(p - q).max()) for p, q in zip(a.params(), b.params()))


@pytest.mark.parametrize(
    ("sampling", "optimizer", "loss"),
    [
        ("per_record", lambda: bpnn.SGD(2.0), "half_mse"),
        ("shuffle", lambda: bpnn.SGD(1.0, momentum=0.9), "bce"),
        ("shuffle", lambda: bpnn.Adam(0.05), "bce"),
    ],
)
def test_full_batch_and_per_record_equal_in_memory_fit(
    client, sampling, optimizer, loss
):
    X, y = data()
    X_val, y_val = data(100, seed=1)
    args = {
        "epochs": 40,
        "sampling": sampling,
        "seed": 0,
        "eval_every": 4,
        "validation_data": (X_val, y_val),
    }
    here, there = net(loss=loss), net(loss=loss)
    h1 = here.fit(X, y, optimizer=optimizer(), **args)
    chunked = (da.from_array(X, chunks=(170, 3)), da.from_array(y, chunks=170))
    h2 = bd.fit(there, *chunked, client=client, optimizer=optimizer(), **args)
    print("max weight difference", max_diff(here, there))
    assert max_diff(here, there) < 1e-12
    assert h1.step == h2.step and h1.epoch == h2.epoch
    np.testing.assert_allclose(h2.train_loss, h1.train_loss, rtol=1e-12, atol=0)
    np.testing.assert_allclose(h2.val_loss, h1.val_loss, rtol=1e-12, atol=0)
    assert h2.stop_reason == "completed" and h2.train_loss[-1] < h2.train_loss[0]


def test_sampled_training_loss_and_patience_follow_fit(client):
    X, y = data(950)
    args = {
        "epochs": 30,
        "seed": 0,
        "eval_every": 2,
        "patience": 1,
        "train_sample": 100,
    }
    here, there = net(), net()
    h1 = here.fit(X, y, optimizer=bpnn.SGD(50.0), **args)
    h2 = bd.fit(
        there,
        da.from_array(X, chunks=(250, 3)),
        y,
        client=client,
        optimizer=bpnn.SGD(50.0),
        **args,
    )
    assert h2.train_rows == h1.train_rows == 95
    assert (h1.stop_reason, h1.best_index) == (h2.stop_reason, h2.best_index)
    np.testing.assert_allclose(h2.train_loss, h1.train_loss, rtol=1e-12)
    assert max_diff(here, there) < 1e-12


@pytest.mark.parametrize(
    "optimizer", [lambda: bpnn.SGD(0.5, momentum=0.9), lambda: bpnn.Adam(0.02)]
)
def test_each_data_parallel_step_is_the_in_memory_step_on_the_union(client, optimizer):
    X, y = data(500)
    rows, batch, steps = (150, 150, 120, 80), 50, 20  # 10 steps an epoch
    there = net()
    bd.fit(
        there,
        da.from_array(X, chunks=(rows, 3)),
        y,
        client=client,
        optimizer=optimizer(),
        epochs=2,
        batch_size=batch,
        seed=7,
    )
    here, opt = net(), optimizer()
    seen = []
    for s in range(steps):
        idx = bd.batch_rows(rows, 7, s // 10, s % 10, batch)
        seen.append(idx)
        here.train_step(X[idx], y[idx, None], opt)
    print("max weight difference", max_diff(here, there))
    assert max_diff(here, there) < 1e-12
    # an epoch's steps cover every row once; the next epoch reshuffles
    assert np.array_equal(np.sort(np.concatenate(seen[:10])), np.arange(500))
    assert all(len(i) == 50 for i in seen)
    assert not np.array_equal(seen[0], seen[10])


def test_mini_batches_are_the_same_for_a_seed_and_a_chunking(client):
    X, y = data(400)
    runs = []
    for seed in (3, 3, 4):
        there = net()
        bd.fit(
            there,
            da.from_array(X, chunks=(100, 3)),
            y,
            client=client,
            epochs=2,
            batch_size=40,
            seed=seed,
            optimizer=bpnn.Adam(0.01),
        )
        runs.append(there.params())
    assert all(np.array_equal(a, b) for a, b in zip(runs[0], runs[1]))
    assert not all(np.array_equal(a, b) for a, b in zip(runs[0], runs[2]))


def test_interrupted_run_resumes_to_the_uninterrupted_weights(client, tmp_path):
    X, y = data(400)
    Xd = da.from_array(X, chunks=(100, 3))
    args = {"epochs": 6, "batch_size": 50, "seed": 5, "eval_every": 1}
    whole = net()
    bd.fit(whole, Xd, y, client=client, optimizer=bpnn.Adam(0.02), **args)

    def ctrl_c(network, history):
        if len(history) == 2:
            signal.raise_signal(signal.SIGINT)

    first, opt, state = net(), bpnn.Adam(0.02), bpnn.TrainingState()
    h = bd.fit(
        first,
        Xd,
        y,
        client=client,
        optimizer=opt,
        callback=ctrl_c,
        state=state,
        **args,
    )
    assert h.stop_reason == "interrupted" and state.done == 2 and not state.finished
    bpnn.save_checkpoint(tmp_path / "c.npz", first, opt, state)
    network, opt, state = bpnn.load_checkpoint(tmp_path / "c.npz")
    h = bd.fit(network, Xd, y, client=client, optimizer=opt, state=state, **args)
    assert h.stop_reason == "completed" and h.step[-1] == 6 * 8
    assert max_diff(network, whole) == 0


def test_what_dask_cannot_do_is_a_clear_error(client):
    X, y = data(400)
    Xd = da.from_array(X, chunks=(100, 3))
    with pytest.raises(InputError, match="sampling='random' is not offered"):
        bd.fit(net(), Xd, y, client=client, sampling="random", steps=3, batch_size=8)
    with pytest.raises(InputError, match="batch_size >= 4"):
        bd.fit(net(), Xd, y, client=client, epochs=1, batch_size=2)
    with pytest.raises(InputError, match="give epochs=, not steps="):
        bd.fit(net(), Xd, y, client=client, steps=3, batch_size=50)
    with pytest.raises(InputError, match="3 features"):
        bd.fit(net(), Xd[:, :2], y, client=client, epochs=1)
    with pytest.raises(ValueError, match="one target per record"):
        bd.fit(net(), Xd, y[:10], client=client, epochs=1)
