"""bpnn and other libraries: scikit-learn estimators (``bpnn.sklearn``),
PyTorch (``bpnn.to_torch``, ``bpnn.from_torch``) and ONNX (``bpnn.export_onnx``).

Each module here imports its library at the top, so nothing here is imported
by ``import bpnn``: the functions on ``bpnn`` import their module when called.
"""
