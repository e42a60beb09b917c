"""bpnn: backpropagation neural networks you can read, trace and trust.

The engine is NumPy alone: ``import bpnn`` loads nothing heavier. The lecture's
quantities -- error term, hidden error term, weight step, learning rate -- keep
their names in the code.
"""

from .engine.activations import ACTIVATIONS
from .engine.layers import Dense
from .engine.losses import LOSSES
from .engine.network import Network
from .engine.optimizers import SGD, Adam
from .explain.record import Trace
from .explain.tracing import trace
from .files.model import ModelFileError, load
from .train.checkpoint import fit_resumable, load_checkpoint, save_checkpoint
from .train.history import History
from .train.loop import fit
from .train.state import TrainingState

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "SGD",
    "Adam",
    "Dense",
    "History",
    "ModelFileError",
    "Network",
    "Trace",
    "TrainingState",
    "fit",
    "fit_resumable",
    "load",
    "load_checkpoint",
    "save_checkpoint",
    "trace",
]
