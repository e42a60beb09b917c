"""A real Ctrl-C: SIGINT sent to a training process mid-run, then the run
resumed from its checkpoint, ends with the weights of a run never interrupted."""

import os
import signal
import subprocess
import sys
import time
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

if __name__ == "__main__":
    folder = sys.argv[1]
    X, y = data()
    print("training", flush=True)
    net, opt, history, state = bpnn.fit_resumable(
        folder + "/checkpoint.npz", network(), X, y, bpnn.Adam(0.01), **KW)
    bpnn.files.model.save(net, folder + "/model.npz")
    print(history.stop_reason, state.done, flush=True)
    sys.exit(130 if history.stop_reason == "interrupted" else 0)
""".replace("EPOCHS", str(EPOCHS))


def start(script, folder):
    return subprocess.Popen(
        [sys.executable, str(script), str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )


def test_sigint_mid_run_then_resume_gives_the_uninterrupted_weights(tmp_path):
    script = tmp_path / "train_toy.py"
    script.write_text(SCRIPT)
    folder = tmp_path / "run"
    folder.mkdir()
    proc = start(script, folder)
    assert proc.stdout.readline().strip() == "training"
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, out
    reason, done = out.split()
    assert reason == "interrupted" and 0 < int(done) < EPOCHS
    assert (folder / "checkpoint.npz").exists()

    proc = start(script, folder)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and out.split()[1:] == ["completed", str(EPOCHS)]
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
