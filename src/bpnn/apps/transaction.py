"""Writing a run is one transaction: it ends complete, or resumable.

After training the checkpoint is written first (shielded from signals), then
the outputs one by one (each atomically), and only once every output is on
disk is the checkpoint dropped (a finished run) and the folder's lock
released. A crash or a signal at any point in between leaves the checkpoint,
and ``--resume`` finishes the run: a finished run's checkpoint says so, and
resuming it only writes what is missing.

Signals while writing: the first one after a run that trained to its end is
held until the writing is done (about a second); a further one, or the first
after a run that was itself interrupted, stops the writing at once, with the
checkpoint already safe.
"""

from __future__ import annotations

import math
import signal

from ..train.checkpoint import keep_or_drop, save_checkpoint
from ..train.signals import Interrupted
from .rundir import CHECKPOINT

#: callables ``hook(phase, folder)`` run at each phase boundary of ``bpnn
#: train`` (a test's way to land a signal exactly there)
PHASE_HOOKS = []


def reached(phase, folder=None):
    for hook in PHASE_HOOKS[:]:  # a hook may remove itself
        hook(phase, folder)


def write_run(run, rundir, guard, record, preset, plots=True):
    """Checkpoint, outputs, then the checkpoint dropped if the run finished.

    Returns the signal held while writing (or None); raises ``Interrupted``
    when a signal stopped the writing (the run is then resumable).
    """
    from .outputs import write_outputs

    folder = rundir.path
    path = folder / CHECKPOINT
    # one signal is held while writing, none if one already stopped training
    guard.allowance = 0 if run.state.signal else 1
    with guard.shielded():
        run.state.extra = record
        save_checkpoint(path, run.network, run.optimizer, run.state)
    reached("checkpoint", folder)
    write_outputs(
        run, folder, preset=preset, plots=plots, on_phase=lambda p: reached(p, folder)
    )
    # every output is on disk: from here a signal is only noted
    guard.allowance = math.inf
    reached("outputs", folder)
    keep_or_drop(path, run.network, run.optimizer, run.state)
    rundir.release()
    reached("released", folder)
    return guard.received[0] if guard.received else None


def stopped_writing_lines(stop: Interrupted, rundir, again):
    """What to say when a signal stopped the writing: where the run is, what
    it holds, and how to finish it."""
    name = signal.Signals(stop.signum).name
    held = ", ".join(rundir.holds())
    return [
        f"interrupted ({name}) while writing {rundir.path}/: it holds {held}",
        f"the run can be finished with: {again} --resume {rundir.path}",
    ]
