"""``bpnn exercise``: the lecture's worked examples, traced by the engine."""

from __future__ import annotations

import argparse

HELP_EXAMPLE = """examples:
  bpnn exercise                 the backprop exercise, with the lecture's rounding
  bpnn exercise --lang zh       in the lecture's own terms (正向传播, 反向传播, ...)
  bpnn exercise linear          the linear neuron: the chain rule line by line
  bpnn exercise --json          the whole record as JSON
  bpnn exercise --figure ex.svg also draw the network with every value (.svg, .png)
"""


def add_parser(sub):
    p = sub.add_parser(
        "exercise",
        help="the lecture's worked backprop exercise, step by step",
        description="The lecture's exercise (2-1-1 sigmoid network, x = (0.1, 0.3), "
        "weights (0.4, -0.2) and 0.1, y = 1, learning rate 0.5) traced by the "
        "engine: forward pass, error terms, weight steps and updated weights, "
        "at full precision beside the numbers the lecture prints.",
        epilog=HELP_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "which",
        nargs="?",
        default="backprop",
        choices=["backprop", "linear"],
        help="backprop (default) or linear",
    )
    from .explain import add_figure_option, add_output_options

    add_output_options(p)
    add_figure_option(p)
    p.set_defaults(run=run)


def run(args):
    from ...errors import UsageError
    from ...explain import exercises
    from ...explain.tracing import trace

    if args.precision < 1:
        raise UsageError(f"--precision must be >= 1, got {args.precision}")
    make = exercises.backprop if args.which == "backprop" else exercises.linear
    t = trace(*make())
    from .explain import write_figure

    write_figure(t, args)
    if args.json:
        from .explain import dumps

        record = {"exercise": args.which, **t.to_dict()}
        if args.which == "backprop":
            record["lecture"] = {
                key: value.tolist() if hasattr(value, "tolist") else value
                for key, value in exercises.lecture_numbers(t).items()
            }
        print(dumps(record))
    elif args.which == "backprop":
        print(exercises.backprop_text(t, args.lang, args.precision), end="")
    else:
        print(exercises.linear_text(t, args.lang, args.precision), end="")
    return 0
