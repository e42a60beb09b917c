"""An interrupted run, saved and continued, ends bit-identical to one that
was never interrupted: weights, optimizer state, random stream, history."""

import signal

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import bpnn
from bpnn.train import checkpoint
from helpers import interrupt_at_update

RNG = np.random.default_rng(1)
X = RNG.normal(size=(90, 4))
Y = np.tanh(X @ RNG.normal(size=4))[:, None]

# (sampling, length and batch) covering every schedule of fit
SCHEDULES = {
    "shuffled epochs": {"sampling": "shuffle", "epochs": 12, "batch_size": 16},
    "steps over shuffled epochs": {
        "sampling": "shuffle",
        "steps": 40,
        "batch_size": 16,
    },
    "random steps": {"sampling": "random", "steps": 40, "batch_size": 8},
    "random epochs": {"sampling": "random", "epochs": 6, "batch_size": 32},
    "per record": {"sampling": "per_record", "epochs": 12},
}
OPTIMIZERS = {
    "sgd momentum": lambda: bpnn.SGD(0.3, momentum=0.8),
    "adam": lambda: bpnn.Adam(0.02),
}


def network(dtype=np.float64):
    return bpnn.Network.from_sizes([4, 6, 1], ["tanh", "identity"], seed=7, dtype=dtype)


def train(net, optimizer, state=None, **kw):
    return net.fit(
        X[:70],
        Y[:70],
        optimizer=optimizer,
        validation_data=(X[70:], Y[70:]),
        eval_every=3,
        seed=11,
        state=state,
        **kw,
    )


def run_interrupted_and_resumed(tmp_path, monkeypatch, make_opt, kw, at, dtype):
    net, opt, state = network(dtype), make_opt(), bpnn.TrainingState()
    # a per-record epoch is one train_step too: the same interruption
    interrupt_at_update(monkeypatch, net, at)
    first = train(net, opt, state, **kw)
    monkeypatch.undo()
    assert first.stop_reason == "interrupted"
    assert "interrupted by SIGINT after" in first.message
    path = tmp_path / "checkpoint.npz"
    bpnn.save_checkpoint(path, net, opt, state)
    net2, opt2, state2 = bpnn.load_checkpoint(path)
    assert state2.done == state.done and 0 < state.done
    history = train(net2, opt2, state2, **kw)
    return net2, opt2, history


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("schedule", list(SCHEDULES))
def test_a_resumed_run_is_bit_identical_to_an_uninterrupted_one(
    tmp_path, monkeypatch, schedule, optimizer
):
    kw, make_opt = SCHEDULES[schedule], OPTIMIZERS[optimizer]
    whole_net, whole_opt = network(), make_opt()
    whole = train(whole_net, whole_opt, **kw)
    at = 5 if kw["sampling"] != "per_record" else 4  # not on an evaluation
    net, opt, history = run_interrupted_and_resumed(
        tmp_path, monkeypatch, make_opt, kw, at, np.float64
    )
    for p, q in zip(net.params(), whole_net.params()):
        assert np.array_equal(p, q)
    assert history.to_dict() == whole.to_dict()
    a, b = opt.state_dict(), whole_opt.state_dict()
    assert a["config"] == b["config"]
    assert a["slots"].keys() == b["slots"].keys() and b["slots"]
    for slot in b["slots"]:
        for x, y in zip(a["slots"][slot], b["slots"][slot], strict=True):
            assert np.array_equal(x, y)


def test_resume_in_float32_with_early_stopping(tmp_path, monkeypatch):
    kw = {"sampling": "shuffle", "epochs": 60, "batch_size": 8, "patience": 2}
    make_opt = lambda: bpnn.SGD(0.3, momentum=0.9)
    whole_net = network(np.float32)
    whole = train(whole_net, make_opt(), **kw)
    assert whole.stop_reason == "early_stopping"
    # update 219 falls in epoch 25: after an evaluation that did not improve,
    # before the one that stops, so the patience count must survive the resume
    net, _, history = run_interrupted_and_resumed(
        tmp_path, monkeypatch, make_opt, kw, at=219, dtype=np.float32
    )
    assert history.to_dict() == whole.to_dict()
    for p, q in zip(net.params(), whole_net.params()):
        assert p.dtype == np.float32 and np.array_equal(p, q)


def test_resuming_with_other_arguments_is_refused(tmp_path, monkeypatch):
    net, opt, state = network(), bpnn.Adam(0.01), bpnn.TrainingState()
    interrupt_at_update(monkeypatch, net, 3)
    train(net, opt, state, sampling="shuffle", epochs=5, batch_size=16)
    with pytest.raises(
        ValueError,
        match=r"cannot resume: the run was started with "
        r"batch=16, this call gives batch=32",
    ):
        train(net, opt, state, sampling="shuffle", epochs=5, batch_size=32)


def test_resuming_a_finished_run_changes_nothing():
    net, opt, state = network(), bpnn.SGD(0.1), bpnn.TrainingState()
    train(net, opt, state, epochs=3)
    before = [p.copy() for p in net.params()]
    history = train(net, opt, state, epochs=3)
    assert history.stop_reason == "completed" and state.finished
    assert all(np.array_equal(p, q) for p, q in zip(net.params(), before))


def test_a_second_ctrl_c_stops_at_once(monkeypatch):
    net = network()
    real, calls = net.train_step, []

    def step(*args):
        calls.append(1)
        if len(calls) in (2, 3):
            signal.raise_signal(signal.SIGINT)
        return real(*args)

    monkeypatch.setattr(net, "train_step", step)
    with pytest.raises(KeyboardInterrupt):
        train(net, bpnn.SGD(0.1), epochs=5, batch_size=8)
    assert len(calls) == 3


def test_sigterm_interrupts_like_ctrl_c(monkeypatch):
    net, state = network(), bpnn.TrainingState()
    real = net.train_step
    monkeypatch.setattr(
        net, "train_step", lambda *a: (signal.raise_signal(signal.SIGTERM), real(*a))[1]
    )
    history = train(net, bpnn.SGD(0.1), state, epochs=5, batch_size=70)
    assert history.stop_reason == "interrupted" and state.signal == signal.SIGTERM
    assert "SIGTERM after epoch 1 of 5" in history.message
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


@pytest.mark.parametrize(
    "tamper,words",
    [
        ("rng", "unknown random generator 'os.system'"),
        ("order", "order is not a permutation of 70 records"),
        ("optimizer", "unknown optimizer 'lbfgs'"),
        ("format", "written by a newer bpnn"),
    ],
)
def test_tampered_checkpoints_are_rejected(tmp_path, monkeypatch, tamper, words):
    import json

    from helpers.zips import members, rewrite

    net, opt, state = network(), bpnn.Adam(0.01), bpnn.TrainingState()
    interrupt_at_update(monkeypatch, net, 3)
    train(net, opt, state, sampling="shuffle", steps=10, batch_size=16)
    path = tmp_path / "checkpoint.npz"
    bpnn.save_checkpoint(path, net, opt, state)
    content = members(path)
    config = json.loads(content["config.json"])
    if tamper == "rng":
        config["rng"]["bit_generator"] = "os.system"
    elif tamper == "optimizer":
        config["optimizer"]["name"] = "lbfgs"
    elif tamper == "format":
        config["format_version"] = checkpoint.FORMAT_VERSION + 1
    else:
        buf = __import__("io").BytesIO()
        np.lib.format.write_array(buf, np.zeros(70, np.int64))
        content["order.npy"] = buf.getvalue()
    content["config.json"] = json.dumps(config)
    rewrite(path, content)
    with pytest.raises(bpnn.ModelFileError, match=words):
        bpnn.load_checkpoint(path)


@pytest.fixture(scope="module")
def checkpoint_bytes(tmp_path_factory):
    net, opt, state = network(), bpnn.Adam(0.01), bpnn.TrainingState()
    train(net, opt, state, sampling="shuffle", steps=10, batch_size=16, patience=3)
    path = tmp_path_factory.mktemp("ck") / "checkpoint.npz"
    bpnn.save_checkpoint(path, net, opt, state)
    return path.read_bytes()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_damaged_checkpoints_never_load_silently(tmp_path, checkpoint_bytes, data):
    raw = bytearray(checkpoint_bytes)
    if data.draw(st.booleans(), label="truncate"):
        raw = raw[: data.draw(st.integers(0, len(raw) - 1), label="length")]
    else:
        for _ in range(data.draw(st.integers(1, 4), label="bytes changed")):
            i = data.draw(st.integers(0, len(raw) - 1), label="offset")
            raw[i] ^= data.draw(st.integers(1, 255), label="xor")
    path = tmp_path / "damaged.npz"
    path.write_bytes(bytes(raw))
    try:
        net, _, state = bpnn.load_checkpoint(path)
    except bpnn.ModelFileError:
        event("rejected")
        return
    event("unchanged")
    good, _, good_state = bpnn.load_checkpoint(_write(tmp_path, checkpoint_bytes))
    assert all(np.array_equal(p, q) for p, q in zip(net.params(), good.params()))
    assert state.history == good_state.history and state.step == good_state.step
    assert state.rng.bit_generator.state == good_state.rng.bit_generator.state


def _write(tmp_path, raw):
    path = tmp_path / "good.npz"
    path.write_bytes(raw)
    return path


def test_fit_resumable_saves_on_interruption_continues_and_cleans_up(
    tmp_path, monkeypatch
):
    kw = {
        "epochs": 12,
        "batch_size": 16,
        "validation_data": (X[70:], Y[70:]),
        "eval_every": 3,
        "seed": 11,
    }
    whole = network()
    whole_history = whole.fit(X[:70], Y[:70], optimizer=bpnn.Adam(0.02), **kw)
    path = tmp_path / "run" / "checkpoint.npz"
    net = network()
    interrupt_at_update(monkeypatch, net, 20)
    _, _, history, state = bpnn.fit_resumable(
        path, net, X[:70], Y[:70], bpnn.Adam(0.02), {"dataset": "toy"}, **kw
    )
    monkeypatch.undo()
    assert history.stop_reason == "interrupted" and path.exists()
    net, opt, history, state = bpnn.fit_resumable(path, network(), X[:70], Y[:70], **kw)
    assert state.extra == {"dataset": "toy"} and opt.name == "adam"
    assert history.to_dict() == whole_history.to_dict()
    assert all(np.array_equal(p, q) for p, q in zip(net.params(), whole.params()))
    assert not path.exists()
