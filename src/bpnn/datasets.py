"""The lecture's data sets and any CSV table: ``bpnn.datasets.load_admissions()``.

The public name for ``bpnn.data.datasets``; pandas loads only when a data set
is read.
"""

from .data.datasets import (
    Dataset,
    load_admissions,
    load_bike_sharing,
    load_csv,
    require_pandas,
    split_rows,
)

__all__ = [
    "Dataset",
    "load_admissions",
    "load_bike_sharing",
    "load_csv",
    "require_pandas",
    "split_rows",
]
