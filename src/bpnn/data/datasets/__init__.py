"""The lecture's two data sets, shipped inside the package, and any CSV.

``load_admissions()`` and ``load_bike_sharing()`` return the splits the course
uses, prepared as it prepares them; ``load_csv(path, target)`` does the same for
a table of one's own. Each returns a ``Dataset``: arrays, feature names, and the
``Preparation`` that turns predictions back into real units. Reading a table
needs pandas (``pip install "bpnn[apps]" (in a checkout: pip install -e ".[apps]")``); importing this module does not.
"""

from .base import Dataset, require_pandas
from .course import load_admissions, load_bike_sharing
from .table import load_csv, split_rows

__all__ = [
    "Dataset",
    "load_admissions",
    "load_bike_sharing",
    "load_csv",
    "require_pandas",
    "split_rows",
]
