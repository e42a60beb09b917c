"""Interrupted ``bpnn train`` runs: what is kept, and ``--resume DIR``.

Ctrl-C or SIGTERM during training finishes the current step; the run's folder
then gets its model, history and metrics so far, plus ``checkpoint.npz``
(``bpnn.checkpoint``) holding the optimizer's state, the random stream and the
command that started the run. ``bpnn train DATASET --resume DIR`` continues it
with the same data and hyper-parameters to the weights an uninterrupted run
would have reached; options that would change the run are refused.
"""

from __future__ import annotations

import signal
from pathlib import Path

from ..errors import UsageError

CHECKPOINT = "checkpoint.npz"


def command_record(args, config) -> dict:
    """What a checkpoint keeps of the command line (JSON)."""
    record = {
        "dataset": args.dataset,
        "preset": args.preset,
        "config": config.to_dict(),
    }
    if args.dataset == "csv":
        record["csv"] = _given_csv(args)
    return record


def open_resumed(args):
    """(run folder, RunConfig, (network, optimizer, state)) of ``--resume DIR``.

    The dataset, its options and every hyper-parameter given must be those the
    run was started with.
    """
    from ..train.checkpoint import load_checkpoint
    from .config import OVERRIDES, RunConfig

    folder = Path(args.resume)
    path = folder / CHECKPOINT
    if not path.exists():
        if (folder / "model.npz").exists():
            raise UsageError(f"--resume {folder}: that run finished; nothing to resume")
        raise UsageError(
            f"--resume {folder}: no interrupted run there (no {CHECKPOINT})"
        )
    if args.out and Path(args.out).resolve() != folder.resolve():
        raise UsageError("--resume continues in the run's own folder: leave out --out")
    network, optimizer, state = load_checkpoint(path)
    record = state.extra
    if record.get("dataset") != args.dataset:
        raise UsageError(
            f"--resume {folder}: that run trained on {record.get('dataset')!r}, "
            f"not {args.dataset!r}"
        )
    for name, value in _given_csv(args).items():
        if record.get("csv", {}).get(name) != value:
            raise UsageError(
                f"--resume {folder}: that run used {name}={record['csv'].get(name)!r}"
                f", this command gives {value!r}"
            )
    # a run saved before train_sample existed measured every record
    config = RunConfig(**{"train_sample": 0, **record["config"]})
    for name in ("preset", *OVERRIDES):
        given = getattr(args, name, None)
        started = record.get("preset") if name == "preset" else getattr(config, name)
        if given is not None and given != started:
            option = "--" + name.replace("_", "-")
            raise UsageError(
                f"--resume continues the run as it was started: {option} {given} "
                f"differs from its {started}"
            )
    args.preset = record.get("preset")
    return folder, config, (network, optimizer, state)


def _given_csv(args):
    if args.dataset != "csv":
        return {}
    from dataclasses import asdict

    from .config import CsvOptions

    given = asdict(CsvOptions.from_args(args))
    given["path"] = str(Path(args.path).resolve())
    return given


def keep_for_resume(run, out_dir, args, config):
    """After training: save the checkpoint of an interrupted run, or remove
    the one a finished run no longer needs."""
    from ..train.checkpoint import save_checkpoint

    path = Path(out_dir) / CHECKPOINT
    if run.history.stop_reason == "interrupted":
        run.state.extra = command_record(args, config)
        save_checkpoint(path, run.network, run.optimizer, run.state)
    elif path.exists():
        path.unlink()


def interrupted_lines(run, out_dir, args):
    """What to tell the user about an interrupted run, and its exit status."""
    name = signal.Signals(run.state.signal or signal.SIGINT).name
    again = f"bpnn train {args.dataset}"
    if args.dataset == "csv":
        again += f" {args.path} --target {args.target}"
    lines = [
        (
            f"interrupted ({name}) after {run.state.step} weight updates: the run so "
            f"far is in {out_dir}/ (model.npz, history.csv, metrics.json, {CHECKPOINT})"
        ),
        f"continue it with: {again} --resume {out_dir}",
    ]
    return lines, 128 + (run.state.signal or signal.SIGINT)
