"""Reaching a Dask cluster, and telling a lost scheduler from a failed task.

``connect("local:2")`` starts a LocalCluster of two worker processes for the
length of a run; ``connect("tcp://host:8786")`` joins a scheduler started with
``dask scheduler`` (its workers with ``dask worker tcp://host:8786``).
"""

from __future__ import annotations

import contextlib

from ..errors import InputError

#: seconds to wait for a scheduler before giving up
CONNECT_TIMEOUT = 10


def require_dask():
    """dask and distributed, or a one-line error saying how to install them."""
    try:
        import dask  # noqa: F401

        import distributed
    except ImportError:
        raise InputError(
            'training on Dask needs dask and distributed: pip install "bpnn[dask]"'
        ) from None
    return distributed


@contextlib.contextmanager
def connect(address, threads_per_worker=1):
    """A ``distributed.Client`` for ``address``, closed (with the cluster it
    started, if any) when the block ends.

    ``local:N`` starts N worker processes on this machine; anything else is a
    scheduler address such as ``tcp://10.0.0.5:8786``.
    """
    distributed = require_dask()
    address = str(address)
    if address.startswith("local:"):
        n = address.split(":", 1)[1]
        if not n.isdigit() or int(n) < 1:
            raise InputError(
                f"--dask {address}: local:N takes a number of workers >= 1, got {n!r}"
            )
        cluster = distributed.LocalCluster(
            n_workers=int(n),
            threads_per_worker=threads_per_worker,
            processes=True,
            dashboard_address=":0",
        )
        with cluster, distributed.Client(cluster) as client:
            yield client
        return
    if "://" not in address and ":" not in address:
        raise InputError(
            f"--dask {address!r}: give local:N or a scheduler address such as "
            "tcp://HOST:8786"
        )
    try:
        client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as err:
        raise InputError(
            f"--dask {address}: no Dask scheduler answers ({err})"
        ) from None
    try:
        yield client
    finally:
        if client.status == "running":
            client.close()
        else:
            lost_close(client)


def scheduler_lost(client) -> bool:
    """True once ``client`` has lost its scheduler (a failed task is not that):
    it is then reconnecting, or closed."""
    return client.status != "running"


def scheduler_gone(client) -> bool:
    """After a failure: True if the scheduler no longer answers. A failed
    task, or one cancelled while the scheduler lives, is not that."""
    if scheduler_lost(client):
        return True
    try:
        client.run_on_scheduler(_alive)
    except Exception:  # noqa: BLE001 - any failure to answer means gone
        return True
    return scheduler_lost(client)


def _alive():
    return True


def lost_close(client):
    """Close a client whose scheduler has gone, quietly: its tasks are gone and
    the run has already said so."""
    import logging

    for name in ("distributed", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    with contextlib.suppress(Exception):
        client.close(timeout=1)
