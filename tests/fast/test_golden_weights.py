"""fit's step gives the very weights it gave before its speed machinery moved
into ``bpnn.fast``: the bike (56-20-1) and deep (56-128-64-1) networks, SGD,
momentum and Adam, float64 and float32, compared bit for bit with
``golden_weights.npz`` (written by ``helpers/golden.py`` from the earlier
engine)."""

from pathlib import Path

import numpy as np
import pytest

from bpnn.fast import parallel
from helpers import golden

GOLDEN = Path(__file__).with_name("golden_weights.npz")


@pytest.fixture(scope="module")
def saved():
    with np.load(GOLDEN) as f:
        yield dict(f)


@pytest.fixture(autouse=True)
def one_blas_thread():
    """One BLAS thread, as the file was written with (OpenBLAS splits a product
    over threads by blocks, which could in principle round differently)."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    with threadpoolctl.threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.mark.parametrize("key,sizes,dtype,optimizer", list(golden.runs()))
def test_fit_trains_the_saved_weights_bit_for_bit(saved, key, sizes, dtype, optimizer):
    net, history = golden.train(sizes, dtype, optimizer)
    params = net.params()
    assert len(params) == 2 * (len(sizes) - 1)
    for i, p in enumerate(params):
        assert p.dtype == np.dtype(dtype)
        assert np.array_equal(p, saved[f"{key}_p{i}"]), f"{key} weight {i} differs"
    assert np.array_equal(history.val_loss, saved[f"{key}_val_loss"])


def test_thread_splitting_keeps_the_saved_weights(saved, monkeypatch):
    """Element-wise passes split over 3 threads from the smallest size on."""
    monkeypatch.setattr(parallel, "MIN_ELEMENTS", 1)
    monkeypatch.setattr(parallel, "_threads", 3)
    key, sizes = "deep_float32_adam", golden.NETWORKS["deep"]
    net, _ = golden.train(sizes, "float32", "adam")
    for i, p in enumerate(net.params()):
        assert np.array_equal(p, saved[f"{key}_p{i}"])
