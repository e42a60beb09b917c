"""scikit-learn estimators of bpnn networks (needs ``pip install bpnn[sklearn]``).

``from bpnn.sklearn import BPNNClassifier, BPNNRegressor``; see
``bpnn.interop.sklearn``.
"""

from .interop.sklearn import BPNNClassifier, BPNNRegressor

__all__ = ["BPNNClassifier", "BPNNRegressor"]
