"""The one declaration of a training run's settings.

``RunConfig`` holds the hyper-parameters; ``CsvOptions`` how a CSV becomes a
data set. Each field that the user may set carries its option's help and parser
in its metadata (``apps.options.option``), and everything else is read from there: the
``bpnn train`` options (``cli.commands.train``), the overrides of a preset
(``RunConfig.updated``), what a checkpoint records and what ``--resume`` checks
(``apps.resume``). A new setting is one new field.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from ..errors import InputTypeError
from ..train.loop import TRAIN_SAMPLE, VAL_SAMPLE
from .options import (
    option,
    options_of,
    parse_names,
    parse_records,
    parse_sep,
    parse_sizes,
    parse_split,
    parse_thousands,
)


def _activations():
    from ..engine.activations import ACTIVATIONS

    return sorted(set(ACTIVATIONS) - {"softmax"})


def _losses():
    from ..engine.losses import LOSSES

    return sorted(LOSSES)


def _inits():
    from ..engine.layers import INITS

    return sorted(INITS)


def _samplings():
    from ..train.loop import SAMPLINGS

    return list(SAMPLINGS)


@dataclass
class RunConfig:
    """Everything that decides a training run, JSON-able for metrics.json."""

    hidden: list = option(
        factory=lambda: [16],
        help="hidden layer sizes, e.g. 20 or 32,16 ('none': no hidden layer)",
        parse=parse_sizes,
        metavar="N[,N...]",
    )
    activation: str = option(
        "sigmoid", "activation of the hidden layers", choices=_activations
    )
    #: output activation; None: follows the task and the loss
    output: str | None = None
    loss: str | None = option(
        None, "the loss (default: follows the task)", choices=_losses
    )
    bias: bool = option(True, "give every node a bias", flag=True)
    init: str = option("normal", "initial weights", choices=_inits)
    optimizer: str = option("sgd", "the optimizer", choices=lambda: ["sgd", "adam"])
    lr: float = option(0.1, "learning rate", parse=float)
    momentum: float = option(0.0, "momentum of sgd", parse=float)
    lr_decay: float | None = option(
        None,
        "multiply the learning rate by F at each evaluation",
        parse=float,
        metavar="F",
    )
    sampling: str = option(
        "shuffle",
        "how records reach each update (see bpnn.train.loop)",
        choices=_samplings,
    )
    batch_size: int | None = option(None, "records per weight update", parse=int)
    epochs: int | None = option(
        None, "passes over the training rows", parse=int, exclusive="length"
    )
    steps: int | None = option(None, "weight updates", parse=int, exclusive="length")
    eval_every: int | None = option(
        None, "record the losses every N epochs (or steps)", parse=int, metavar="N"
    )
    patience: int | None = option(
        None,
        "stop once the loss has not improved for N evaluations in a row "
        "(0 or 1: at the first that does not improve, the lecture's rule); the "
        "best weights are kept",
        parse=int,
    )
    seed: int = option(0, "initial weights and record order", parse=int)
    #: records the recorded training loss is measured on (every k-th); 0: all
    train_sample: int = option(
        TRAIN_SAMPLE,
        "measure the recorded training loss on every k-th training record, at "
        f"most N of them (default {TRAIN_SAMPLE}; 0: every record); the "
        f"validation loss likewise on at most {VAL_SAMPLE}, the final metrics "
        "on every record",
        parse=parse_records,
        metavar="N",
    )

    def to_dict(self) -> dict:
        return asdict(self)

    def updated(self, **changes) -> RunConfig:
        """A copy with ``changes`` (None values ignored); giving epochs drops
        steps and vice versa, and a batch size or steps leave the per-record
        loop for mini-batches. When the unit of the run changes (steps for a
        preset in epochs, or the reverse), the preset's ``eval_every``, counted
        in the old unit, gives way to fit's default schedule unless given."""
        changes = {k: v for k, v in changes.items() if v is not None}
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise InputTypeError(
                f"unknown hyper-parameter(s): {', '.join(sorted(unknown))}"
            )
        unit = "steps" if self.steps is not None else "epochs"
        if "epochs" in changes:
            changes.setdefault("steps", None)
        if "steps" in changes:
            changes.setdefault("epochs", None)
        given = [k for k in ("steps", "epochs") if changes.get(k) is not None]
        if given and given[0] != unit:
            changes.setdefault("eval_every", None)
        if (
            self.sampling == "per_record"
            and "sampling" not in changes
            and ("batch_size" in changes or changes.get("steps") is not None)
        ):
            changes["sampling"] = "shuffle"
        return replace(self, **changes)


#: the hyper-parameters a user may set: they override the preset's
OVERRIDES = tuple(options_of(RunConfig))


@dataclass
class CsvOptions:
    """How ``bpnn train csv`` turns a file into a data set: the options that
    decide which data a run sees (so ``--resume`` checks every one)."""

    path: str = option(None, "the CSV file", positional=True, metavar="PATH")
    target: str = option(None, "the column to predict", required=True)
    task: str | None = option(
        None,
        "default: inferred from the target column",
        choices=lambda: ["regression", "classification"],
    )
    categorical: list = option(
        factory=list,
        help="columns to one-hot as categories, read as text ('02134' keeps its zero)",
        parse=parse_names,
        metavar="COL[,COL...]",
    )
    drop: list = option(
        factory=list,
        help="columns to ignore",
        parse=parse_names,
        metavar="COL[,COL...]",
    )
    numeric: list | None = option(
        None,
        "columns to read as numbers (default: guessed; an integer column unique "
        "per row is taken for an ID and dropped)",
        parse=parse_names,
        metavar="COL[,COL...]",
    )
    date: list | None = option(
        None,
        "columns to read as dates: year, month, day of week (and hour) become features",
        parse=parse_names,
        metavar="COL[,COL...]",
    )
    dropna: bool = option(
        False, "leave out rows with missing values (default: an error)", flag="store"
    )
    impute: str | None = option(
        None,
        "fill missing values with the training rows' mean, median or most "
        "frequent value (categories: the most frequent)",
        choices=lambda: ["mean", "median", "most_frequent"],
    )
    unknown: str | None = option(
        None,
        "a category unseen in training at predict time: error (default) or "
        "ignore (no category: all its one-hot columns 0)",
        choices=lambda: ["error", "ignore"],
    )
    split: list | None = option(
        None,
        "train, validation and test fractions (default 0.7,0.15,0.15)",
        parse=parse_split,
        metavar="F,F,F",
    )
    split_seed: int = option(
        0,
        "seed of the train/validation/test split (stratified by class for a "
        "classification)",
        parse=int,
    )
    test_csv: str | None = option(
        None,
        "test rows in a file of their own (the main file is then split into "
        "training and validation rows)",
        metavar="FILE",
    )
    val_csv: str | None = option(
        None, "validation rows in a file of their own", metavar="FILE"
    )
    sep: str | None = option(
        None, "field separator (default: detected among , ; tab |)", parse=parse_sep
    )
    encoding: str | None = option(
        None, "the file's encoding (default: detected: UTF-8, UTF-16, GB18030, cp1252)"
    )
    decimal: str | None = option(
        None, "decimal mark (default: detected, '.' or ',')", choices=lambda: [".", ","]
    )
    thousands: str | None = option(
        None,
        "thousands separator (default: detected; 'none' for none)",
        parse=parse_thousands,
    )

    @classmethod
    def from_args(cls, args) -> CsvOptions:
        names = [f.name for f in fields(cls)]
        given = {
            n: getattr(args, n) for n in names if getattr(args, n, None) is not None
        }
        return cls(**given)

    def load_kwargs(self) -> dict:
        """The keywords of ``bpnn.datasets.load_csv`` (``split_seed`` is its
        seed); options not given keep ``load_csv``'s defaults."""
        kwargs = {k: v for k, v in asdict(self).items() if v is not None}
        kwargs["seed"] = kwargs.pop("split_seed")
        return kwargs
