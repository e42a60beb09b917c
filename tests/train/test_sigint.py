"""A real Ctrl-C: SIGINT sent to a training process mid-run, then the run
resumed from its checkpoint, ends with the weights of a run never interrupted."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np

import bpnn

SRC = Path(__file__).resolve().parents[2] / "src"
EPOCHS = 3000

SCRIPT = """
import sys
import numpy as np
import bpnn

def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 5))
    return X, np.tanh(X @ rng.normal(size=5))[:, None]

def network():
    return bpnn.Network.from_sizes([5, 8, 1], ["tanh", "identity"], seed=3)

KW = dict(epochs=EPOCHS, batch_size=100, eval_every=100, seed=5)

def wait_at_first_evaluation(net, history, waited=[]):
    # the signal handler is in place: say so, and wait for the parent's line
    if not waited:
        print("training", flush=True)
        sys.stdin.readline()
        waited.append(1)
    return True

if __name__ == "__main__":
    folder = sys.argv[1]
    X, y = data()
    callback = wait_at_first_evaluation if sys.argv[2:] == ["wait"] else None
    net, opt, history, state = bpnn.fit_resumable(
        folder + "/checkpoint.npz", network(), X, y, bpnn.Adam(0.01),
        callback=callback, **KW)
    bpnn.files.model.save(net, folder + "/model.npz")
    print(history.stop_reason, state.done, flush=True)
    sys.exit(130 if history.stop_reason == "interrupted" else 0)
""".replace("EPOCHS", str(EPOCHS))


def start(script, folder, *args):
    return subprocess.Popen(
        [sys.executable, str(script), str(folder), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )


def test_sigint_mid_run_then_resume_gives_the_uninterrupted_weights(tmp_path):
    script = tmp_path / "train_toy.py"
    script.write_text(SCRIPT)
    folder = tmp_path / "run"
    folder.mkdir()
    proc = start(script, folder, "wait")
    assert proc.stdout.readline().strip() == "training"
    proc.send_signal(signal.SIGINT)  # while the run waits in its callback
    out, _ = proc.communicate("\n", timeout=60)
    assert proc.returncode == 130, out
    reason, done = out.split()
    assert reason == "interrupted" and 0 < int(done) < EPOCHS
    assert (folder / "checkpoint.npz").exists()

    proc = start(script, folder)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and out.split() == ["completed", str(EPOCHS)]
    assert not (folder / "checkpoint.npz").exists()
    resumed = bpnn.load(folder / "model.npz")

    sys.path.insert(0, str(tmp_path))
    try:
        import train_toy
    finally:
        sys.path.remove(str(tmp_path))
    X, y = train_toy.data()
    whole = train_toy.network()
    whole.fit(X, y, optimizer=bpnn.Adam(0.01), **train_toy.KW)
    for p, q in zip(resumed.params(), whole.params()):
        assert np.array_equal(p, q)
