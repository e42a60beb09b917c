"""``bpnn explain``: one training step of any small network, every number shown."""

from __future__ import annotations

import argparse

HELP_EXAMPLE = """examples:
  bpnn explain --layers 2,2,1 --x 0.1,0.3 --y 1 --lr 0.5
  bpnn explain --layers 3,4,1 --bias --x "0.1,0.2,0.3;0.4,0.5,0.6" --y "1;0"
  bpnn explain --layers 2,1,1 --weights "[[0.4,-0.2],[0.1]]" --x 0.1,0.3 --y 1
  bpnn explain --layers 3,4,2,1 --batch 2 --seed 7 --lang zh
  bpnn explain --layers 2,3,2 --activations sigmoid,softmax --loss cross_entropy --json
  bpnn explain --layers 3,4,2,1 --figure step.svg     also draw the network

--weights is a JSON list (or JSON file), one entry per layer: a matrix
(n_in, n_out), a flat list of n_in*n_out numbers row by row, or
{"W": ..., "b": ...}. Without it the weights are drawn with --seed and rounded
to 2 decimals, so a derivation can be redone by hand.
"""


def add_parser(sub):
    p = sub.add_parser(
        "explain",
        help="one training step of any network: forward, backward, update",
        description="Trace one forward pass, one backward pass and one update of "
        "a network you describe: every quantity with its symbol, formula, shape "
        "and value; for a batch, the matrix form with its shapes.",
        epilog=HELP_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--layers", default="2,2,1", help="layer sizes (default 2,2,1)")
    p.add_argument(
        "--activations",
        default="sigmoid",
        help="one activation for every layer or one per layer (default sigmoid)",
    )
    p.add_argument("--loss", default="half_mse", help="loss (default half_mse)")
    p.add_argument(
        "--bias",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="give each layer a bias (default: none, as in the lecture)",
    )
    p.add_argument("--weights", help="the weights as JSON (see below)")
    p.add_argument("--seed", type=int, default=0, help="seed for drawn values")
    p.add_argument("--x", help='input records: "0.1,0.3" or "0.1,0.3;0.2,0.4"')
    p.add_argument("--y", help='targets: "1" or "1;0" (drawn if left out)')
    p.add_argument("--batch", type=int, help="records to draw when --x is left out")
    p.add_argument("--lr", type=float, default=0.5, help="learning rate (default 0.5)")
    add_output_options(p)
    add_figure_option(p)
    p.set_defaults(run=run)


def add_figure_option(p):
    p.add_argument(
        "--figure",
        metavar="FILE",
        help="also draw the network with the step's values (.svg, or .png "
        "with matplotlib)",
    )


def write_figure(t, args):
    """Draw ``t`` into ``--figure`` (before anything is printed, so that a
    network too large to draw fails alone)."""
    if getattr(args, "figure", None):
        from ...explain.drawing import save

        save(t, args.figure, args.lang, precision=getattr(args, "precision", 6))


def add_output_options(p, precision=True):
    p.add_argument("--lang", choices=["en", "zh"], default="en", help="language")
    p.add_argument("--json", action="store_true", help="print the record as JSON")
    if precision:
        p.add_argument(
            "--precision", type=int, default=6, help="significant digits (default 6)"
        )


def run(args):
    import numpy as np

    from ...engine.network import Network
    from ...errors import UsageError
    from ...explain.tracing import trace
    from . import _spec

    sizes = _spec.parse_sizes(args.layers)
    acts = _spec.parse_names(args.activations, len(sizes) - 1)
    if not args.lr > 0 or not np.isfinite(args.lr):
        raise UsageError(f"--lr must be a positive number, got {args.lr}")
    if args.precision < 1:
        raise UsageError(f"--precision must be >= 1, got {args.precision}")
    if args.seed < 0:
        raise UsageError(f"--seed must be >= 0, got {args.seed}")
    rng = np.random.default_rng(args.seed)
    net = Network.from_sizes(
        sizes, acts, bias=args.bias, loss=args.loss, seed=args.seed
    )
    if args.weights is None:
        for layer in net.layers:
            layer.W[:] = np.round(layer.W, 2) + 0.0  # + 0.0: no -0
    else:
        _spec.set_weights(net, args.weights)
    if args.batch is not None:
        _spec.check_batch(args.batch, sizes)
    X = draw_or_parse(args.x, "--x", args.batch, sizes[0], rng, args)
    y = (
        draw_targets(net, len(X), rng)
        if args.y is None
        else _spec.parse_records(args.y, "--y")
    )
    if y.shape[1] != net.n_out and not (y.shape[0] == 1 and y.shape[1] == len(X)):
        raise UsageError(
            f"--y has {y.shape[1]} values per record but the output layer has "
            f"{net.n_out} node(s)"
        )
    y = y.reshape(len(y), -1) if y.shape[1] == net.n_out else y.reshape(-1, 1)
    if len(y) != len(X):
        raise UsageError(f"--x has {len(X)} record(s) but --y has {len(y)}")
    t = trace(net, X, y, args.lr)
    write_figure(t, args)
    print_trace(t, args)
    return 0


def draw_or_parse(text, option, batch, n_in, rng, args):
    """The records typed, or ``batch`` records drawn and rounded to 2 decimals."""
    import numpy as np

    from ...errors import UsageError
    from . import _spec

    if text is None:
        batch = 1 if batch is None else batch
        return np.round(rng.normal(0, 1, (batch, n_in)), 2) + 0.0
    if batch is not None:
        raise UsageError("give either --x or --batch, not both")
    X = _spec.parse_records(text, option)
    if X.shape[1] != n_in:
        raise UsageError(
            f"{option} has {X.shape[1]} number(s) per record but the first layer "
            f"takes {n_in} input(s)"
        )
    return X


def draw_targets(net, batch, rng):
    """Targets that suit the loss: one-hot classes, 0/1 labels or values in [0, 1]."""
    import numpy as np

    name = net.loss_fn.name
    if name == "cross_entropy":
        return np.eye(net.n_out)[rng.integers(0, net.n_out, batch)]
    if name == "bce":
        return rng.integers(0, 2, (batch, net.n_out)).astype(float)
    return np.round(rng.uniform(0, 1, (batch, net.n_out)), 2)


def print_trace(t, args, values=True):
    """Text, or with ``--json`` the record: one line per step."""
    if not args.json:
        print(t.to_text(args.lang, getattr(args, "precision", 6), values), end="")
        return
    record = t.to_dict()
    if not values:
        for step in record["steps"]:
            del step["value"]
    print(dumps(record))


def dumps(record):
    """JSON with each step on its own line: readable, and still one document.
    JSON has no infinity: a value that overflowed is written as the string
    "Infinity", "-Infinity" or "NaN"."""
    import json

    def one(value):
        return json.dumps(_finite(value), ensure_ascii=False, allow_nan=False)

    steps = [f"  {one(step)}" for step in record.pop("steps", [])]
    lines = [f" {one(key)}: {one(value)}," for key, value in record.items()]
    lines += [' "steps": [', ",\n".join(steps), " ]"]
    return "{\n" + "\n".join(lines) + "\n}"


def _finite(value):
    """``value`` with every non-finite float replaced by its name as a string."""
    import math

    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("-" if value < 0 else "") + "Infinity"
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
