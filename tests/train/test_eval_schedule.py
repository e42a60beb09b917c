"""The default evaluation schedule: what is measured when, on how many rows.

Counted, not timed: every row a loss is computed on passes through
``network._loss``, which is wrapped here to count them."""

import numpy as np
import pytest

import bpnn
from bpnn.train import settings

RNG = np.random.default_rng(6)


def data(n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, np.tanh(X @ np.array([1.0, -2.0, 0.5]))[:, None]


def counted_fit(X, y, **kw):
    """fit, returning (history, rows of each loss computation in order)."""
    net = bpnn.Network.from_sizes([3, 4, 1], ["tanh", "identity"], seed=0)
    real, rows = net._loss, []

    def loss(xb, yb):
        rows.append(len(xb))
        return real(xb, yb)

    net._loss = loss
    kw = {"optimizer": bpnn.SGD(0.05), "seed": 1, **kw}
    return net.fit(X, y, **kw), rows


def test_cheap_evaluations_keep_about_a_hundred():
    X, y = data(200)
    h, rows = counted_fit(X, y, steps=10_000, batch_size=32, sampling="random")
    # 200 rows an evaluation, 100 of them: 20,000 rows of 320,000 trained
    assert h.step == list(range(100, 10_001, 100))
    assert sum(rows) == 200 * (1 + 100)  # the initial loss, then each one


def test_costly_evaluations_are_fewer_within_a_quarter_of_the_training():
    X, y = data(1000)
    h, rows = counted_fit(X, y, steps=600, batch_size=128, sampling="random")
    trained = 600 * 128
    # 1000 rows an evaluation; a quarter of 76,800 rows affords 19 of them:
    # one every ceil(600 / 19) = 32 steps, and one after the last
    assert h.step == [*range(32, 600, 32), 600]
    assert sum(rows[1:]) == 1000 * len(h) <= settings.EVAL_SHARE * trained
    assert h.train_rows == 1000 and h.val_rows is None


def test_large_sets_are_measured_on_strided_samples():
    X, y = data(20_000)
    Xv, yv = data(6_000, seed=1)
    seen = []
    ref = bpnn.Network.from_sizes([3, 4, 1], ["tanh", "identity"], seed=0)

    def check(net, history):  # the losses of these weights, on ref (uncounted)
        for p, q in zip(ref.params(), net.params()):
            p[...] = q
        seen.append((history.val_loss[-1], ref.loss(Xv[::2], yv[::2])))
        seen.append((history.train_loss[-1], ref.loss(X[::5], y[::5])))

    h, rows = counted_fit(
        X, y, epochs=2, batch_size=64, validation_data=(Xv, yv), callback=check
    )
    # every 5th training row (4,000 <= 4,096), every 2nd validation row (3,000)
    assert (h.train_rows, h.val_rows) == (4000, 3000)
    for recorded, expected in seen:
        assert recorded == pytest.approx(expected, rel=1e-12)
    # 40,000 rows trained afford 10,000 evaluated: one evaluation, the last
    assert h.epoch == [2] and sum(rows) == 4000 + 7000


def test_without_patience_the_schedule_leaves_the_weights_alone():
    X, y = data(3000)
    nets = []
    for every in (None, 1, 600):
        net = bpnn.Network.from_sizes([3, 4, 1], ["tanh", "identity"], seed=0)
        net.fit(X, y, optimizer=bpnn.Adam(0.01), steps=600, batch_size=32,
                sampling="random", seed=2, eval_every=every)  # fmt: skip
        nets.append(net.params())
    for other in nets[1:]:
        assert all(np.array_equal(p, q) for p, q in zip(nets[0], other))


def test_the_progress_bar_says_when_the_validation_loss_is_a_sample(capsys):
    pytest.importorskip("tqdm")
    X, y = data(1000)
    Xv, yv = data(5000, seed=1)
    bpnn.Network.from_sizes([3, 4, 1], ["tanh", "identity"], seed=0).fit(
        X, y, steps=20, batch_size=16, eval_every=10, progress=True,
        validation_data=(Xv, yv),
    )  # fmt: skip
    err = capsys.readouterr().err
    assert "val sample=" in err and "train=" in err


def test_explicit_arguments_win():
    X, y = data(20_000)
    Xv, yv = data(6_000, seed=1)
    h, rows = counted_fit(
        X, y, epochs=2, batch_size=64, validation_data=(Xv, yv), eval_every=1,
        train_sample=None, val_sample=None,
    )  # fmt: skip
    assert h.epoch == [1, 2] and (h.train_rows, h.val_rows) == (20_000, 6_000)
    assert sum(rows) == 20_000 + 2 * 26_000


@pytest.mark.parametrize(
    "steps,n,n_val", [(600, 1000, 0), (10_000, 100_000, 15_000),
                      (100_000, 1_000_000, 150_000), (600, 1_000_000, 150_000)],
)  # fmt: skip
def test_the_rule_keeps_evaluations_within_budget(steps, n, n_val):
    """Computed on the settings alone, for the sizes the benchmark runs."""
    s = settings.FitSettings(
        sampling="random", unit="step", units=steps, per_unit=1, batch=128,
        n=n, n_val=n_val, eval_every=0, patience=None, seed=0,
        train_sample=settings.TRAIN_SAMPLE, val_sample=settings.VAL_SAMPLE,
    )  # fmt: skip
    every = settings.default_eval_every(s)
    evaluations = steps // every + (steps % every != 0)
    assert 1 <= evaluations <= settings.EVALUATIONS
    assert s.rows_per_evaluation() <= 2 * 4096
    # within the share, but for the final evaluation every run gets
    assert (evaluations - 1) * s.rows_per_evaluation() <= 0.25 * steps * 128


def test_a_resumed_run_keeps_the_schedule_it_was_started_with(monkeypatch):
    from helpers import interrupt_at_update

    X, y = data(300)
    kw = {"steps": 60, "batch_size": 64, "sampling": "random"}
    net, opt, state = None, bpnn.SGD(0.05), bpnn.TrainingState()
    net = bpnn.Network.from_sizes([3, 4, 1], ["tanh", "identity"], seed=0)
    interrupt_at_update(monkeypatch, net, 20)
    net.fit(X, y, optimizer=opt, seed=1, state=state, **kw)
    monkeypatch.undo()
    # 300 rows an evaluation, 3,840 rows trained afford 3: one every 20 steps
    assert state.settings["eval_every"] == 20 and state.history.step == [20]
    state.settings["eval_every"] = 7  # as if an older rule had chosen it
    with pytest.raises(ValueError, match="started with eval_every=7, this call"):
        net.fit(X, y, optimizer=opt, seed=1, state=state, eval_every=20, **kw)
    h = net.fit(X, y, optimizer=opt, seed=1, state=state, **kw)
    assert h.step == [20, 21, 28, 35, 42, 49, 56, 60]


def test_the_loss_plot_says_when_the_validation_loss_was_sampled():
    from bpnn.apps.plots import train_loss_label

    history = bpnn.History(train_rows=900, val_rows=3000)
    assert train_loss_label(history, 6000, "validation") == (
        "validation loss (3,000 of 6,000 records)"
    )
    assert train_loss_label(history, 900) == "training loss"
    assert train_loss_label(bpnn.History(), 400, "validation") == "validation loss"


def test_bpnn_train_says_on_how_many_records_each_loss_was_measured(tmp_path):
    pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    import json

    from bpnn.cli import main

    out = tmp_path / "run"
    args = ["train", "bike", "--steps", "40", "--eval-every", "20", "--quiet"]
    assert main([*args, "--out", str(out)]) == 0
    record = json.loads((out / "metrics.json").read_text())
    # the course's 60 days of validation hours: fewer than val_sample, all of them
    assert record["val_loss_records"] == record["val_records"] == 1440
    assert record["train_loss_records"] < record["train_records"]
