"""The training loss fit records is measured on every k-th record, at most
``train_sample`` of them: checked against the loss computed here on X[::k]."""

import json
import math
import re

import numpy as np
import pytest

import bpnn
from helpers import interrupt_at_update
from helpers.zips import edit_config

RNG = np.random.default_rng(4)
X = RNG.normal(size=(1000, 5))
Y = np.sin(X @ RNG.normal(size=5))[:, None]


def network(dtype=np.float64):
    return bpnn.Network.from_sizes([5, 7, 1], ["tanh", "identity"], seed=3, dtype=dtype)


def losses_seen(X_fit, y_fit, X_ref, y_ref, dtype=np.float64, **kw):
    """Train; at each evaluation, the recorded training loss and the loss of
    the network at that moment on (X_ref, y_ref), computed independently."""
    net, seen = network(dtype), []

    def record(net, history):
        seen.append((history.train_loss[-1], net.loss(X_ref, y_ref)))

    kw = {"steps": 60, "batch_size": 16, "sampling": "random", **kw}
    history = net.fit(
        X_fit, y_fit, optimizer=bpnn.SGD(0.2), eval_every=20, seed=5,
        callback=record, **kw,
    )  # fmt: skip
    assert len(seen) == 3
    return net, history, seen


@pytest.mark.parametrize("limit", [64, 100, 999])
def test_the_training_loss_is_measured_on_every_kth_record(limit):
    k = math.ceil(len(X) / limit)
    net, history, seen = losses_seen(X, Y, X[::k], Y[::k], train_sample=limit)
    assert history.train_rows == len(X[::k]) <= limit
    for recorded, expected in seen:
        assert recorded == pytest.approx(expected, rel=1e-12)
    # and not on all records: the two differ
    assert history.train_loss[-1] != pytest.approx(net.loss(X, Y), rel=1e-6)


def test_the_initial_loss_for_divergence_checks_uses_the_same_sample():
    state = bpnn.TrainingState()
    net = network()
    initial = net.loss(X[::10], Y[::10])
    net.fit(X, Y, steps=5, batch_size=8, train_sample=100, state=state)
    assert state.initial_loss == pytest.approx(initial, rel=1e-12)


@pytest.mark.parametrize("limit", [None, len(X), len(X) + 1, 10**9])
def test_none_or_a_sample_as_large_as_the_data_measures_every_record(limit):
    _, history, seen = losses_seen(X, Y, X, Y, train_sample=limit)
    assert history.train_rows == len(X)
    for recorded, expected in seen:
        assert recorded == pytest.approx(expected, rel=1e-12)


def test_the_sample_leaves_training_unchanged():
    """The stride draws nothing from the random stream: same weights."""
    a, ha, _ = losses_seen(X, Y, X, Y, train_sample=50)
    b, hb, _ = losses_seen(X, Y, X, Y, train_sample=None)
    assert all(np.array_equal(p, q) for p, q in zip(a.params(), b.params()))
    assert ha.val_loss == hb.val_loss and ha.train_loss != hb.train_loss


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_memory_mapped_training_set_gives_the_same_losses(tmp_path, dtype):
    """float64 file: rows read from the file; float32 net: converted rows."""
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", Y)
    Xm = np.load(tmp_path / "X.npy", mmap_mode="r")
    ym = np.load(tmp_path / "y.npy", mmap_mode="r")
    kw = {"train_sample": 64, "dtype": dtype}
    ref = X[::16].astype(dtype), Y[::16].astype(dtype)
    net_m, hm, seen = losses_seen(Xm, ym, *ref, **kw)
    net_a, ha, _ = losses_seen(X, Y, *ref, **kw)
    assert hm.to_dict() == ha.to_dict() and hm.train_rows == 63
    assert all(np.array_equal(p, q) for p, q in zip(net_m.params(), net_a.params()))
    rel = 1e-12 if dtype == np.float64 else 1e-5
    for recorded, expected in seen:
        assert recorded == pytest.approx(expected, rel=rel)


@pytest.mark.parametrize(
    "value,error,words",
    [
        (0, ValueError, "train_sample must be > 0, got 0"),
        (-5, ValueError, "train_sample must be > 0, got -5"),
        (2.5, TypeError, "train_sample must be an int > 0, got 2.5"),
        (True, TypeError, "train_sample must be an int > 0, got True"),
        ("100", TypeError, "train_sample must be an int > 0, got '100'"),
    ],
)
def test_bad_train_sample_is_rejected(value, error, words):
    with pytest.raises(error, match=words):
        network().fit(X, Y, epochs=1, train_sample=value)


# -- interrupted runs -------------------------------------------------------------


def interrupted(monkeypatch, train_sample, at=23):
    """A run stopped by SIGINT at update ``at``: (net, optimizer, state)."""
    net, opt, state = network(), bpnn.Adam(0.01), bpnn.TrainingState()
    interrupt_at_update(monkeypatch, net, at)
    fit(net, opt, state, train_sample)
    monkeypatch.undo()
    assert state.history.stop_reason == "interrupted"
    return net, opt, state


def fit(net, opt, state=None, train_sample=64):
    return net.fit(
        X[:900], Y[:900], optimizer=opt, steps=60, batch_size=16,
        sampling="random", validation_data=(X[900:], Y[900:]), eval_every=10,
        seed=2, state=state, train_sample=train_sample,
    )  # fmt: skip


def test_a_resumed_run_with_a_sample_is_bit_identical(tmp_path, monkeypatch):
    whole_net = network()
    whole = fit(whole_net, bpnn.Adam(0.01))
    net, opt, state = interrupted(monkeypatch, 64)
    bpnn.save_checkpoint(tmp_path / "c.npz", net, opt, state)
    net, opt, state = bpnn.load_checkpoint(tmp_path / "c.npz")
    assert state.history.train_rows == 60  # 900 records, every 15th
    history = fit(net, opt, state)
    assert history.to_dict() == whole.to_dict()
    assert all(np.array_equal(p, q) for p, q in zip(net.params(), whole_net.params()))
    with pytest.raises(ValueError, match="started with train_sample=64, this call"):
        fit(*interrupted(monkeypatch, 64), train_sample=128)


def without_sample_fields(path):
    """Rewrite a checkpoint as one saved before train_sample existed."""

    def old(text):
        config = json.loads(text)
        del config["settings"]["train_sample"], config["history"]["train_rows"]
        return config

    edit_config(path, old)


def test_a_checkpoint_without_the_new_fields_loads_and_resumes(tmp_path, monkeypatch):
    whole_net = network()
    whole = fit(whole_net, bpnn.Adam(0.01), train_sample=None)
    net, opt, state = interrupted(monkeypatch, None)
    path = tmp_path / "old.npz"
    bpnn.save_checkpoint(path, net, opt, state)
    without_sample_fields(path)
    net, opt, state = bpnn.load_checkpoint(path)
    assert state.history.train_rows is None and "train_sample" not in state.settings
    # such a run measured every record: continuing it so is allowed, and exact
    history = fit(net, opt, state, train_sample=None)
    assert history.train_loss == whole.train_loss and history.train_rows == 900
    assert all(np.array_equal(p, q) for p, q in zip(net.params(), whole_net.params()))
    old = whole.to_dict()
    del old["train_rows"]
    assert bpnn.History(**old).train_rows is None


# -- the command line -------------------------------------------------------------


def bike_run(tmp_path, name, *options):
    pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    from bpnn.cli import main

    out = tmp_path / name
    args = ["train", "bike", "--steps", "100", "--eval-every", "50", "--quiet"]
    assert main([*args, *options, "--out", str(out)]) == 0
    record = json.loads((out / "metrics.json").read_text())
    last = (out / "history.csv").read_text().splitlines()[-1].split(",")
    return record, float(last[2]), bpnn.load(out / "model.npz")


def test_bpnn_train_records_the_sample_it_measured(tmp_path, capsys):
    from bpnn.data.datasets import load_bike_sharing

    data = load_bike_sharing()
    X_train, y_train = data.X_train, data.y_train[:, None]
    record, last, net = bike_run(tmp_path, "sampled", "--train-sample", "1000")
    assert record["hyperparameters"]["train_sample"] == 1000
    k = math.ceil(len(X_train) / 1000)  # 16: 965 records
    assert record["train_loss_records"] == len(X_train[::k]) <= 1000
    assert record["train_records"] == len(X_train)
    assert last == pytest.approx(net.loss(X_train[::k], y_train[::k]), rel=1e-12)
    # the metrics stay on every record: the lecture's half MSE is half of it
    assert record["metrics"]["train_mse"] == pytest.approx(
        2 * net.loss(X_train, y_train), rel=1e-12
    )
    record, last, _ = bike_run(tmp_path, "all", "--train-sample", "0")
    assert record["train_loss_records"] == record["train_records"] == len(X_train)
    assert last == pytest.approx(record["metrics"]["train_mse"] / 2, rel=1e-12)


def test_the_loss_plot_says_when_the_training_loss_was_sampled():
    from bpnn.apps.plots import train_loss_label

    history = bpnn.History(train_rows=3859)
    assert train_loss_label(history, 15435) == (
        "training loss (3,859 of 15,435 records)"
    )
    assert train_loss_label(bpnn.History(train_rows=400), 400) == "training loss"
    assert train_loss_label(bpnn.History(), 400) == "training loss"


@pytest.mark.parametrize("value", ["-1", "many", "2.5"])
def test_a_bad_train_sample_on_the_command_line_is_one_line(capsys, value):
    from bpnn.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["train", "bike", "--train-sample", value])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("bpnn: error: argument --train-sample: expected a number")
    assert err.count("\n") == 1 and repr(value) in err


@pytest.mark.parametrize("limit,label", [(100, "train sample="), (None, "train=")])
def test_the_progress_bar_says_when_the_training_loss_is_a_sample(capsys, limit, label):
    pytest.importorskip("tqdm")
    network().fit(X, Y, steps=40, batch_size=16, eval_every=20, train_sample=limit,
                  progress=True)  # fmt: skip
    err = capsys.readouterr().err
    assert label in err
    if limit is None:
        assert "train sample=" not in err


def test_the_progress_bar_names_the_half_mse_and_shows_the_mse_beside_it(capsys):
    pytest.importorskip("tqdm")
    net = network()
    assert net.loss_fn.name == "half_mse"
    net.fit(X, Y, steps=20, batch_size=16, eval_every=20, progress=True,
            validation_data=(X[:50], Y[:50]))  # fmt: skip
    err = capsys.readouterr().err
    last = err.replace("\r", "\n").strip().splitlines()[-1]
    assert "loss=½·MSE" in last
    train = float(re.search(r"train(?: sample)?=([0-9.e-]+)", last).group(1))
    mse = re.search(r"MSE=([0-9.e-]+)/([0-9.e-]+)", last)
    assert mse and float(mse.group(1)) == pytest.approx(2 * train, rel=1e-3)
