"""bpnn: backpropagation neural networks you can read, trace and trust.

The engine is NumPy alone: ``import bpnn`` loads nothing heavier. The lecture's
quantities -- error term, hidden error term, weight step, learning rate -- keep
their names in the code. The parts of the package, and the rule that imports
only point down: docs/architecture.md.
"""

from . import _aliases
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


def __getattr__(name):
    """``bpnn.datasets`` on first use: the data readers are not loaded by
    ``import bpnn`` (nor by ``bpnn --help``) until a program asks for them."""
    if name == "datasets":
        import importlib

        return importlib.import_module("bpnn.datasets")
    raise AttributeError(f"module 'bpnn' has no attribute {name!r}")


# Bridges to other libraries: each imports its library only when called.
def to_torch(network):
    """``network`` as a ``torch.nn.Sequential`` (``bpnn.interop.pytorch``)."""
    from .interop.pytorch import to_torch

    return to_torch(network)


def from_torch(module, loss=None):
    """A ``bpnn.Network`` from a Sequential of Linear layers and activations."""
    from .interop.pytorch import from_torch

    return from_torch(module, loss=loss)


def export_onnx(network, path, **kwargs):
    """Write ``network`` as an ONNX model (``bpnn.interop.onnx_export``)."""
    from .interop.onnx_export import export_onnx

    return export_onnx(network, path, **kwargs)


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
    "export_onnx",
    "fit",
    "fit_resumable",
    "from_torch",
    "load",
    "load_checkpoint",
    "save_checkpoint",
    "to_torch",
    "trace",
]
