"""The lecture's own numbers, produced by the engine."""

import numpy as np
import pytest

import bpnn


def exercise_network():
    net = bpnn.Network(
        [
            bpnn.Dense(2, 1, "sigmoid", bias=False),
            bpnn.Dense(1, 1, "sigmoid", bias=False),
        ]
    )
    net.layers[0].W[:] = [[0.4], [-0.2]]
    net.layers[1].W[:] = [[0.1]]
    return net


def test_worked_exercise_numbers_at_the_lectures_rounding():
    net = exercise_network()
    x, y, lr = np.array([[0.1, 0.3]]), np.array([[1.0]]), 0.5
    grads = net.gradients(x, y)
    hidden, output = net.layers
    # an independent computation, written out as on the lecture's answer page
    h = 0.1 * 0.4 + 0.3 * -0.2
    a = 1 / (1 + np.exp(-h))
    y_hat = 1 / (1 + np.exp(-0.1 * a))
    error_term = (1 - y_hat) * y_hat * (1 - y_hat)
    hidden_error_term = 0.1 * error_term * a * (1 - a)
    assert hidden.h[0, 0] == pytest.approx(h, abs=1e-15)
    assert hidden.a[0, 0] == pytest.approx(a, abs=1e-15)
    assert output.a[0, 0] == pytest.approx(y_hat, abs=1e-15)
    # the lecture's error terms are -dL/dh for its one record
    assert -output.delta[0, 0] == pytest.approx(error_term, abs=1e-15)
    assert -hidden.delta[0, 0] == pytest.approx(hidden_error_term, abs=1e-15)
    step_out = -lr * grads[1]["W"][0, 0]
    steps_in = -lr * grads[0]["W"][:, 0]
    # the lecture's rounding
    assert round(hidden.h[0, 0], 2) == -0.02
    assert round(hidden.a[0, 0], 3) == 0.495
    assert round(output.a[0, 0], 3) == 0.512
    assert round(-output.delta[0, 0], 3) == 0.122
    assert round(-hidden.delta[0, 0], 3) == 0.003
    assert round(step_out, 4) == 0.0302
    # the lecture rounds the hidden error term to 0.003 first, then multiplies
    rounded = round(-hidden.delta[0, 0], 3)
    assert tuple(round(lr * rounded * xi, 5) for xi in (0.1, 0.3)) == (0.00015, 0.00045)
    np.testing.assert_allclose(steps_in, lr * hidden_error_term * np.array([0.1, 0.3]))


def test_linear_neuron_moves_weights_by_alpha_error_x():
    rng = np.random.default_rng(3)
    w = rng.normal(size=3)
    x, y, alpha = rng.normal(size=3), 0.7, 0.05
    net = bpnn.Network([bpnn.Dense(3, 1, "identity", bias=False)])
    net.layers[0].W[:, 0] = w
    y_hat = float(x @ w)
    net.fit(x[None, :], [y], optimizer=bpnn.SGD(alpha), epochs=1)
    np.testing.assert_allclose(
        net.layers[0].W[:, 0], w - alpha * (y_hat - y) * x, rtol=1e-14
    )


def test_lecture_3_4_2_1_network_learns():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = 1 / (1 + np.exp(-(X @ np.array([1.5, -2.0, 0.5]))))
    net = bpnn.Network.from_sizes([3, 4, 2, 1], "sigmoid", bias=False, seed=1)
    shapes = [layer.W.shape for layer in net.layers]
    assert shapes == [(3, 4), (4, 2), (2, 1)]
    history = net.fit(X, y, optimizer=bpnn.SGD(2.0), epochs=300, batch_size=32, seed=0)
    assert history.train_loss[-1] < 0.25 * history.train_loss[0]
