"""`import bpnn` loads NumPy only: the bridges import their library when called."""

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
HEAVY = ["torch", "sklearn", "onnx", "onnxruntime", "pandas", "scipy"]


def test_import_bpnn_loads_no_bridge_library():
    code = (
        "import sys; import bpnn; "
        "assert callable(bpnn.to_torch) and callable(bpnn.export_onnx); "
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SRC)},
    )
    assert out.stdout.strip() == "[]", out.stdout
