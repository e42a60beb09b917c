"""Model files stay readable across versions and never load damaged.

``tests/files/old_models/model_v1_*.npz`` were written once by ``bpnn.files.model.save`` of format
version 1 (with ``extra``), and ``model_v1_expected.json`` holds the
architecture and the predictions those networks gave at the time.
"""

import io
import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import bpnn
from helpers.zips import members, rewrite

DATA = Path(__file__).parent / "old_models"
GOLDEN = ["model_v1_float64.npz", "model_v1_float32_softmax.npz"]


@pytest.mark.parametrize("name", GOLDEN)
def test_files_of_format_1_keep_loading(name):
    expected = json.loads((DATA / "model_v1_expected.json").read_text())
    net = bpnn.load(DATA / name)
    assert repr(net) == expected[name]["repr"]
    assert net.extra == {"note": "written by format 1", "columns": ["a", "b", "c"]}
    got = net.predict(np.array(expected["X"]))
    np.testing.assert_allclose(
        got, expected[name]["predict"], rtol=1e-6 if net.dtype == np.float32 else 1e-13
    )


# -- damaged and tampered files --------------------------------------------------


def saved(tmp_path, name="model.npz"):
    net = bpnn.Network.from_sizes([3, 4, 2], ["tanh", "sigmoid"], seed=3)
    path = tmp_path / name
    bpnn.files.model.save(net, path, extra={"columns": ["a", "b", "c"]})
    return net, path


def npy(arr, allow_pickle=False):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, arr, allow_pickle=allow_pickle)
    return buf.getvalue()


def with_config(content, **changes):
    config = json.loads(content["config.json"])
    config.update(changes)
    return {**content, "config.json": json.dumps(config)}


def layer_changed(content, i, **changes):
    config = json.loads(content["config.json"])
    config["layers"][i].update(changes)
    return {**content, "config.json": json.dumps(config)}


TAMPERED = {
    "weights of the wrong shape": (
        lambda c: {**c, "W0.npy": npy(np.zeros((4, 3)))},
        r"W0 has shape \(4, 3\)",
    ),
    "weights of the wrong dtype": (
        lambda c: {**c, "b1.npy": npy(np.zeros(2, np.float32))},
        "dtype float32",
    ),
    "a config that lies about a size": (
        lambda c: layer_changed(layer_changed(c, 0, n_out=5), 1, n_in=5),
        r"W0 has shape \(3, 4\) and dtype float64; the config says \(3, 5\)",
    ),
    "a config whose layers do not chain": (
        lambda c: layer_changed(c, 0, n_out=5),
        "do not chain",
    ),
    "a config with absurd sizes": (
        lambda c: layer_changed(c, 0, n_in=10**9),
        "only 224 bytes",
    ),
    "an unknown activation": (
        lambda c: layer_changed(c, 1, activation="swish"),
        "unknown activation",
    ),
    "a missing array": (
        lambda c: {k: v for k, v in c.items() if k != "b0.npy"},
        "b0 is missing",
    ),
    "an array the config does not describe": (
        lambda c: {**c, "W2.npy": npy(np.zeros((2, 2)))},
        "W2.npy",
    ),
    "NaN weights": (
        lambda c: {**c, "W1.npy": npy(np.full((4, 2), np.nan))},
        "W1 holds NaN",
    ),
    "a pickled array": (
        lambda c: {
            **c,
            "W0.npy": npy(
                np.array([None] * 12, object).reshape(3, 4), allow_pickle=True
            ),
        },
        "dtype object",
    ),
    "a newer format": (lambda c: with_config(c, format_version=2), "newer bpnn"),
    "a format version that is not a number": (
        lambda c: with_config(c, format_version="1"),
        "bad format_version",
    ),
    "another kind of file": (lambda c: with_config(c, format="keras"), "not a bpnn"),
    "no config": (
        lambda c: {k: v for k, v in c.items() if k != "config.json"},
        "no config.json",
    ),
    "a config that is not JSON": (
        lambda c: {**c, "config.json": b"{'W0'"},
        "not valid JSON",
    ),
    "a layers entry that is not a list": (
        lambda c: with_config(c, layers="3-4-2"),
        "no list of layers",
    ),
    "extra that is not an object": (
        lambda c: with_config(c, extra=[1, 2]),
        "'extra' must be an object",
    ),
}


@pytest.mark.parametrize("case", list(TAMPERED))
def test_tampered_files_are_rejected_naming_file_and_problem(tmp_path, case):
    change, words = TAMPERED[case]
    _, path = saved(tmp_path)
    rewrite(path, change(members(path)))
    with pytest.raises(bpnn.ModelFileError, match=words) as info:
        bpnn.load(path)
    assert str(info.value).startswith(str(path))


class Payload:
    """Unpickling this would create a folder: proof that code ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def test_loading_never_unpickles(tmp_path):
    _, path = saved(tmp_path)
    marker = tmp_path / "code-ran"
    evil = np.empty((3, 4), object)
    evil[...] = Payload(str(marker))
    rewrite(path, {**members(path), "W0.npy": npy(evil, allow_pickle=True)})
    with pytest.raises(bpnn.ModelFileError, match="W0"):
        bpnn.load(path)
    assert not marker.exists()


def test_deflated_members_with_corrupt_data_are_rejected(tmp_path):
    _, path = saved(tmp_path)
    rewrite(path, members(path), compression=zipfile.ZIP_DEFLATED)
    assert bpnn.load(path) is not None  # other zip tools may compress it
    raw = bytearray(path.read_bytes())
    start = raw.index(b"W0.npy") + 10
    raw[start : start + 40] = bytes(40)
    path.write_bytes(bytes(raw))
    with pytest.raises(bpnn.ModelFileError, match=str(path.name)):
        bpnn.load(path)


@pytest.mark.parametrize("what", ["missing", "folder", "empty", "text"])
def test_unreadable_paths(tmp_path, what):
    path = tmp_path / "model.npz"
    if what == "folder":
        path.mkdir()
    elif what == "empty":
        path.write_bytes(b"")
    elif what == "text":
        path.write_text("W0,b0\n1,2\n")
    with pytest.raises(bpnn.ModelFileError, match="model.npz"):
        bpnn.load(path)


# -- fuzzing: damage never loads silently ----------------------------------------


def same_model(a, b):
    return (
        repr(a) == repr(b)
        and a.extra == b.extra
        and all(np.array_equal(p, q) for p, q in zip(a.params(), b.params()))
    )


def load_or_error(path, original):
    """A damaged file either raises ModelFileError or gives back the very same
    model (a flipped byte in a timestamp or a zip comment changes nothing)."""
    try:
        back = bpnn.load(path)
    except bpnn.ModelFileError:
        return "rejected"
    assert same_model(back, original), "a damaged file loaded as a different model"
    return "unchanged"


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    net, path = saved(tmp_path_factory.mktemp("fuzz"))
    net.extra = {"columns": ["a", "b", "c"]}
    return net, path.read_bytes()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_random_byte_corruption_never_loads_silently(tmp_path, original, data):
    net, raw = original
    raw = bytearray(raw)
    n = data.draw(st.integers(1, 8), label="bytes changed")
    for _ in range(n):
        i = data.draw(st.integers(0, len(raw) - 1), label="offset")
        raw[i] ^= data.draw(st.integers(1, 255), label="xor")
    path = tmp_path / "damaged.npz"
    path.write_bytes(bytes(raw))
    event(load_or_error(path, net))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(cut=st.integers(0, 10**6), tail=st.binary(max_size=64))
def test_truncated_files_never_load_silently(tmp_path, original, cut, tail):
    """Cut anywhere, then perhaps followed by junk: a shorter file never
    loads; with junk it loads only if the junk restored the very same model."""
    net, raw = original
    path = tmp_path / "truncated.npz"
    path.write_bytes(raw[: cut % len(raw)] + tail)
    if not tail:
        with pytest.raises(bpnn.ModelFileError, match="truncated.npz"):
            bpnn.load(path)
    else:
        event(load_or_error(path, net))


# -- saving is atomic ------------------------------------------------------------


def test_an_interrupted_save_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = saved(tmp_path)[1]
    before = path.read_bytes()
    real = np.lib.format.write_array
    calls = []

    def crash_half_way(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # after config.json and W0 are written
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(np.lib.format, "write_array", crash_half_way)
    new = bpnn.Network.from_sizes([3, 4, 2], ["tanh", "sigmoid"], seed=4)
    with pytest.raises(KeyboardInterrupt):
        bpnn.files.model.save(new, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]


KILLER = """
import sys, numpy as np
sys.path.insert(0, sys.argv[2])
import bpnn
nets = [bpnn.Network.from_sizes([400, 300, 1], seed=s) for s in (1, 2)]
bpnn.files.model.save(nets[0], sys.argv[1])
print("ready", flush=True)
i = 0
while True:
    i += 1
    bpnn.files.model.save(nets[i % 2], sys.argv[1])
    print("saved", flush=True)
"""


def test_a_process_killed_mid_save_leaves_a_whole_model(tmp_path):
    """SIGKILL at random moments while a process rewrites a model over and
    over: the file on disk is always one of the two whole models."""
    path = tmp_path / "model.npz"
    expected = [bpnn.Network.from_sizes([400, 300, 1], seed=s) for s in (1, 2)]
    src = str(Path(bpnn.__file__).parents[1])
    rng = np.random.default_rng(0)
    for _ in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-c", KILLER, str(path), src],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout.readline().strip() == "ready"
        # wait for a random number of whole saves: the kill lands in the next
        for _ in range(int(rng.integers(1, 6))):
            assert proc.stdout.readline().strip() == "saved"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        back = bpnn.load(path)
        assert any(
            all(np.array_equal(p, q) for p, q in zip(back.params(), e.params()))
            for e in expected
        )
    assert oct(path.stat().st_mode & 0o777) != oct(0o600)


def test_weights_that_are_not_finite_are_never_saved(tmp_path):
    net, path = saved(tmp_path)
    before = path.read_bytes()
    net.layers[1].b[0] = np.inf
    with pytest.raises(
        ValueError,
        match=r"cannot save .*model.npz: array b1 holds "
        "NaN or inf",
    ):
        bpnn.files.model.save(net, path)
    assert path.read_bytes() == before


def test_saving_over_a_folder_or_under_a_file_is_a_clear_error(tmp_path):
    net = bpnn.Network.from_sizes([2, 1], seed=0)
    (tmp_path / "run").mkdir()
    with pytest.raises(ValueError, match=r"run is a folder: give a file name"):
        net.save(tmp_path / "run")
    (tmp_path / "file").write_text("x")
    with pytest.raises(OSError):
        net.save(tmp_path / "file" / "model.npz")
