"""Model files: round trip, no pickle, clear rejection of bad files."""

import json
import zipfile

import numpy as np
import pytest

import bpnn


def test_save_load_round_trip_keeps_weights_and_predictions(tmp_path):
    net = bpnn.Network.from_sizes(
        [4, 3, 2], ["tanh", "softmax"], loss="cross_entropy", seed=5, dtype=np.float32
    )
    X = np.random.default_rng(0).normal(size=(10, 4))
    path = tmp_path / "model.npz"
    net.save(path)
    back = bpnn.load(path)
    assert repr(back) == repr(net)
    assert back.dtype == np.float32
    for a, b in zip(net.params(), back.params()):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(back.predict(X), net.predict(X))
    # plain arrays: numpy reads them without pickle
    with np.load(path, allow_pickle=False) as data:
        assert set(data.files) >= {"W0", "b0", "W1", "b1", "config.json"}
    assert not list(tmp_path.glob(".*tmp"))


def test_save_overwrites_atomically_and_keeps_old_file_on_failure(
    tmp_path, monkeypatch
):
    path = tmp_path / "model.npz"
    bpnn.Network.from_sizes([2, 1], seed=1).save(path)
    before = path.read_bytes()
    net = bpnn.Network.from_sizes([2, 1], seed=2)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np.lib.format, "write_array", broken)
    with pytest.raises(OSError):
        net.save(path)
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]


def test_newer_format_and_lying_shapes_are_rejected(tmp_path):
    path = tmp_path / "model.npz"
    bpnn.Network.from_sizes([2, 3, 1], seed=1).save(path)
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    config = json.loads(members["config.json"])

    def rewrite(cfg, name):
        target = tmp_path / name
        with zipfile.ZipFile(target, "w") as zf:
            for n, data in members.items():
                zf.writestr(n, json.dumps(cfg) if n == "config.json" else data)
        return target

    newer = rewrite({**config, "format_version": 99}, "newer.npz")
    with pytest.raises(bpnn.ModelFileError, match="newer bpnn"):
        bpnn.load(newer)
    lying = dict(
        config, layers=[dict(config["layers"][0], n_out=4), config["layers"][1]]
    )
    with pytest.raises(bpnn.ModelFileError, match="W0|chain"):
        bpnn.load(rewrite(lying, "lying.npz"))
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a zip at all")
    with pytest.raises(bpnn.ModelFileError, match="garbage.npz"):
        bpnn.load(garbage)
