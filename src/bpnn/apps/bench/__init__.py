"""Speed and memory benchmarks behind ``bpnn bench`` (run on demand, never in
the tests): ``steps`` times one training step against a matrix-products bound,
PyTorch and scikit-learn; ``runs`` times whole ``fit`` runs and measures the
resident memory of training on a memory-mapped file.
"""
