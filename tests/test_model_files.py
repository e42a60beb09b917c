"""Model files stay readable across versions and never load damaged.

``tests/data/model_v1_*.npz`` were written once by ``bpnn.io.save`` of format
version 1 (with ``extra``), and ``model_v1_expected.json`` holds the
architecture and the predictions those networks gave at the time.
"""

import json
from pathlib import Path

import numpy as np
import pytest

import bpnn

DATA = Path(__file__).parent / "data"
GOLDEN = ["model_v1_float64.npz", "model_v1_float32_softmax.npz"]


@pytest.mark.parametrize("name", GOLDEN)
def test_files_of_format_1_keep_loading(name):
    expected = json.loads((DATA / "model_v1_expected.json").read_text())
    net = bpnn.load(DATA / name)
    assert repr(net) == expected[name]["repr"]
    assert net.extra == {"note": "written by format 1", "columns": ["a", "b", "c"]}
    got = net.predict(np.array(expected["X"]))
    np.testing.assert_allclose(got, expected[name]["predict"], rtol=1e-6 if
                               net.dtype == np.float32 else 1e-13)
