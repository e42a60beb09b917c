"""The training view's data: a toy set, one of the lecture's, or an upload.

Every source becomes a ``bpnn.datasets.Dataset`` with its ``Preparation``, so
a model trained here is saved with the preparation inside, as ``bpnn train``
saves it, and ``bpnn predict`` can use it. An uploaded CSV is prepared exactly
as ``bpnn train csv`` prepares one (``bpnn.datasets.load_csv``); its bytes
live in a temporary folder that is removed with the upload.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path

import numpy as np

from ..data.datasets import Dataset
from ..data.preparation import Preparation
from . import checks, toydata
from .checks import RequestError

COURSE = ("admissions", "bike")
SOURCES = (*toydata.SETS, *COURSE, "csv")
MAX_UPLOADS = 8


def toy_dataset(body) -> Dataset:
    name = checks.choice(body, "dataset", tuple(toydata.SETS))
    n = checks.number(body, "points", 300, 20, 5000, integer=True)
    noise = checks.number(body, "noise", 0.1, 0, 0.5)
    fraction = checks.number(body, "train_fraction", 0.5, 0.1, 0.9)
    seed = checks.number(body, "data_seed", 0, 0, 2**32 - 1, integer=True)
    classes = checks.number(body, "classes", 2, 2, 5, integer=True)
    if name not in toydata.MULTICLASS:
        classes = 2
    Xtr, ytr, Xte, yte = toydata.make(name, n, noise, fraction, seed, classes)
    columns = [
        {"name": c, "kind": "numeric", "mean": 0.0, "std": 1.0} for c in ("x1", "x2")
    ]
    task = "binary" if classes == 2 else "multiclass"
    prep = Preparation("label", task, columns, classes=[str(k) for k in range(classes)])
    if task == "binary":
        ytr, yte = ytr.astype(float), yte.astype(float)
    return Dataset(name, prep, Xtr, ytr, None, None, Xte, yte)


class Uploads:
    """Uploaded CSV files, each in its own temporary folder, at most
    ``MAX_UPLOADS`` (the oldest is dropped first)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._items = {}

    def add(self, raw: bytes, filename="upload.csv") -> dict:
        if len(raw) > checks.MAX_UPLOAD:
            raise RequestError(f"the file is over {checks.MAX_UPLOAD} bytes", 413)
        if not raw.strip():
            raise RequestError("the file is empty")
        folder = Path(tempfile.mkdtemp(prefix="bpnn-playground-"))
        stem = "".join(c for c in Path(filename).stem if c.isalnum() or c in "-_")
        path = folder / f"{stem[:40] or 'upload'}.csv"
        path.write_bytes(raw)
        try:
            from ..data.datasets.table import read_table

            frame = read_table(path)
        except (ValueError, TypeError) as err:
            shutil.rmtree(folder, ignore_errors=True)
            raise RequestError(str(err).replace(str(path), path.name)) from None
        upload_id = uuid.uuid4().hex
        with self._lock:
            self._items[upload_id] = (path, time.monotonic())
            while len(self._items) > MAX_UPLOADS:
                oldest = min(self._items, key=lambda k: self._items[k][1])
                self.remove(oldest)
        return {
            "upload": upload_id,
            "name": path.name,
            "rows": len(frame),
            "columns": [str(c) for c in frame.columns],
        }

    def path(self, upload_id):
        with self._lock:
            item = self._items.get(upload_id)
        if item is None:
            raise RequestError(f"no upload {upload_id!r} (upload the file again)", 404)
        return item[0]

    def remove(self, upload_id):
        item = self._items.pop(upload_id, None)
        if item is not None:
            shutil.rmtree(item[0].parent, ignore_errors=True)

    def close(self):
        with self._lock:
            for upload_id in list(self._items):
                self.remove(upload_id)


def load(body, uploads) -> Dataset:
    """The Dataset a training request names."""
    name = checks.choice(body, "dataset", SOURCES)
    if name in toydata.SETS:
        return toy_dataset(body)
    from ..data import datasets

    try:
        datasets.require_pandas()
    except ImportError as err:
        raise RequestError(str(err)) from None
    if name == "admissions":
        return datasets.load_admissions()
    if name == "bike":
        return datasets.load_bike_sharing()
    upload = body.get("upload")
    target = body.get("target")
    if not isinstance(upload, str) or not isinstance(target, str):
        raise RequestError("a CSV data set needs upload (its id) and target (a column)")
    path = uploads.path(upload)
    chosen = checks.column_kinds(body)
    lists = {
        kind: [c for c, k in chosen.items() if k == kind]
        for kind in ("numeric", "categorical", "drop")
    }
    try:
        return datasets.load_csv(path, target, **lists)
    except (ValueError, TypeError) as err:
        raise RequestError(str(err).replace(str(path), path.name)) from None


def points(dataset, limit=600):
    """Up to ``limit`` training and test points of a 2-D set for the page."""
    out = {}
    for split, X, y in (
        ("train", dataset.X_train, dataset.y_train),
        ("test", dataset.X_test, dataset.y_test),
    ):
        out[split] = {
            "x": np.round(X[:limit], 4).tolist(),
            "y": np.asarray(y[:limit]).astype(int).tolist(),
        }
    return out


def columns(dataset) -> list | None:
    """What was done with each column of an uploaded CSV, as the column table
    ``bpnn train csv`` prints: [{name, kind, features, chosen}] (``chosen``:
    the learner's choice, not bpnn's guess), the target last (kind "target");
    None for a data set that is not a table."""
    info = getattr(dataset, "info", None)
    if not info or "columns" not in info:
        return None
    from ..data.encode import features_of

    empty = [{"name": c, "kind": "empty"} for c in info.get("empty_columns", [])]
    rows = [
        {
            "name": str(p["name"]),
            "kind": p["kind"],
            "features": len(features_of(p)),
            "chosen": str(p.get("why", "")).startswith("--"),
        }
        for p in empty + dataset.preparation.columns
    ]
    rows.append(
        {"name": str(dataset.target), "kind": "target", "features": 0, "chosen": True}
    )
    return rows
