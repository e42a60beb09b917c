"""Everything a run writes to its folder, each file written atomically:

- ``history.csv``  step, epoch, train_loss, val_loss at every evaluation (the
  training loss on ``train_loss_records`` of the training records, see
  ``bpnn.training``)
- ``model.npz``    the network, with the data preparation inside
- ``metrics.json`` metrics, hyper-parameters, seed, bpnn version, how it stopped
- ``loss.png``     training and validation loss
- ``predictions.png`` test predictions (see ``bpnn.plots``)
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .._version import __version__
from ..files.model import atomic_write, save
from .rundir import OUTPUT_FILES


def _write_text(path, text):
    atomic_write(path, lambda f: f.write(text.encode("utf-8")))


def history_csv(history) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["step", "epoch", "train_loss", "val_loss"])
    for row in zip(history.step, history.epoch, history.train_loss, history.val_loss):
        writer.writerow(["" if v is None else repr(v) for v in row])
    return buf.getvalue()


def run_record(run, preset=None) -> dict:
    """The content of metrics.json."""
    net = run.network
    return {
        "dataset": run.dataset.name,
        "task": run.dataset.task,
        "target": run.dataset.target,
        "preset": preset,
        "metrics": run.metrics,
        "hyperparameters": run.config.to_dict(),
        "seed": run.config.seed,
        "network": {
            "sizes": net.sizes,
            "loss": net.loss_fn.name,
            "activations": [layer.activation.name for layer in net.layers],
        },
        "features": run.dataset.feature_names,
        # how a CSV was read: its format, each column's kind, the split
        "data": getattr(run.dataset, "info", None) or None,
        "stop_reason": run.history.stop_reason,
        "stop_message": run.history.message,
        "evaluations": len(run.history),
        # the training loss of history.csv and loss.png was measured on this
        # many of the training records; the metrics above on all of them
        "train_loss_records": run.history.train_rows,
        "train_records": len(run.dataset.X_train),
        "val_loss_records": getattr(run.history, "val_rows", None),
        "val_records": _rows(run.dataset.X_val),
        "weight_updates": _weight_updates(run),
        "wall_time_s": round(run.wall_time_s, 3),
        "bpnn_version": __version__,
    }


def _rows(X):
    return None if X is None else len(X)


def _weight_updates(run):
    """Updates made, counted past the last evaluation of an interrupted run."""
    if getattr(run, "state", None) is not None:
        return run.state.step
    return run.history.step[-1] if len(run.history) else 0


def write_outputs(run, out_dir, preset=None, plots=True, on_phase=None) -> list:
    """Write the run's files into ``out_dir``; returns their paths.

    ``on_phase(text)`` is told "wrote NAME" after each file and "plotting
    NAME" before each plot is drawn.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    on_phase = on_phase or (lambda text: None)
    record = run_record(run, preset)
    _write_text(out_dir / "history.csv", history_csv(run.history))
    on_phase("wrote history.csv")
    save(
        run.network,
        out_dir / "model.npz",
        extra={
            "preparation": run.dataset.preparation.to_dict(),
            "dataset": run.dataset.name,
            "hyperparameters": record["hyperparameters"],
        },
    )
    on_phase("wrote model.npz")
    _write_text(out_dir / "metrics.json", json.dumps(record, indent=2) + "\n")
    on_phase("wrote metrics.json")
    paths = [out_dir / f for f in OUTPUT_FILES[:3]]
    if plots:
        from . import plots as plotting

        on_phase("plotting loss.png")
        plotting.save_figure(
            plotting.loss_figure(
                run.history,
                run.network.loss_fn.name,
                len(run.dataset.X_train),
                _rows(run.dataset.X_val),
            ),
            out_dir / "loss.png",
        )
        on_phase("wrote loss.png")
        on_phase("plotting predictions.png")
        plotting.save_figure(
            plotting.predictions_figure(run.network, run.dataset),
            out_dir / "predictions.png",
        )
        on_phase("wrote predictions.png")
        paths += [out_dir / "loss.png", out_dir / "predictions.png"]
    else:
        # plots of an earlier state of this run (resumed without plots) would
        # show what it no longer is: the folder is the run's own
        for name in OUTPUT_FILES[3:]:
            (out_dir / name).unlink(missing_ok=True)
    return paths
