"""Checkpoints written by bpnn 0.1 (format 1, fields kept flat) still load, and
a run resumed from one ends with the weights and history that bpnn 0.1 itself
reached without the interruption (``format1/make_format1.py`` wrote both)."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

import bpnn

HERE = Path(__file__).parent / "format1"
_spec = importlib.util.spec_from_file_location("make_format1", HERE / "make_format1.py")
made = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(made)
EXPECTED = json.loads((HERE / "expected.json").read_text())


@pytest.mark.parametrize("case", list(made.CASES))
def test_a_format1_checkpoint_resumes_to_bpnn_0_1s_own_result(case):
    _, _, kw, _ = made.CASES[case]
    net, opt, state = bpnn.load_checkpoint(HERE / f"{case}.npz")
    assert state.history.stop_reason == "interrupted" and not state.finished
    history = made.train(net, opt, kw, state)
    expected = EXPECTED[case]
    assert {k: v for k, v in history.to_dict().items() if k in expected} == expected
    assert history.val_rows == 20  # measured now; format 1 measured all as well
    with np.load(HERE / "expected.npz") as weights:
        for i, p in enumerate(net.params()):
            assert p.dtype == weights[f"{case}_{i}"].dtype
            assert np.array_equal(p, weights[f"{case}_{i}"])


def test_format1_early_stopping_keeps_its_count_of_patience():
    """bpnn 0.1 stopped after patience + 1 evaluations without improvement;
    its runs continue so, while a new run stops after patience."""
    _, _, state = bpnn.load_checkpoint(HERE / "patience.npz")
    stopping = state.parts["early_stopping"]["config"]
    assert stopping["stop_after"] == 2 and stopping["since_best"] == 1
    dtype, opt, kw, _ = made.CASES["patience"]
    fresh = made.train(made.network(dtype), made.optimizer(*opt), kw)
    assert fresh.stop_reason == "early_stopping"
    assert len(fresh) < len(EXPECTED["patience"]["step"])


def test_a_format1_checkpoint_saved_again_is_format2_and_resumes_alike(tmp_path):
    _, _, kw, _ = made.CASES["shuffled_steps"]
    net, opt, state = bpnn.load_checkpoint(HERE / "shuffled_steps.npz")
    bpnn.save_checkpoint(tmp_path / "again.npz", net, opt, state)
    net, opt, state = bpnn.load_checkpoint(tmp_path / "again.npz")
    assert "order" in state.parts["sampler"]["arrays"]
    made.train(net, opt, kw, state)
    with np.load(HERE / "expected.npz") as weights:
        for i, p in enumerate(net.params()):
            assert np.array_equal(p, weights[f"shuffled_steps_{i}"])
