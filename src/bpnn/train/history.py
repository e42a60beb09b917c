"""The record of a training run: the losses at each evaluation, and why it
stopped. Plain lists, so it is written to ``history.csv`` and checkpoints as is."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class History:
    """Losses recorded at each evaluation, and why training stopped."""

    step: list = field(default_factory=list)
    epoch: list = field(default_factory=list)
    train_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    #: completed | early_stopping | diverged | interrupted | callback
    stop_reason: str = "completed"
    #: index of the evaluation whose weights the network holds after an early stop
    best_index: int | None = None
    message: str = ""
    #: records the training loss was measured on (fit's ``train_sample``);
    #: None in histories saved before it was recorded
    train_rows: int | None = None
    #: records the validation loss was measured on (fit's ``val_sample``);
    #: None without validation data, or in histories saved before it was
    val_rows: int | None = None

    def __len__(self):
        return len(self.step)

    def to_dict(self) -> dict:
        return asdict(self)
