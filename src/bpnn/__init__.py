"""bpnn: backpropagation neural networks you can read, trace and trust.

The engine is NumPy alone: ``import bpnn`` loads nothing heavier. The lecture's
quantities -- error term, hidden error term, weight step, learning rate -- keep
their names in the code.
"""

from .activations import ACTIVATIONS
from .io import ModelFileError, load
from .layers import Dense
from .losses import LOSSES
from .network import Network
from .optimizers import SGD, Adam
from .trace_record import Trace
from .tracing import trace
from .training import History, fit

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "Adam",
    "Dense",
    "History",
    "ModelFileError",
    "Network",
    "SGD",
    "Trace",
    "fit",
    "load",
    "trace",
]
