"""Interrupted ``bpnn train`` runs: what is kept, and ``--resume DIR``.

Ctrl-C or SIGTERM during training finishes the current step; the run's folder
then gets ``checkpoint.npz`` (``bpnn.train.checkpoint``) holding the
optimizer's state, the random stream, the command that started the run and a
fingerprint of its data, then its model, history and metrics so far
(``apps.transaction``). ``bpnn train DATASET --resume DIR`` continues it with
the same data and hyper-parameters to the weights an uninterrupted run would
have reached; other options, or data whose content changed, are refused.
"""

from __future__ import annotations

import hashlib
import signal
from pathlib import Path

import numpy as np

from ..errors import ModelFileError, UsageError
from .rundir import CHECKPOINT

#: bytes hashed at a time
_CHUNK = 1 << 22


def command_record(args, config, fingerprint=None) -> dict:
    """What a checkpoint keeps of the command line (JSON), and of its data."""
    record = {
        "dataset": args.dataset,
        "preset": args.preset,
        "config": config.to_dict(),
    }
    if args.dataset == "csv":
        record["csv"] = _given_csv(args)
    if fingerprint is not None:
        record["data"] = fingerprint
    return record


def data_fingerprint(dataset, args, file_digest=None) -> dict:
    """Sizes and SHA-256 of the prepared arrays and, for a CSV, of the file:
    a resumed run must see the very data it was started on. ``file_digest``:
    the file's ``file_hash``, if already taken."""
    digest = hashlib.sha256()
    shapes = []
    for name in ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test"):
        arr = getattr(dataset, name, None)
        if arr is None:
            shapes.append(None)
            continue
        shapes.append(list(arr.shape))
        rows = max(1, _CHUNK // max(1, arr[:1].nbytes))  # memory-mapped: in parts
        for start in range(0, len(arr), rows):
            # little-endian bytes, copied only where the array is not so
            part = arr[start : start + rows]
            digest.update(np.ascontiguousarray(part, part.dtype.newbyteorder("<")))
    found = {"arrays_sha256": digest.hexdigest(), "shapes": shapes}
    if args.dataset == "csv":
        found["file_bytes"], found["file_sha256"] = file_digest or file_hash(args.path)
    return found


def started_file_hash(args):
    """The CSV's ``file_hash``, started in a thread (``apps.background``) to
    run beside the reading; None if it is not a regular file (the reader
    refuses a FIFO or a device, which would never end, in its own words)."""
    import os
    import stat

    from .background import Task

    if args.dataset != "csv":
        return None
    try:
        if not stat.S_ISREG(os.stat(args.path).st_mode):
            return None
    except OSError:
        return None
    return Task(file_hash, args.path)


def file_hash(path):
    """(bytes, SHA-256 hex) of the file at ``path``."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while block := f.read(_CHUNK):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def check_same_data(folder, record, now):
    """Refuse to continue a run on data other than its own, naming the
    difference; a checkpoint without a fingerprint (older bpnn) is trusted."""
    if "data" not in record:
        return
    then = record["data"]
    if not isinstance(then, dict) or not isinstance(then.get("arrays_sha256"), str):
        raise UsageError(
            f"--resume {folder}: its checkpoint's data fingerprint is damaged"
        )
    if "file_sha256" in then and then.get("file_sha256") != now.get("file_sha256"):
        raise UsageError(
            f"--resume {folder}: the CSV changed since the run started: it had "
            f"{then.get('file_bytes')} bytes (SHA-256 {str(then['file_sha256'])[:12]}"
            f"...), it has {now.get('file_bytes')} bytes (SHA-256 "
            f"{now['file_sha256'][:12]}...) now"
        )
    if then.get("arrays_sha256") != now["arrays_sha256"]:
        raise UsageError(
            f"--resume {folder}: the prepared data differ from the run's (shapes "
            f"{then.get('shapes')} then, {now['shapes']} now; SHA-256 "
            f"{str(then.get('arrays_sha256'))[:12]}... then, "
            f"{now['arrays_sha256'][:12]}... now)"
        )


def open_resumed(args, folder):
    """(RunConfig, (network, optimizer, state)) of ``--resume DIR``, whose
    folder the caller has claimed.

    The dataset, its options and every hyper-parameter given must be those the
    run was started with.
    """
    from ..train.checkpoint import load_checkpoint
    from .config import OVERRIDES, RunConfig

    folder = Path(folder)
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
    csv = record.get("csv") if isinstance(record.get("csv"), dict) else {}
    for name, value in _given_csv(args).items():
        if csv.get(name) != value:
            raise UsageError(
                f"--resume {folder}: that run used {name}={csv.get(name)!r}"
                f", this command gives {value!r}"
            )
    # a run saved before train_sample existed measured every record
    try:
        config = RunConfig(**{"train_sample": 0, **record["config"]})
    except (KeyError, TypeError) as err:
        raise ModelFileError(
            f"{path}: field 'extra.config' holds no run configuration ({err})"
        ) from None
    _check_types(config, path)
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
    return config, (network, optimizer, state)


#: JSON types of the annotations of RunConfig's fields
_KINDS = {
    "int": (int,),
    "float": (int, float),
    "str": (str,),
    "bool": (bool,),
    "list": (list,),
    "None": (type(None),),
}


def _check_types(config, path):
    """Each recorded hyper-parameter of the type its declaration gives
    (``apps.config.RunConfig``); ranges are check_config's."""
    from dataclasses import fields

    for f in fields(config):
        name, value = f.name, getattr(config, f.name)
        kinds = sum((_KINDS.get(t.strip(), ()) for t in str(f.type).split("|")), ())
        if not kinds:
            continue
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(
            value, kinds
        ):
            raise ModelFileError(
                f"{path}: field 'extra.config.{name}' holds {str(value)[:40]!r}"
            )
    hidden = config.hidden
    if not isinstance(hidden, list) or not all(
        isinstance(h, int) and not isinstance(h, bool) and h >= 1 for h in hidden
    ):
        raise ModelFileError(
            f"{path}: field 'extra.config.hidden' holds {str(hidden)[:40]!r}, "
            "not a list of sizes"
        )


def _given_csv(args):
    if args.dataset != "csv":
        return {}
    from dataclasses import asdict

    from .config import CsvOptions

    given = asdict(CsvOptions.from_args(args))
    given["path"] = str(Path(args.path).resolve())
    return given


def interrupted_lines(run, out_dir, args):
    """What to tell the user about an interrupted run, and its exit status."""
    name = signal.Signals(run.state.signal or signal.SIGINT).name
    again = again_command(args)
    lines = [
        (
            f"interrupted ({name}) after {run.state.step} weight updates: the run so "
            f"far is in {out_dir}/ (model.npz, history.csv, metrics.json, {CHECKPOINT})"
        ),
        f"continue it with: {again} --resume {out_dir}",
    ]
    return lines, 128 + (run.state.signal or signal.SIGINT)


def again_command(args) -> str:
    """The start of the command that continues this run."""
    again = f"bpnn train {args.dataset}"
    if args.dataset == "csv":
        again += f" {args.path} --target={args.target}"
    return again
