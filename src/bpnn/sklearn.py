"""scikit-learn estimators of bpnn networks (needs ``pip install bpnn[sklearn]``).

``from bpnn.sklearn import BPNNClassifier, BPNNRegressor``; see
``bpnn.interop.sklearn``.
"""

try:
    import sklearn  # noqa: F401
except ImportError:  # one clear line instead of a missing-module traceback
    raise ImportError(
        "bpnn.sklearn needs scikit-learn: pip install 'bpnn[sklearn]' "
        "(in a checkout: pip install -e '.[sklearn]')"
    ) from None

from .interop.sklearn import BPNNClassifier, BPNNRegressor

__all__ = ["BPNNClassifier", "BPNNRegressor"]
