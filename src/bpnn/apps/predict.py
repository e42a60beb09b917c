"""What ``bpnn predict`` does: a trained model's answers for new rows.

The model file carries its data preparation, so new rows are read and prepared
exactly as the training rows were (the same column kinds, categories, scales),
and the answers come back in the target's units or as class labels with their
probabilities.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError, UsageError
from .settle import require_apps


def predict_csv(model_path, csv_path, out_path=None, options=None, stream=None):
    """Predict every row of ``csv_path``; write rows plus predictions as CSV.

    ``options``: a ``PredictOptions`` (the file's format, ``unknown``,
    ``precision``: significant digits of the predictions).
    """
    import numpy as np

    from ..data.datasets.table import TableOptions, read_table
    from ..data.preparation import Preparation
    from ..files.model import atomic_write, load

    require_apps(plots=False)  # predictions are a CSV: pandas only
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
        from .words import say as words

        counts = ", ".join(f"{name!r} {n}" for name, n in prep.unseen.items())
        print(
            words(options.lang, "unseen", path=csv_path, counts=counts),
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
        lang="en",
    ):
        if precision is not None and not 1 <= int(precision) <= 17:
            raise UsageError(f"--precision {precision}: give 1 to 17 digits")
        self.unknown, self.precision = unknown, precision
        self.sep, self.encoding = sep, encoding
        self.decimal, self.thousands = decimal, thousands
        self.lang = lang
