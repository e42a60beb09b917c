"""Optimizer state as slots, one array per weight; checkpoints of the earlier
format (arrays named like m0, velocity3) still load and resume exactly."""

from pathlib import Path

import numpy as np
import pytest

import bpnn
from bpnn.fast.flat import Packed

OLD = Path(__file__).with_name("old_checkpoints")
# the data and run of the old checkpoints: 40 random steps of 8, cut at step 13
RNG = np.random.default_rng(1)
X = RNG.normal(size=(90, 4))
Y = np.tanh(X @ RNG.normal(size=4))[:, None]
RUN = {
    "validation_data": (X[70:], Y[70:]),
    "eval_every": 3,
    "seed": 11,
    "sampling": "random",
    "steps": 40,
    "batch_size": 8,
}
MAKE = {
    "sgd_momentum": lambda: bpnn.SGD(0.3, momentum=0.8),
    "adam": lambda: bpnn.Adam(0.02),
}


def trained(optimizer, sizes=(4, 6, 1)):
    net = bpnn.Network.from_sizes(list(sizes), ["tanh", "identity"], seed=7)
    net.fit(X[:70], Y[:70], optimizer=optimizer, **RUN)
    return net


@pytest.mark.parametrize(
    "optimizer,slots",
    [
        (bpnn.SGD(0.1), []),
        (bpnn.SGD(0.1, 0.9), ["velocity"]),
        (bpnn.Adam(), ["m", "v"]),
    ],
)
def test_state_is_a_list_of_arrays_per_slot(optimizer, slots):
    net = trained(optimizer)
    state = optimizer.state_dict()
    assert sorted(state["slots"]) == slots
    for arrays in state["slots"].values():
        assert [a.shape for a in arrays] == [p.shape for p in net.params()]
    assert state["config"]["name"] == optimizer.name


@pytest.mark.parametrize("name", list(MAKE))
def test_state_dict_round_trips_into_a_new_optimizer(name):
    opt = MAKE[name]()
    trained(opt)
    other = MAKE[name]()
    other.load_state_dict(opt.state_dict())
    a, b = opt.state_dict(), other.state_dict()
    assert a["config"] == b["config"]
    for slot in a["slots"]:
        for x, y in zip(a["slots"][slot], b["slots"][slot], strict=True):
            assert np.array_equal(x, y) and not np.shares_memory(x, y)


def test_unknown_slots_are_refused():
    with pytest.raises(ValueError, match=r"adam keeps the state \['m', 'v'\]"):
        bpnn.Adam().load_state_dict({"config": {}, "slots": {"velocity": [np.ones(2)]}})


@pytest.mark.parametrize("name", list(MAKE))
def test_a_format_1_checkpoint_resumes_to_the_uninterrupted_weights(name):
    """Written by the earlier bpnn, interrupted at step 13 of 40; resumed here,
    it ends at the weights that bpnn saved for the run never interrupted."""
    net, opt, state = bpnn.load_checkpoint(OLD / f"v1_{name}.npz")
    assert type(opt) is type(MAKE[name]()) and state.step == 13
    assert [a.shape for a in opt.state_dict()["slots"][opt.slot_names()[0]]] == [
        p.shape for p in net.params()
    ]
    net.fit(X[:70], Y[:70], optimizer=opt, state=state, **RUN)
    with np.load(OLD / "v1_uninterrupted.npz") as saved:
        for i, p in enumerate(net.params()):
            assert np.array_equal(p, saved[f"{name}_p{i}"])


@pytest.mark.parametrize("name", list(MAKE))
def test_the_packed_step_equals_the_step_array_by_array(name):
    """``step_packed`` (what train_step runs) and ``step`` on the same lists."""
    rng = np.random.default_rng(2)
    for dtype in (np.float64, np.float32):
        shapes = [(5, 3), (3,), (3, 1), (1,)]
        params = Packed.of([rng.normal(size=s) for s in shapes], dtype)
        loose = [p.copy() for p in params.views]
        packed_opt, loose_opt = MAKE[name](), MAKE[name]()
        for _ in range(5):
            grads = Packed.of([rng.normal(size=s) for s in shapes], dtype)
            packed_opt.step_packed(params, grads)
            loose_opt.step(loose, [g.copy() for g in grads.views])
        for p, q in zip(params.views, loose, strict=True):
            assert p.dtype == dtype and np.array_equal(p, q)


def test_an_optimizer_that_writes_its_own_step_is_the_one_used():
    class HalfSteps(bpnn.SGD):
        def step(self, params, grads):
            for p, g in zip(params, grads):
                p -= (0.5 * self.lr) * g

    a, b = trained(HalfSteps(0.5)), trained(bpnn.SGD(0.25))
    for p, q in zip(a.params(), b.params()):
        np.testing.assert_allclose(p, q, rtol=1e-12)
