"""Training on a Dask cluster: the same updates as ``bpnn.fit``, with the rows
spread over the workers.

``bpnn.distributed.fit(network, X, y, client=client, ...)`` takes dask arrays
(see ``bpnn.distributed.training`` for the schedules and what travels per
update); ``bpnn.distributed.tables.load_csv`` reads CSV files on the workers
with bpnn's reader and prepares them as ``bpnn train csv`` prepares their
concatenation.
dask and distributed are imported only when one of these is called
(``pip install "bpnn[dask]"``).
"""

from .cluster import connect
from .training import batch_rows, fit

__all__ = ["batch_rows", "connect", "fit"]
