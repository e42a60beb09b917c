"""``bpnn shapes``: the shapes of a forward and backward pass, no numbers."""

from __future__ import annotations

import argparse

HELP_EXAMPLE = """examples:
  bpnn shapes 3,4,2,1 --batch 2
  bpnn shapes 6,2,1 --bias --lang zh
"""


def add_parser(sub):
    p = sub.add_parser(
        "shapes",
        help="the shape of every array in a forward and backward pass",
        description="Walk through the matrix form of one training step for a "
        "layer spec: (B,3)·(3,4) → (B,4) forward, dW = xᵀ(3,B)·δ(B,4) / B → "
        "(3,4) backward. Shapes only, no numbers.",
        epilog=HELP_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("sizes", help="layer sizes, e.g. 3,4,2,1")
    p.add_argument("--batch", type=int, default=2, help="batch size B (default 2)")
    p.add_argument(
        "--activations", default="sigmoid", help="one per layer or one for all"
    )
    p.add_argument(
        "--bias",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="give each layer a bias (default: none)",
    )
    from .explain import add_output_options

    add_output_options(p, precision=False)
    p.set_defaults(run=run)


def run(args):
    import numpy as np

    from ...engine.network import Network
    from ...explain.tracing import trace
    from . import _spec
    from .explain import print_trace

    sizes = _spec.parse_sizes(args.sizes, "sizes")
    acts = _spec.parse_names(args.activations, len(sizes) - 1)
    _spec.check_batch(args.batch, sizes)
    net = Network.from_sizes(sizes, acts, bias=args.bias, seed=0)
    X = np.zeros((args.batch, sizes[0]))
    y = np.zeros((args.batch, sizes[-1]))
    print_trace(trace(net, X, y, 1.0), args, values=False)
    return 0
