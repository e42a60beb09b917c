"""``bpnn exercise``: the lecture's worked backprop exercise, printed step by step."""

from __future__ import annotations

import argparse

HELP_EXAMPLE = """example:
  bpnn exercise
"""


def add_parser(sub):
    p = sub.add_parser(
        "exercise",
        help="the lecture's worked backprop exercise, step by step",
        description="Forward pass, error terms and weight steps of the lecture's "
        "2-1-1 sigmoid network, computed by the engine.",
        epilog=HELP_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(run=run)


def run(args):
    import numpy as np

    from ..layers import Dense
    from ..network import Network

    x = np.array([[0.1, 0.3]])
    y = np.array([[1.0]])
    lr = 0.5
    net = Network(
        [Dense(2, 1, "sigmoid", bias=False), Dense(1, 1, "sigmoid", bias=False)]
    )
    net.layers[0].W[:] = [[0.4], [-0.2]]
    net.layers[1].W[:] = [[0.1]]
    net.forward(x)
    hidden, output = net.layers
    h, a, y_hat = hidden.h[0, 0], hidden.a[0, 0], output.a[0, 0]
    net.backward(y)
    # the lecture's error terms are -dL/dh (one record, so no 1/m)
    error_term = -output.delta[0, 0]
    hidden_error_term = -hidden.delta[0, 0]
    print("forward pass")
    print(f"  h     = x . W_i            = {h:.6f}")
    print(f"  a     = sigmoid(h)         = {a:.6f}")
    print(f"  y_hat = sigmoid(W . a)     = {y_hat:.6f}")
    print("backward pass")
    print(f"  error             = y - y_hat                    = {1 - y_hat:.6f}")
    print(f"  error term        = (y - y_hat) * y_hat(1-y_hat) = {error_term:.6f}")
    print(f"  hidden error term = W * error term * a(1-a)      = {hidden_error_term:.6f}")
    print(f"weight steps (learning rate {lr})")
    print(f"  delta W   = lr * error term * a = {-lr * output.dW[0, 0]:.6f}")
    steps = ", ".join(f"{-lr * g:.6f}" for g in hidden.dW[:, 0])
    print(f"  delta W_i = lr * hidden error term * x_i = ({steps})")
    return 0
