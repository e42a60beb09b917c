"""What a training session lets the learner take away: the model, as the
``.npz`` that ``bpnn train`` writes (the data preparation inside, so
``bpnn predict`` and ``bpnn.load`` take it as it is), and the history CSV."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..apps.outputs import history_csv
from ..files.model import save


def model_bytes(session) -> bytes:
    """The session's network as the bytes of a model file."""
    with session.cond:
        d = session.dataset
        extra = {
            "preparation": d.preparation.to_dict(),
            "dataset": d.name,
            "hyperparameters": session.config.to_dict(),
            "weight_updates": session.step,
        }
        with tempfile.TemporaryDirectory(prefix="bpnn-playground-") as folder:
            path = Path(folder) / "model.npz"
            save(session.network, path, extra=extra)
            return path.read_bytes()


def history_text(session) -> str:
    """history.csv as ``bpnn train`` writes it: step, epoch, train_loss,
    val_loss (here the test split's loss where the data has no validation)."""
    with session.cond:
        return history_csv(session.history)
