"""A run's folder, claimed before training and released once written.

Two runs must never write into one folder, and a folder that holds any part
of another run (its outputs, its checkpoint, its lock) is never reused. The
claim is a lock file created with ``O_EXCL`` inside the folder: of two runs
racing for one ``--out`` exactly one creates it, and the other is refused.
The lock names its process; a run killed before it could release the lock
leaves it behind, and ``--resume`` recognises that process is gone and takes
the folder over. Default folders ``runs/<name>-<date>-<time>`` are made with
an exclusive ``mkdir``, so two runs finishing in one second get two folders.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime
from pathlib import Path

from ..errors import InputError, UsageError

LOCK = ".bpnn-run.lock"
CHECKPOINT = "checkpoint.npz"
#: the outputs of a finished run (``apps.outputs``), the two plots last
OUTPUT_FILES = (
    "history.csv",
    "model.npz",
    "metrics.json",
    "loss.png",
    "predictions.png",
)
#: every file a run leaves in its folder
RUN_FILES = (*OUTPUT_FILES, CHECKPOINT)


def written(plots=True) -> str:
    """The outputs' names, as the run's last line lists them."""
    return " ".join(OUTPUT_FILES if plots else OUTPUT_FILES[:3])


class RunDir:
    """A claimed folder: ``path``, and whether this run created it."""

    def __init__(self, path, created):
        self.path, self.created = Path(path), created
        self.lock = self.path / LOCK

    def holds(self) -> list:
        """The run files now in the folder."""
        return [f for f in RUN_FILES if (self.path / f).exists()]

    def release(self):
        """Drop the lock; a folder this run made and left empty goes too."""
        try:
            self.lock.unlink()
        except FileNotFoundError:
            pass
        if self.created:
            try:
                self.path.rmdir()  # only if empty
            except OSError:
                pass

    def __str__(self):
        return str(self.path)


def claim(path) -> RunDir:
    """Claim ``--out`` for a new run, or refuse it naming what is there."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputError(f"--out {path}: exists and is not a folder")
    created = _make(path)
    run = RunDir(path, created)
    _take_lock(run, "--out")
    taken = run.holds()
    if taken:
        run.release()
        if CHECKPOINT in taken:
            raise InputError(
                f"--out {path}: holds an interrupted run ({', '.join(taken)}): "
                f"continue it with --resume {path}, or choose another folder"
            )
        raise InputError(
            f"--out {path}: already holds a run ({', '.join(taken)}); "
            "choose another folder"
        )
    return run


def claim_new(name, root="runs") -> RunDir:
    """A fresh folder ``root/<name>-<date>-<time>[-k]``, made by this run."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    Path(root).mkdir(parents=True, exist_ok=True)
    k = 1
    while True:
        path = Path(root) / (f"{name}-{stamp}" + (f"-{k}" if k > 1 else ""))
        try:
            path.mkdir()
        except FileExistsError:
            k += 1
            continue
        run = RunDir(path, created=True)
        _take_lock(run, "runs folder")
        return run


def claim_for_resume(path) -> RunDir:
    """Claim an interrupted run's folder: refused while its own process (or
    another resume) still runs; the lock of a dead process is taken over."""
    path = Path(path)
    if not path.is_dir():
        raise UsageError(
            f"--resume {path}: no interrupted run there (no {CHECKPOINT}), no "
            "such folder"
        )
    run = RunDir(path, created=False)
    _take_lock(run, "--resume", take_over=True)
    return run


def _make(path) -> bool:
    try:
        path.mkdir(parents=True)
        return True
    except FileExistsError:
        return False


def _take_lock(run, option, take_over=False):
    for _ in range(3):
        try:
            fd = os.open(run.lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            owner = _owner(run.lock)
            if _alive(owner) or not take_over:
                if run.created:
                    run.created = False  # not ours to remove any more
                raise InputError(_locked_message(run, option, owner)) from None
            # a dead run's lock: move it aside (one process wins the rename)
            stale = run.lock.with_name(f"{LOCK}.{os.getpid()}.stale")
            try:
                os.rename(run.lock, stale)
                stale.unlink()
            except FileNotFoundError:
                pass
            continue
        with os.fdopen(fd, "w") as f:
            json.dump(_me(), f)
        return
    raise InputError(f"{option} {run.path}: another run keeps claiming it")


def _me():
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.now().isoformat(timespec="seconds"),
    }


def _owner(lock) -> dict:
    try:
        owner = json.loads(Path(lock).read_text())
    except (OSError, ValueError):
        return {}  # half written, or not ours: treated as a dead run's
    return owner if isinstance(owner, dict) else {}


def _alive(owner) -> bool:
    """Whether the lock's process still runs (another host's: assume so)."""
    pid = owner.get("pid")
    if isinstance(pid, bool) or not isinstance(pid, int) or pid <= 0:
        return False
    if owner.get("host") != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return False
    return True


def _locked_message(run, option, owner):
    pid = owner.get("pid", "?")
    if _alive(owner):
        return (
            f"{option} {run.path}: another bpnn run (process {pid}, started "
            f"{owner.get('started', '?')}) is using this folder"
        )
    return (
        f"{option} {run.path}: holds {LOCK} of a run (process {pid}) that stopped "
        "without finishing"
        + (
            f"; it kept {', '.join(run.holds())}: continue it with --resume"
            if CHECKPOINT in run.holds()
            else "; nothing of it can be continued: remove the folder or choose another"
        )
    )
