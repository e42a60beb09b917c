"""fit's policies one at a time: patience counts evaluations, the learning-rate
decay follows its formula, the samplers continue where they stopped."""

import numpy as np
import pytest

import bpnn
from bpnn.train.samplers import RandomBatches, Shuffled
from bpnn.train.watchers import LearningRateDecay

RNG = np.random.default_rng(2)
X = RNG.normal(size=(120, 4))
Y = np.tanh(X @ RNG.normal(size=4))[:, None]


def network():
    return bpnn.Network.from_sizes([4, 8, 1], ["sigmoid", "identity"], seed=1)


@pytest.mark.parametrize("patience,waited", [(0, 1), (1, 1), (2, 2), (5, 5)])
def test_patience_p_stops_at_the_pth_evaluation_without_improvement(patience, waited):
    h = network().fit(
        X[:100], Y[:100], optimizer=bpnn.Adam(0.05), epochs=300,
        batch_size=10, eval_every=1, patience=patience, seed=0,
        validation_data=(X[100:], Y[100:]),
    )  # fmt: skip
    assert h.stop_reason == "early_stopping"
    best = h.best_index
    assert len(h) - 1 - best == waited  # evaluations after the best one
    assert all(v >= h.val_loss[best] for v in h.val_loss[best + 1 :])
    assert f"did not improve for {waited} evaluation(s)" in h.message


@pytest.mark.parametrize("kind", ["step", "exponential"])
def test_the_learning_rate_decays_by_its_formula_after_each_update(kind):
    seen = []

    class Seen(bpnn.SGD):
        def _advance(self):  # once per update, before it
            seen.append(self.lr)
            super()._advance()

    opt = Seen(0.5)
    decay = LearningRateDecay(0.5, every=4, kind=kind)
    network().fit(X, Y, optimizer=opt, steps=13, batch_size=8, lr_decay=decay)
    power = (lambda u: u // 4) if kind == "step" else (lambda u: u / 4)
    assert seen == [0.5 * 0.5 ** power(u) for u in range(13)]
    assert opt.lr == 0.5 * 0.5 ** power(13)


@pytest.mark.parametrize(
    "args,words",
    [((0.0,), "factor must be in"), ((1.5,), "factor must be in"),
     ((0.9, 0), "every must be an int >= 1"), ((0.9, 1, "cosine"), "step or exp")],
)  # fmt: skip
def test_a_bad_learning_rate_decay_is_refused(args, words):
    with pytest.raises(ValueError, match=words):
        LearningRateDecay(*args)
    with pytest.raises(TypeError, match="lr_decay must be a bpnn LearningRateDecay"):
        network().fit(X, Y, epochs=1, lr_decay=0.9)


def test_a_run_with_decay_resumes_exactly(tmp_path, monkeypatch):
    from helpers import interrupt_at_update

    def run(net, opt, state=None):
        return net.fit(X, Y, optimizer=opt, steps=30, batch_size=8, seed=3,
                       sampling="random", eval_every=5, state=state,
                       lr_decay=LearningRateDecay(0.9, every=2))  # fmt: skip

    whole_net, whole_opt = network(), bpnn.Adam(0.05)
    whole = run(whole_net, whole_opt)
    net, opt, state = network(), bpnn.Adam(0.05), bpnn.TrainingState()
    interrupt_at_update(monkeypatch, net, 13)
    assert run(net, opt, state).stop_reason == "interrupted"
    monkeypatch.undo()
    bpnn.save_checkpoint(tmp_path / "c.npz", net, opt, state)
    net, opt, state = bpnn.load_checkpoint(tmp_path / "c.npz")
    assert run(net, opt, state).to_dict() == whole.to_dict()
    assert opt.lr == whole_opt.lr
    assert all(np.array_equal(p, q) for p, q in zip(net.params(), whole_net.params()))
    with pytest.raises(ValueError, match="started with lr_decay="):
        network().fit(X, Y, steps=30, batch_size=8, sampling="random",
                      eval_every=5, seed=3, state=state)  # fmt: skip


@pytest.mark.parametrize("stop", [1, 7, 8, 20])
def test_shuffled_epochs_continue_from_their_state_dict(stop):
    whole = Shuffled(np.random.default_rng(4), 30, 4)
    indices = [whole.next_update() for _ in range(24)]
    first = Shuffled(np.random.default_rng(4), 30, 4)
    for _ in range(stop):
        first.next_update()
    second = Shuffled(first.rng, 30, 4, updates=stop)
    second.load_state_dict(first.state_dict())
    rest = [second.next_update() for _ in range(24 - stop)]
    for a, b in zip(indices[stop:], rest):
        assert np.array_equal(a, b)
    assert sorted(np.concatenate(indices[:8]).tolist()) == list(range(30))


def test_random_batches_continue_from_their_state_dict():
    a = RandomBatches(np.random.default_rng(5), 50, 3, block=4)
    expected = [a.next_update().copy() for _ in range(10)]
    b = RandomBatches(np.random.default_rng(5), 50, 3, block=4)
    for _ in range(6):  # stopped inside its second block
        b.next_update()
    c = RandomBatches(np.random.default_rng(0), 50, 3, block=4)
    c.load_state_dict(b.state_dict())
    assert all(np.array_equal(c.next_update(), y) for y in expected[6:])


def test_a_checkpoint_inside_a_shuffled_epoch_without_its_order_is_refused(
    tmp_path, monkeypatch
):
    import json

    from helpers import interrupt_at_update
    from helpers.zips import members, rewrite

    net, opt, state = network(), bpnn.SGD(0.1), bpnn.TrainingState()
    interrupt_at_update(monkeypatch, net, 3)
    net.fit(X, Y, optimizer=opt, steps=20, batch_size=16, state=state)
    path = tmp_path / "c.npz"
    bpnn.save_checkpoint(path, net, opt, state)
    assert "order" in bpnn.load_checkpoint(path)[2].parts["sampler"]["arrays"]
    content = members(path)
    del content["order.npy"]
    config = json.loads(content["config.json"])
    config["part_arrays"]["sampler"] = []
    content["config.json"] = json.dumps(config)
    rewrite(path, content)
    with pytest.raises(bpnn.ModelFileError, match="no order of the shuffled epoch"):
        bpnn.load_checkpoint(path)
