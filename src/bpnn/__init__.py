"""bpnn: backpropagation neural networks you can read, trace and trust.

The engine is NumPy alone: ``import bpnn`` loads nothing heavier. The lecture's
quantities -- error term, hidden error term, weight step, learning rate -- keep
their names in the code.
"""

from .activations import ACTIVATIONS
from .checkpoint import fit_resumable, load_checkpoint, save_checkpoint
from .history import History
from .io import ModelFileError, load
from .layers import Dense
from .losses import LOSSES
from .network import Network
from .optimizers import SGD, Adam
from .run_state import TrainingState
from .trace_record import Trace
from .tracing import trace
from .training import fit

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
