"""Checkpoints of format 1 (bpnn 0.1), which kept the parts of a run flat:
``initial_loss``, ``good0...`` (divergence), ``best_loss``, ``since_best``,
``best0...`` (early stopping), ``batches`` and ``order`` (the sampler). They
are mapped to the parts' state_dicts, and continue as bpnn 0.1 would have.
"""

from __future__ import annotations


def parts_v1(config, arrays, read_order):
    """The parts of a run saved by format 1, which kept them flat."""
    has, settings = config["has"], config["settings"]
    patience = settings.get("patience")
    parts = {
        "divergence": {
            "config": {"initial_loss": config["initial_loss"]},
            "arrays": numbered("good", arrays("good") if has["good"] else []),
        },
        "early_stopping": {
            "config": {
                "best_loss": config["best_loss"],
                "since_best": config["since_best"],
                # format 1 stopped after patience + 1 evaluations without
                # improvement: such a run continues as it was started
                "stop_after": None if patience is None else int(patience) + 1,
            },
            "arrays": numbered("best", arrays("best") if has["best"] else []),
        },
        "sampler": {"config": config.get("batches") or {}, "arrays": {}},
    }
    if has["order"]:
        parts["sampler"]["arrays"]["order"] = read_order()
    return parts


def numbered(prefix, arrays):
    return {f"{prefix}{i}": a for i, a in enumerate(arrays)}
