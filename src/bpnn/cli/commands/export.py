"""``bpnn export``: a model file as an ONNX model, optionally with its data
preparation, for ONNX Runtime and other runtimes."""

from __future__ import annotations

import argparse

HELP_EXAMPLE = """examples:
  bpnn export runs/my-run --onnx model.onnx
  bpnn export runs/my-run/model.npz --onnx model.onnx --with-preparation
"""

INSTALL_HINT = "bpnn export needs onnx: pip install 'bpnn[onnx]'"


def add_parser(sub):
    p = sub.add_parser(
        "export",
        help="write a model as ONNX (MatMul, Add, activations)",
        description="Write a bpnn model file as an ONNX model. Without "
        "--with-preparation the graph maps X (N, n_in) to the network's "
        "outputs y; with it, a model from bpnn train takes the raw columns "
        "(numbers as float64, categories as strings) and answers in the "
        "target's units, or with class labels and probabilities.",
        epilog=HELP_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("model", metavar="MODEL", help="a run folder or a model file")
    p.add_argument("--onnx", required=True, metavar="FILE", help="the ONNX file")
    p.add_argument(
        "--with-preparation",
        action="store_true",
        help="put the data preparation saved by bpnn train into the graph",
    )
    p.add_argument(
        "--dtype",
        choices=["float32", "float64"],
        help="the graph's float type (default: the model's)",
    )
    p.set_defaults(run=run)


def run(args):
    from pathlib import Path

    from ...errors import UsageError
    from ...files.model import load

    try:
        import onnx  # noqa: F401
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    from ...interop.onnx_export import export_onnx

    path = Path(args.model)
    if path.is_dir():
        path = path / "model.npz"
    network = load(path)
    model = export_onnx(
        network,
        args.onnx,
        with_preparation=args.with_preparation,
        dtype=args.dtype,
    )
    inputs = ", ".join(i.name for i in model.graph.input)
    outputs = ", ".join(o.name for o in model.graph.output)
    print(f"wrote {args.onnx}: inputs {inputs}; outputs {outputs}")
    return 0
