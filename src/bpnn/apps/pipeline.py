"""What ``bpnn train`` does, between parsing and printing (``bpnn predict``:
``apps.predict``).

``train_and_report`` claims the run's folder, loads the data set, settles the
hyper-parameters (preset, then the command line: ``apps.settle``), trains
with a live progress bar, writes the outputs as one transaction and prints the
verdict. Each stage is a function of ``apps.run``, ``apps.outputs`` or
``apps.transaction`` that can be called on its own.
"""

from __future__ import annotations

import math
import signal
import sys

from .settle import (
    check_config,
    check_loss_fits,
    default_preset,
    describe,
    require_apps,
    settle_config,
)


def load_dataset(args):
    from ..data import datasets

    require_apps(plots=not getattr(args, "no_plots", False))
    if args.dataset == "admissions":
        return datasets.load_admissions()
    if args.dataset == "bike":
        return datasets.load_bike_sharing()
    from .config import CsvOptions

    return datasets.load_csv(**CsvOptions.from_args(args).load_kwargs())


def train_and_report(args, stream=sys.stdout) -> int:
    """``bpnn train``: the folder is claimed before the data is read, and the
    run is written as one transaction (``apps.transaction``)."""
    from ..train.signals import Interrupted, SignalGuard, patient_signals
    from .resume import again_command
    from .speaker import Speaker

    say = Speaker(stream)
    resuming = bool(getattr(args, "resume", None))
    config = None if resuming else check_config(settle_config(args), args)
    with SignalGuard() as guard, patient_signals():
        guard.rundir, guard.writing = None, False
        try:
            if resuming:
                from .rundir import claim_for_resume

                guard.rundir = claim_for_resume(args.resume)
            elif args.out:
                from .rundir import claim

                guard.rundir = claim(args.out)
            return _train_in(args, config, guard, say)
        except Interrupted as stop:
            name = signal.Signals(stop.signum).name
            if guard.writing:
                from .transaction import stopped_writing_lines

                lines = stopped_writing_lines(stop, guard.rundir, again_command(args))
                for line in lines:
                    say(line)
            else:
                where = f" ({guard.rundir.path} left as it was)" if resuming else ""
                say(f"interrupted ({name}) before training: nothing written{where}")
            return 128 + stop.signum
        finally:
            if guard.rundir is not None:
                guard.rundir.release()


def _train_in(args, config, guard, say) -> int:
    from ..train.state import TrainingState
    from .background import Task
    from .metrics import no_better_than_majority, summary_lines
    from .resume import (
        check_same_data,
        command_record,
        data_fingerprint,
        interrupted_lines,
        open_resumed,
        started_file_hash,
    )
    from .run import build_network, build_optimizer, train
    from .rundir import claim_new, written
    from .transaction import reached, write_run
    from .words import say as words

    lang = getattr(args, "lang", None) or "en"
    resumed, rundir = None, guard.rundir
    if rundir is not None:
        reached("claimed", rundir.path)
    if getattr(args, "resume", None):
        config, resumed = open_resumed(args, rundir.path)
        check_config(config, args)
    # the file's SHA-256 is taken beside the reading, and the prepared
    # arrays' beside the training
    file_digest = started_file_hash(args)
    dataset = load_dataset(args)
    check_loss_fits(dataset, config)

    def fingerprint_data():
        return data_fingerprint(dataset, args, file_digest and file_digest.result())

    fingerprint = Task(fingerprint_data)
    if resumed:
        check_same_data(rundir.path, resumed[2].extra, fingerprint.result())
    say(dataset)
    for line in dataset.notes:
        say(line)
    if dataset.dropped_rows:
        say(f"left out {dataset.dropped_rows} row(s) with missing values (--dropna)")
    # one network, described and then trained (a resumed run's own)
    start = resumed or (
        build_network(config, dataset),
        build_optimizer(config),
        TrainingState(),
    )
    say(describe(start[0], config))
    if rundir is None:
        rundir = guard.rundir = claim_new(dataset.name)
        reached("claimed", rundir.path)
    if resumed:
        say(f"resuming {rundir.path} after {resumed[2].step} weight updates")
    reached("training", rundir.path)
    # from here on a signal is the run's to handle: fit finishes its step, and
    # one that comes after is held until the checkpoint is safe
    guard.allowance, guard.writing = math.inf, True
    run = train(dataset, config, progress=not args.quiet, resumed=start)
    reached("trained", rundir.path)
    history = run.history
    preset = args.preset or default_preset(args)
    record = command_record(args, config, fingerprint.result())
    plots = not getattr(args, "no_plots", False)
    held = write_run(run, rundir, guard, record, preset, plots)
    from .words import word

    reason = word(lang, history.stop_reason.replace(" ", "_"))
    say(
        words(
            lang,
            "stopped",
            reason=reason,
            updates=run.state.step,
            seconds=run.wall_time_s,
        )
    )
    if history.message:
        say(f"  {history.message}")
    for line in summary_lines(dataset, run.metrics, lang):
        say(line)
    if dataset.task != "regression" and no_better_than_majority(run.metrics):
        hint = dataset.hints.get("no_better_than_majority")
        hint = f" ({hint})" if hint else ""
        majority = run.metrics["majority_class"]
        print(words(lang, "majority", majority=majority, hint=hint), file=sys.stderr)
    files = written(plots)
    say(words(lang, "wrote", folder=rundir.path, files=files))
    if history.stop_reason == "interrupted":
        lines, status = interrupted_lines(run, rundir.path, args)
        for line in lines:
            say(line)
        return status
    if held is not None:
        say(
            f"{signal.Signals(held).name} came while writing: the writing was "
            f"finished first; the run is complete in {rundir.path}/"
        )
        return 128 + held
    return 1 if history.stop_reason == "diverged" else 0
