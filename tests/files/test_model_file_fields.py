"""Every field of a model file or checkpoint is checked: types, finiteness,
counts, sizes against memory, the preparation against the network. An edited
file is one ModelFileError naming the file and the field, never a traceback."""

import json
import zipfile

import numpy as np
import pytest

import bpnn
from bpnn.errors import ModelFileError
from bpnn.files.archive import check_member
from bpnn.files.preparation_fields import check_preparation
from bpnn.train.checkpoint import load_checkpoint, save_checkpoint
from bpnn.train.state import TrainingState
from helpers.zips import edit_config, members, rewrite


def model(tmp_path):
    net = bpnn.Network.from_sizes([3, 4, 1], ["tanh", "sigmoid"], seed=0)
    path = tmp_path / "model.npz"
    bpnn.files.model.save(net, path)
    return path


@pytest.mark.parametrize(
    "change,words",
    [
        (lambda t: t.replace('"n_in": 3', '"n_in": Infinity'), "Infinity is not"),
        (lambda t: t.replace('"n_in": 3', '"n_in": 1e400'), "too large for a number"),
        (lambda t: t.replace('"n_in": 3', '"n_in": "3"'), r"layers\[0\].n_in must"),
        (lambda t: t.replace('"bias": true', '"bias": "yes"'), r"layers\[0\].bias"),
        (lambda t: t.replace('"n_out": 1', '"n_out": -1'), "layer 1 is 4 x -1"),
        (
            lambda t: t.replace('"layers": [', '"layers": 7, "x": ['),
            "no list of layers",
        ),
        (lambda t: "[" * 100000 + "]" * 100000, "nested too deeply|not a bpnn"),
    ],
    ids=[
        "Infinity",
        "1e400",
        "string size",
        "string bias",
        "negative",
        "no list",
        "deep",
    ],
)
def test_edited_model_configs_name_the_file_and_field(tmp_path, change, words):
    path = model(tmp_path)
    edit_config(path, change)
    with pytest.raises(ModelFileError, match=words) as info:
        bpnn.load(path)
    assert str(path) in str(info.value)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    net = bpnn.Network.from_sizes([1000, 2000, 1], seed=0)
    for layer in net.layers:
        layer.W[:] = 0.0  # zeros: 16 MB that deflate to a few KB
    path = tmp_path / "bomb.npz"
    bpnn.files.model.save(net, path)
    rewrite(path, members(path), compression=zipfile.ZIP_DEFLATED)
    with pytest.raises(ModelFileError, match=r"would unpack \d+ bytes to 16000128"):
        bpnn.load(path)


def test_a_declared_size_beyond_memory_is_refused_without_reading(tmp_path):
    info = zipfile.ZipInfo("W0.npy")
    info.file_size, info.compress_size = 32 << 40, 3000  # a 3 KB file, 32 TiB
    with pytest.raises(ModelFileError, match=r"35184372088832 of 1 bytes need .*"):
        check_member(tmp_path / "m.npz", info, "array W0")


# -- checkpoints ----------------------------------------------------------------


def checkpoint(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    net = bpnn.Network.from_sizes([3, 4, 1], ["tanh", "identity"], seed=0)
    opt, state = bpnn.Adam(0.01), TrainingState()
    net.fit(X, X.sum(1), optimizer=opt, epochs=3, seed=0, state=state)
    path = tmp_path / "checkpoint.npz"
    save_checkpoint(path, net, opt, state)
    return path


def set_field(name, value):
    def change(text):
        config = json.loads(text)
        where = config
        *parents, last = name.split(".")
        for key in parents:
            where = where[key]
        where[last] = value(where[last]) if callable(value) else value
        return config

    return change


@pytest.mark.parametrize(
    "name,value,words",
    [
        ("done", "7", "field 'done' must be int"),
        ("step", -3, "field 'step' must be a count >= 0"),
        ("step", 2**70, "field 'step' must be a count"),
        ("finished", 1, "field 'finished' must be bool"),
        ("signal", 99, "field 'signal' is 99"),
        ("rng", None, "field 'rng' must be dict"),
        ("history", "long", "field 'history' must be dict"),
        ("network", "a net", "field 'network' must be dict"),
        ("settings", [], "field 'settings' must be dict"),
        (
            "history.train_loss",
            lambda old: ["x"] * len(old),
            r"'history.train_loss' holds 'x'",
        ),
        ("history.message", 5, "'history.message' must be str"),
        ("history.step", [1, 2, 3, 4, 5, 6, 7, 8, 9], "differ in length"),
        ("history.best_index", 99, "'history.best_index' is out of range"),
        ("optimizer_slots", {"m": "x"}, "'optimizer_slots.m' must be int"),
        ("part_arrays", {"sampler": "order"}, "'part_arrays.sampler' must be"),
    ],
)
def test_edited_checkpoints_name_the_file_and_field(tmp_path, name, value, words):
    path = checkpoint(tmp_path)
    edit_config(path, set_field(name, value))
    with pytest.raises(ModelFileError, match=words) as info:
        load_checkpoint(path)
    assert str(path) in str(info.value)


def test_a_checkpoint_counter_of_infinity_is_refused(tmp_path):
    path = checkpoint(tmp_path)
    edit_config(path, lambda t: t.replace('"step": ', '"step": Infinity, "x": '))
    with pytest.raises(ModelFileError, match="Infinity is not a JSON number"):
        load_checkpoint(path)


def test_a_checkpoint_declaring_terabytes_of_weights_is_refused(tmp_path):
    path = checkpoint(tmp_path)
    huge = set_field(
        "network.layers",
        [
            {
                "n_in": 1 << 20,
                "n_out": 1 << 22,
                "activation": "tanh",
                "bias": True,
                "init": "normal",
            },
        ],
    )
    edit_config(path, huge)
    with pytest.raises(ModelFileError, match=r"config.json's layers: 4398046511104"):
        load_checkpoint(path)


# -- the data preparation --------------------------------------------------------

PREP = {
    "target": "y",
    "task": "binary",
    "columns": [
        {"name": "a", "kind": "numeric", "mean": 0.5, "std": 2.0},
        {"name": "c", "kind": "categorical", "categories": ["p", "q"]},
    ],
    "classes": ["no", "yes"],
    "target_mean": 0.0,
    "target_std": 1.0,
}


def classifier(out="sigmoid", n_out=1):
    return bpnn.Network.from_sizes([3, 4, n_out], ["tanh", out], seed=0)


def edited(**changes):
    prep = json.loads(json.dumps(PREP))
    for key, value in changes.items():
        if value is None:
            del prep[key]
        else:
            prep[key] = value
    return prep


@pytest.mark.parametrize(
    "prep,net,words",
    [
        (edited(columns=None), classifier(), "'columns' is missing"),
        (edited(task="ranking"), classifier(), "'task' is 'ranking'"),
        (
            edited(columns=[{"name": "a", "kind": "text"}]),
            classifier(),
            r"'columns\[0\].kind' is 'text'",
        ),
        (
            edited(columns=[{"name": "a", "kind": "numeric", "mean": 0}]),
            classifier(),
            r"'columns\[0\].std' must be a number",
        ),
        (
            edited(columns=[{"name": "a", "kind": "numeric", "mean": 0, "std": 0}]),
            classifier(),
            r"'columns\[0\].std' must be a finite number > 0",
        ),
        (edited(), bpnn.Network.from_sizes([5, 1], seed=0), "gives 3 feature"),
        (edited(classes=["a", "b", "c"]), classifier(), "3 classes for a binary"),
        (
            edited(task="multiclass", classes=["a", "b", "c"]),
            classifier("softmax", 4),
            "lists 3 classes, but the output layer has 4",
        ),
        (edited(), classifier("identity"), "gives no probabilities"),
        (edited(target_std=-1.0), classifier(), "'target_std' must be a finite"),
        (edited(classes=["a", "a"]), classifier(), "lists a class twice"),
    ],
)
def test_a_preparation_that_disagrees_with_its_network_is_refused(prep, net, words):
    with pytest.raises(ModelFileError, match=words) as info:
        check_preparation(prep, net, "m.npz")
    assert str(info.value).startswith("m.npz: ")


def test_a_sound_preparation_passes():
    assert check_preparation(edited(), classifier(), "m.npz")["task"] == "binary"
    assert check_preparation(edited(), classifier("softmax", 2), "m.npz")
