"""What ``bpnn train`` and ``bpnn predict`` do, between parsing and printing.

``train_and_report`` loads the data set, settles the hyper-parameters (preset,
then the command line), trains with a live progress bar, writes the outputs
and prints the verdict. Each stage is a function of ``bpnn.run`` or
``bpnn.outputs`` that can be called on its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..data.datasets.base import INSTALL_HINT
from ..errors import InputError, UsageError


def require_apps():
    """pandas and matplotlib, checked before any work: a one-line error if not."""
    try:
        import matplotlib  # noqa: F401
        import pandas  # noqa: F401
    except ImportError:
        raise UsageError(INSTALL_HINT) from None


def load_dataset(args):
    from ..data import datasets

    require_apps()
    if args.dataset == "admissions":
        return datasets.load_admissions()
    if args.dataset == "bike":
        return datasets.load_bike_sharing()
    from .config import CsvOptions

    return datasets.load_csv(**CsvOptions.from_args(args).load_kwargs())


def check_loss_fits(dataset, config):
    """A loss for probabilities on a regression target: said in the user's
    units (the network sees the standardised values, which mean nothing to
    the user)."""
    if dataset.task != "regression" or config.loss not in ("bce", "cross_entropy"):
        return
    import numpy as np

    prep = dataset.preparation
    values = prep.to_units(dataset.y_train[:, None])
    raise UsageError(
        f"--loss {config.loss} needs targets in [0, 1] (probabilities), but "
        f"{dataset.target!r} is a regression target with values from "
        f"{np.min(values):.4g} to {np.max(values):.4g}: use --loss mse or half_mse, "
        "or --task classification if its values are classes"
    )


def settle_config(args):
    """The preset named by --preset, updated by every option given."""
    from .config import OVERRIDES
    from .presets import preset

    table = "csv" if args.dataset == "csv" else args.dataset
    config = preset(table, args.preset)
    return config.updated(**{k: getattr(args, k, None) for k in OVERRIDES})


def describe(network, config) -> str:
    """One line: the architecture and the schedule."""
    layers = " -> ".join(
        [str(network.n_in)]
        + [f"{layer.n_out} {layer.activation.name}" for layer in network.layers]
    )
    length = (
        f"{config.steps} steps"
        if config.steps is not None
        else f"{config.epochs or 100} epochs"
    )
    batches = {
        "per_record": "all records accumulated per update",
        "random": f"random batches of {config.batch_size}",
        "shuffle": f"shuffled batches of {config.batch_size}"
        if config.batch_size
        else "full batch: all records per update",
    }
    opt = f"{config.optimizer} lr {config.lr:g}"
    if config.momentum:
        opt += f" momentum {config.momentum:g}"
    if config.lr_decay:
        opt += f" x{config.lr_decay:g} per evaluation"
    bias = "" if config.bias else ", no biases"
    return (
        f"{layers}{bias}, loss {network.loss_fn.name}, {opt}, {length} "
        f"({batches[config.sampling]}), seed {config.seed}"
    )


def train_and_report(args, stream=sys.stdout) -> int:
    from .metrics import no_better_than_majority, summary_lines
    from .outputs import check_out_dir, new_run_dir, write_outputs
    from .resume import interrupted_lines, keep_for_resume, open_resumed
    from .run import build_network, train

    resumed = None
    if getattr(args, "resume", None):
        out_dir, config, resumed = open_resumed(args)
    else:
        config = settle_config(args)
        out_dir = check_out_dir(args.out) if args.out else None
    dataset = load_dataset(args)
    check_loss_fits(dataset, config)
    print(dataset, file=stream)
    for line in dataset.notes:
        print(line, file=stream)
    if dataset.dropped_rows:
        print(
            f"left out {dataset.dropped_rows} row(s) with missing values (--dropna)",
            file=stream,
        )
    print(describe(build_network(config, dataset), config), file=stream)
    if resumed:
        print(f"resuming {out_dir} after {resumed[2].step} weight updates", file=stream)
    run = train(dataset, config, progress=not args.quiet, resumed=resumed)
    history = run.history
    out_dir = out_dir or new_run_dir(dataset.name)
    write_outputs(run, out_dir, preset=args.preset or _default_preset(args))
    keep_for_resume(run, out_dir, args, config)
    print(
        f"stopped: {history.stop_reason} after {run.state.step}"
        f" weight updates in {run.wall_time_s:.1f} s",
        file=stream,
    )
    if history.message:
        print(f"  {history.message}", file=stream)
    for line in summary_lines(dataset, run.metrics):
        print(line, file=stream)
    if dataset.task != "regression" and no_better_than_majority(run.metrics):
        hint = dataset.hints.get("no_better_than_majority")
        hint = f" ({hint})" if hint else ""
        print(
            f"warning: the model does no better than always answering the "
            f"majority class {run.metrics['majority_class']!r}{hint}",
            file=sys.stderr,
        )
    print(
        f"wrote {out_dir}/: history.csv model.npz metrics.json loss.png "
        f"predictions.png",
        file=stream,
    )
    if history.stop_reason == "interrupted":
        lines, status = interrupted_lines(run, out_dir, args)
        for line in lines:
            print(line, file=stream)
        return status
    return 1 if history.stop_reason == "diverged" else 0


def _default_preset(args):
    return "default" if args.dataset == "csv" else "lecture"


def predict_csv(model_path, csv_path, out_path=None, options=None, stream=None):
    """Predict every row of ``csv_path``; write rows plus predictions as CSV.

    ``options``: a ``PredictOptions`` (the file's format, ``unknown``,
    ``precision``: significant digits of the predictions).
    """
    import numpy as np

    from ..data.datasets.table import TableOptions, read_table
    from ..data.preparation import Preparation
    from ..files.model import atomic_write, load

    require_apps()
    options = options or PredictOptions()
    model_path = Path(model_path)
    if model_path.is_dir():
        model_path = model_path / "model.npz"
    network = load(model_path)
    if "preparation" not in network.extra:
        raise InputError(
            f"{model_path}: holds no data preparation; it was not written by bpnn train"
        )
    from ..files.preparation_fields import check_preparation

    check_preparation(network.extra["preparation"], network, model_path)
    prep = Preparation.from_dict(network.extra["preparation"], source=f"{csv_path}: ")
    if options.unknown:
        prep.unknown = options.unknown
    read = TableOptions(
        sep=options.sep,
        encoding=options.encoding,
        decimal=options.decimal,
        thousands=options.thousands,
    )
    frame = read_table(csv_path, read, text_columns=prep.text_columns())
    y_hat = network.predict(prep.features(frame))
    out = frame.copy()
    digits = options.precision
    if prep.task == "regression":
        out[f"predicted_{prep.target}"] = _rounded(prep.to_units(y_hat), digits)
    else:
        probabilities = prep.class_probabilities(y_hat)
        out[f"predicted_{prep.target}"] = np.array(prep.classes)[
            probabilities.argmax(axis=1)
        ]
        for k, name in enumerate(prep.classes):
            out[f"probability_{name}"] = _rounded(probabilities[:, k], digits)
    if prep.unseen:
        counts = ", ".join(f"{name!r} {n}" for name, n in prep.unseen.items())
        print(
            f"{csv_path}: rows with a category unseen in training were predicted "
            f"with no category (--unknown ignore): {counts}",
            file=sys.stderr if stream is None else stream,
        )
    text = out.to_csv(index=False)
    if out_path is None:
        sys.stdout.write(text)
    else:
        atomic_write(out_path, lambda f: f.write(text.encode("utf-8")))
    return 0


def _rounded(values, digits):
    """Numbers as text with ``digits`` significant digits (None: all)."""
    if digits is None:
        return values
    return [f"{v:.{digits}g}" for v in values]


class PredictOptions:
    """How ``bpnn predict`` reads the new rows and writes the predictions."""

    def __init__(
        self,
        unknown=None,
        precision=6,
        sep=None,
        encoding=None,
        decimal=None,
        thousands=None,
    ):
        if precision is not None and not 1 <= int(precision) <= 17:
            raise UsageError(f"--precision {precision}: give 1 to 17 digits")
        self.unknown, self.precision = unknown, precision
        self.sep, self.encoding = sep, encoding
        self.decimal, self.thousands = decimal, thousands
