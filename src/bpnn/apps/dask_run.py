"""``bpnn train csv 'data/part-*.csv' --target y --dask local:2``: the run of
``bpnn train csv`` with the data on a Dask cluster.

The files are read, checked and prepared on the workers
(``bpnn.distributed.tables``), the network trains there
(``bpnn.distributed.fit``), the metrics are computed there, and the run's
folder gets the usual files; ``predictions.png`` shows at most ``PLOT_ROWS``
test rows (every k-th). ``--dask local:N`` starts N worker processes for the
run; ``--dask tcp://HOST:8786`` uses a running scheduler. A scheduler that goes
away stops the run like Ctrl-C does: the folder keeps the model so far and a
checkpoint that ``--resume DIR --dask ADDRESS`` continues.
"""

from __future__ import annotations

import dataclasses
import sys
import time

#: test rows fetched to the client for predictions.png, at most
PLOT_ROWS = 20_000


def train_and_report(args, stream=sys.stdout) -> int:
    from .rundir import claim, claim_for_resume
    from .settle import check_config, require_apps, settle_config

    require_apps(plots=not getattr(args, "no_plots", False))
    rundir = config = None
    try:
        if args.resume:
            rundir = claim_for_resume(args.resume)
        else:
            config = check_config(settle_config(args), args)
            rundir = claim(args.out) if args.out else None
        return _train(args, stream, rundir, config)
    finally:
        if rundir is not None:
            rundir.release()


def _train(args, stream, rundir, config):
    """The run in a claimed folder (or one claimed once the data is read),
    written as ``bpnn train`` writes it (``apps.transaction``); ``config``:
    the settled one, None when resuming (the checkpoint's)."""
    from ..distributed import connect, fit
    from ..distributed.cluster import scheduler_lost
    from ..distributed.tables import load_csv
    from ..errors import InputError
    from ..train.signals import SignalGuard
    from ..train.state import TrainingState
    from .config import CsvOptions
    from .resume import command_record, interrupted_lines, open_resumed
    from .run import Run, build_network, build_optimizer, lr_schedule
    from .rundir import claim_new
    from .settle import describe
    from .transaction import write_run

    resumed = None
    if args.resume:
        config, resumed = open_resumed(args, rundir.path)
    out_dir = rundir.path if rundir is not None else None
    if config.sampling == "random":
        raise InputError(
            "--dask trains with --sampling shuffle or per_record, not random: "
            "use --sampling shuffle --batch-size N"
        )
    with connect(args.dask) as client:
        dataset = load_csv(client, **CsvOptions.from_args(args).load_kwargs())
        print(f"{dataset} on {_workers(client)}", file=stream)
        for line in dataset.notes:
            print(line, file=stream)
        if dataset.dropped_rows:
            print(
                f"left out {dataset.dropped_rows} row(s) with missing values "
                "(--dropna)",
                file=stream,
            )
        _check_loss_fits(client, dataset, config)
        if resumed is None:
            network, optimizer = build_network(config, dataset), build_optimizer(config)
            state = TrainingState()
        else:
            network, optimizer, state = resumed
            print(f"resuming {out_dir} after {state.step} weight updates", file=stream)
        print(describe(network, config), file=stream)
        shown = _test_sample(client, dataset)
        start = time.perf_counter()
        history = fit(
            network,
            dataset.X_train,
            _targets(network, dataset.y_train),
            client=client,
            optimizer=optimizer,
            epochs=config.epochs,
            steps=config.steps,
            batch_size=config.batch_size,
            sampling=config.sampling,
            validation_data=(dataset.X_val, _targets(network, dataset.y_val)),
            eval_every=config.eval_every,
            patience=config.patience,
            seed=config.seed,
            progress=not args.quiet,
            callback=lr_schedule(config, optimizer),
            state=state,
            train_sample=config.train_sample or None,
        )
        wall = time.perf_counter() - start
        lost = scheduler_lost(client)
        metrics = {} if lost else cluster_metrics(client, network, dataset)
    run = Run(shown, config, network, history, metrics, wall, optimizer, state)
    if rundir is None:
        rundir = claim_new(dataset.name)
    try:
        # checkpoint first, outputs, then the checkpoint dropped if finished
        record = command_record(args, config)
        plots = not getattr(args, "no_plots", False)
        write_run(run, rundir, SignalGuard(), record, "default", plots)
    finally:
        rundir.release()
    return _report(run, rundir.path, args, lost, stream, interrupted_lines)


def _report(run, out_dir, args, lost, stream, interrupted_lines) -> int:
    from .metrics import no_better_than_majority, summary_lines
    from .rundir import written

    history = run.history
    print(
        f"stopped: {history.stop_reason} after {run.state.step} weight updates "
        f"in {run.wall_time_s:.1f} s",
        file=stream,
    )
    if history.message:
        print(f"  {history.message}", file=stream)
    if run.metrics:
        for line in summary_lines(run.dataset, run.metrics):
            print(line, file=stream)
        if run.dataset.task != "regression" and no_better_than_majority(run.metrics):
            print(
                "warning: the model does no better than always answering the "
                f"majority class {run.metrics['majority_class']!r}",
                file=sys.stderr,
            )
    print(
        f"wrote {out_dir}/: {written(not getattr(args, 'no_plots', False))}",
        file=stream,
    )
    if history.stop_reason != "interrupted":
        return 1 if history.stop_reason == "diverged" else 0
    lines, status = interrupted_lines(run, out_dir, args)
    if lost:
        lines[0] = (
            f"lost the Dask scheduler after {run.state.step} weight updates: the "
            f"run so far is in {out_dir}/ (model.npz, history.csv, checkpoint.npz;"
            " no metrics)"
        )
        status = 1
    lines[1] += f" --dask {args.dask}"
    for line in lines:
        print(line, file=stream)
    return status


def _check_loss_fits(client, dataset, config):
    """``settle.check_loss_fits``, with the training targets fetched only
    when the loss is one for probabilities."""
    from .settle import check_loss_fits

    if dataset.task == "regression" and config.loss in ("bce", "cross_entropy"):
        y = client.compute(dataset.y_train).result()
        check_loss_fits(dataclasses.replace(dataset, y_train=y), config)


def _workers(client) -> str:
    n = len(client.scheduler_info()["workers"])
    return f"{n} Dask worker{'s' if n != 1 else ''}"


def _targets(network, y):
    """Class indices as one-hot rows where the network needs them
    (``bpnn.run.network_targets``), chunk by chunk."""
    from .run import network_targets

    if network.n_out > 1 and y.ndim == 1 and network.loss_fn.name != "cross_entropy":
        return y.map_blocks(
            network_targets,
            network,
            new_axis=1,
            chunks=(y.chunks[0], (network.n_out,)),
            dtype=float,
        )
    return y


def _test_sample(client, dataset):
    """The dataset, its test split replaced by at most ``PLOT_ROWS`` of its
    rows (every k-th) in memory, for predictions.png."""
    k = -(-len(dataset.X_test) // PLOT_ROWS)
    X, y = client.gather(client.compute([dataset.X_test[::k], dataset.y_test[::k]]))
    return dataclasses.replace(dataset, X_test=X, y_test=y)


def cluster_metrics(client, network, dataset) -> dict:
    """``bpnn.apps.metrics``' numbers: the network's outputs on every row are
    computed on the workers and come to the client with the targets (n_out + 1
    numbers a row), where ``metrics.scored`` judges them as in memory."""
    from ..distributed.work import predict_block
    from .metrics import scored

    spec, weights = network.to_config(), [p.copy() for p in network.params()]

    def predicted(X):
        return X.map_blocks(
            predict_block,
            spec,
            weights,
            chunks=(X.chunks[0], (network.n_out,)),
            dtype=network.dtype,
        )

    splits = dataset.splits()
    wanted = [a for _, X, y in splits for a in (predicted(X), y)]
    arrays = client.gather(client.compute(wanted))
    outputs = {split: arrays[2 * k] for k, (split, _, _) in enumerate(splits)}
    targets = {split: arrays[2 * k + 1] for k, (split, _, _) in enumerate(splits)}
    here = dataclasses.replace(
        dataset,
        y_train=targets["train"],
        y_val=targets.get("validation"),
        y_test=targets["test"],
    )
    return scored(here, outputs)
