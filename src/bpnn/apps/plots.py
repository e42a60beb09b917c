"""The run's two figures, drawn with matplotlib's file-only Agg backend.

``loss.png``: training and validation loss against weight updates; the legend
says when a loss was measured on a sample of the records.
``predictions.png``: for a time series (bike sharing) the test period's
predicted and actual values in real units with date ticks; for another
regression predicted against actual; for a classification the confusion
matrix of the test set.
"""

from __future__ import annotations

import io

import numpy as np

from .fonts import plot_text, use_fonts
from .metrics import predicted_classes
from .scores import confusion_matrix, regression_scores

#: above this many classes the confusion matrix shows colours only
MAX_LABELLED_CLASSES = 20


class _Figures:
    """matplotlib's Figure without pyplot: no global state to close, and
    pyplot's import (the slowest part of a small run) is never paid."""

    def subplots(self, figsize, layout=None):
        import matplotlib
        from matplotlib.figure import Figure

        use_fonts(matplotlib)
        fig = Figure(figsize=figsize, layout=layout)
        if layout is None:  # fixed margins: a layout engine costs a draw
            width, height = figsize
            fig.subplots_adjust(
                left=0.8 / width,
                right=1 - 0.25 / width,
                bottom=0.6 / height,
                top=1 - 0.4 / height,
            )
        return fig, fig.subplots()


def _pyplot():
    return _Figures()


def save_figure(fig, path):
    """PNG bytes to ``path`` atomically (drawn by the Agg canvas)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from ..files.model import atomic_write

    buf = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(buf, format="png", dpi=100)
    atomic_write(path, lambda f: f.write(buf.getvalue()))


def train_loss_label(history, n_train=None, which="training") -> str:
    """'training loss', with 'of how many records' when it was sampled."""
    rows = getattr(history, "train_rows" if which == "training" else "val_rows", None)
    if rows is None or n_train is None or rows >= n_train:
        return f"{which} loss"
    return f"{which} loss ({rows:,} of {n_train:,} records)"


def loss_figure(history, loss_name, n_train=None, n_val=None):
    """Losses against weight updates; ``n_train``, ``n_val``: records in the
    training and validation sets."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(history.step, history.train_loss, label=train_loss_label(history, n_train))
    if any(v is not None for v in history.val_loss):
        label = train_loss_label(history, n_val, "validation")
        ax.plot(history.step, history.val_loss, label=label)
    ax.set_xlabel("weight updates")
    # half_mse is what the lecture trains on; say so, since the printed metrics
    # are plain MSE, twice as large
    if loss_name == "half_mse":
        ax.set_ylabel("loss: ½·MSE = 1/(2m) Σ(ŷ−y)² (the MSE is twice it)")
    else:
        ax.set_ylabel(f"loss ({loss_name})")
    losses = [v for v in history.train_loss + history.val_loss if v is not None]
    if losses and min(losses) > 0 and max(losses) / min(losses) > 20:
        ax.set_yscale("log")
    ax.set_title(f"loss, stopped: {history.stop_reason}")
    ax.legend()
    ax.grid(alpha=0.3)
    return fig


def predictions_figure(network, dataset):
    """The test set's predictions; the title shows the main metric."""
    plt = _pyplot()
    y_hat = network.predict(dataset.X_test)
    prep = dataset.preparation
    target = plot_text(dataset.target, "the target")
    if dataset.task == "regression":
        predicted = prep.to_units(y_hat)
        actual = prep.to_units(dataset.y_test[:, None])
        score = f"R² {regression_scores(actual, predicted)['r2']:.3f}"
        if dataset.test_dates is not None:
            return _time_series(plt, dataset, predicted, actual, score)
        fig, ax = plt.subplots(figsize=(5, 5))
        shown = _sample(len(actual))
        ax.scatter(actual[shown], predicted[shown], s=10, alpha=0.6)
        lo, hi = min(actual.min(), predicted.min()), max(actual.max(), predicted.max())
        ax.plot([lo, hi], [lo, hi], color="grey", lw=1, label="predicted = actual")
        ax.set_xlabel(f"actual {target}")
        ax.set_ylabel(f"predicted {target}")
        some = (
            f", {len(shown):,} of {len(actual):,} rows"
            if len(shown) < len(actual)
            else ""
        )
        ax.set_title(f"test set: {score}{some}")
        ax.legend()
        return fig
    k = len(prep.classes)
    counts = confusion_matrix(dataset.y_test, predicted_classes(y_hat), k)
    # the figure grows with the classes up to a point; past that, cells are
    # too small to carry numbers or names and the colour alone tells
    side = min(1.2 * k + 3, 12)
    fig, ax = plt.subplots(figsize=(side, side - 0.5), layout="constrained")
    ax.imshow(counts, cmap="Blues")
    if k <= MAX_LABELLED_CLASSES:
        for (i, j), c in np.ndenumerate(counts):
            ax.text(
                j,
                i,
                str(c),
                ha="center",
                va="center",
                color="white" if c > counts.max() / 2 else "black",
            )
        names = [plot_text(c, f"class {i}") for i, c in enumerate(prep.classes)]
        ax.set_xticks(range(k), names)
        ax.set_yticks(range(k), names)
    ax.set_xlabel(f"predicted {target}")
    ax.set_ylabel(f"actual {target}")
    accuracy = np.trace(counts) / counts.sum()
    ax.set_title(f"test set: accuracy {accuracy:.3f}")
    return fig


#: points drawn at most in a scatter plot (a seeded sample beyond)
MAX_POINTS = 5000


def _sample(n):
    if n <= MAX_POINTS:
        return np.arange(n)
    return np.sort(np.random.default_rng(0).choice(n, MAX_POINTS, replace=False))


def _time_series(plt, dataset, predicted, actual, score=None):
    import matplotlib.dates as mdates

    fig, ax = plt.subplots(figsize=(10, 4))
    dates = dataset.test_dates
    ax.plot(dates, actual, label="actual", lw=1)
    ax.plot(dates, predicted, label="predicted", lw=1)
    ax.xaxis.set_major_locator(mdates.DayLocator(interval=2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %d"))
    ax.set_ylabel(f"{plot_text(dataset.target, 'the target')} (rentals per hour)")
    first, last = np.datetime_as_string(dates[[0, -1]], unit="D")
    ax.set_xlabel(f"date ({first} to {last})")
    ax.set_title("test period: predicted and actual" + (f", {score}" if score else ""))
    ax.legend()
    ax.grid(alpha=0.3)
    return fig
