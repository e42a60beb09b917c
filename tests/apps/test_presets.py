"""Hyper-parameters: presets, command-line overrides and the network they build."""

import pytest

from bpnn.apps.presets import PRESETS, RunConfig, output_and_loss, preset


def test_lecture_presets_are_the_course_settings():
    gre = preset("admissions")
    assert (gre.hidden, gre.activation, gre.output, gre.loss, gre.bias) == (
        [2],
        "sigmoid",
        "sigmoid",
        "half_mse",
        False,
    )
    assert (gre.lr, gre.epochs, gre.eval_every, gre.patience, gre.sampling) == (
        0.005,
        900,
        90,
        0,
        "per_record",
    )
    bike = preset("bike")
    assert (bike.hidden, bike.output, bike.sampling, bike.batch_size) == (
        [20],
        "identity",
        "random",
        128,
    )


def test_overrides_replace_only_what_is_given():
    gre = preset("admissions")
    longer = gre.updated(epochs=50, lr=None)
    assert (longer.epochs, longer.lr, longer.sampling) == (50, 0.005, "per_record")
    batched = gre.updated(batch_size=32)
    assert batched.sampling == "shuffle"  # per-record uses every record per update
    stepped = preset("bike").updated(epochs=3)
    assert (stepped.epochs, stepped.steps) == (3, None)
    with pytest.raises(TypeError, match="unknown hyper-parameter"):
        gre.updated(learning_rate=1)


def test_unknown_preset_is_named():
    with pytest.raises(
        ValueError,
        match="bike has no preset 'fast'; choose one of lecture, best, accurate",
    ):
        preset("bike", "fast")


@pytest.mark.parametrize(
    "task, loss, expected",
    [
        ("regression", None, ("identity", "mse", 1)),
        ("binary", None, ("sigmoid", "bce", 1)),
        ("multiclass", None, ("softmax", "cross_entropy", 3)),
        ("binary", "cross_entropy", ("softmax", "cross_entropy", 2)),
        ("binary", "half_mse", ("sigmoid", "half_mse", 1)),
    ],
)
def test_output_layer_follows_task_and_loss(task, loss, expected):
    n_classes = 3 if task == "multiclass" else 2
    assert output_and_loss(RunConfig(loss=loss), task, n_classes) == expected


def test_every_preset_builds_a_network_and_optimizer():
    import numpy as np

    from bpnn.apps.run import build_network, build_optimizer
    from bpnn.data.datasets.base import Dataset
    from bpnn.data.preparation import Preparation

    prep = Preparation(
        "y",
        "binary",
        [{"name": "x", "kind": "numeric", "mean": 0, "std": 1}],
        classes=["a", "b"],
    )
    X, y = np.zeros((4, 1)), np.array([0.0, 1, 0, 1])
    data = Dataset("t", prep, X, y, None, None, X, y)
    for table in PRESETS.values():
        for config in table.values():
            net = build_network(config, data)
            assert net.sizes == [1, *config.hidden, 1]
            assert build_optimizer(config).lr == config.lr


def test_every_run_setting_is_one_bpnn_train_option_and_back():
    """One declaration: the fields of RunConfig and CsvOptions that are options
    are exactly the options of ``bpnn train csv`` (besides --preset, --out,
    --quiet, --no-plots, --lang, --resume and --dask: where the run goes and
    what it writes, not what it is), and each parses to the field's type."""
    from dataclasses import fields

    from bpnn.apps.config import OVERRIDES, CsvOptions, RunConfig
    from bpnn.apps.options import options_of
    from bpnn.cli import build_parser

    parser = build_parser()
    args = parser.parse_args(["train", "csv", "x.csv", "--target", "y"])
    declared = set(options_of(RunConfig)) | set(options_of(CsvOptions))
    own = {"preset", "out", "quiet", "no_plots", "lang", "resume", "dask"}
    own |= {"dataset", "command", "run"}
    assert set(vars(args)) - own == declared
    assert set(OVERRIDES) == {f.name for f in fields(RunConfig)} - {"output"}
    args = parser.parse_args(
        ["train", "bike", "--hidden", "32,16", "--lr", "0.5", "--no-bias"]
    )
    assert (args.hidden, args.lr, args.bias) == ([32, 16], 0.5, False)


def test_a_preset_counted_in_epochs_evaluates_on_fit_s_schedule_when_given_steps():
    from bpnn.apps.presets import preset

    csv = preset("csv")  # eval_every=1 epoch
    assert csv.eval_every == 1 and csv.epochs is not None
    assert csv.updated(steps=2000).eval_every is None  # not after every step
    assert csv.updated(steps=2000, eval_every=50).eval_every == 50
    assert csv.updated(epochs=30).eval_every == 1  # same unit: kept
    bike = preset("bike")  # eval_every=100 steps
    assert bike.updated(steps=9000).eval_every == bike.eval_every
    assert bike.updated(epochs=3).eval_every is None
