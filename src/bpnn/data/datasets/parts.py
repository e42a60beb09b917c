"""The training, validation and test parts of a table (or of the files given
for them), and their arrays, prepared in one pass per table."""

from __future__ import annotations

import numpy as np

from ..splits import split_rows


def parts_of(frames, split, seed, task, y):
    """{part: (frame, row positions or None)} for train, validation, test."""
    main = frames["main"]
    train_f, val_f, test_f = split
    if "validation" in frames and "test" in frames:
        return {
            "train": (main, None),
            "validation": (frames["validation"], None),
            "test": (frames["test"], None),
        }
    classes = None
    if task != "regression":
        import pandas as pd

        classes = pd.factorize(y.iloc[: len(main)])[0]
    if "test" in frames:  # the main file is split into train and validation
        val_f, test_f = 0.0, val_f / (train_f + val_f)
        train, _, val = split_rows(len(main), seed, 0.0, test_f, classes)
        parts = {"train": (main, train), "test": (frames["test"], None)}
        if len(val) and split[1] > 0:
            parts["validation"] = (main, val)
        return parts
    if "validation" in frames:
        test_f = test_f / (train_f + test_f)
        train, _, test = split_rows(len(main), seed, 0.0, test_f, classes)
        return {
            "train": (main, train),
            "validation": (frames["validation"], None),
            "test": (main, test),
        }
    train, val, test = split_rows(len(main), seed, val_f, test_f, classes)
    parts = {"train": (main, train), "test": (main, test)}
    if len(val):
        parts["validation"] = (main, val)
    return parts


def arrays_of(prep, parts):
    """{part: (X, y)}. The parts drawn from one table are prepared in one
    pass, in their order, and returned as consecutive slices (views) of it."""
    arrays, by_frame = {}, {}
    for name, (frame, rows) in parts.items():
        by_frame.setdefault(id(frame), (frame, []))[1].append((name, rows))
    for frame, wanted in by_frame.values():
        if wanted[0][1] is None:
            order = None
        else:
            order = np.concatenate([rows for _, rows in wanted])
        X, y = prep.features(frame, order), prep.targets(frame, order)
        if prep.task == "binary":
            y = y.astype(float)
        start = 0
        for name, rows in wanted:
            stop = start + (len(frame) if rows is None else len(rows))
            arrays[name] = (X[start:stop], y[start:stop])
            start = stop
    return arrays
