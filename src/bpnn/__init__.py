"""bpnn: backpropagation neural networks you can read, trace and trust.

The engine is NumPy alone: ``import bpnn`` loads nothing heavier. The lecture's
quantities -- error term, hidden error term, weight step, learning rate -- keep
their names in the code. The parts of the package, and the rule that imports
only point down: docs/architecture.md.
"""

from . import _aliases, datasets
from ._version import __version__ as __version__
from .engine.activations import ACTIVATIONS
from .engine.layers import Dense
from .engine.losses import LOSSES
from .engine.network import Network
from .engine.optimizers import SGD, Adam
from .errors import BpnnError, InputError, ModelFileError, UsageError
from .explain.record import Trace
from .explain.tracing import trace
from .files.model import load
from .train.checkpoint import fit_resumable, load_checkpoint, save_checkpoint
from .train.history import History
from .train.loop import fit
from .train.state import TrainingState

_aliases.install()  # bpnn 0.1's module paths, for one release

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "SGD",
    "Adam",
    "BpnnError",
    "Dense",
    "History",
    "InputError",
    "ModelFileError",
    "Network",
    "Trace",
    "TrainingState",
    "UsageError",
    "datasets",
    "fit",
    "fit_resumable",
    "load",
    "load_checkpoint",
    "save_checkpoint",
    "trace",
]
