"""The playground's server, measured: how soon it answers, how fast it trains
next to ``bpnn train``, how often it streams, and whether memory comes back.

    python benchmarks/playground.py            # about a minute

1. start-up: from starting ``bpnn playground --port 0`` to the first answered
   page (GET /), median of 3 starts;
2. the bike network (56-20-1 sigmoid, no bias, SGD 0.5, batches of 128) trained
   by the server while a client reads its event stream for SECONDS seconds:
   weight updates per second and stream updates per second, against
   ``bpnn train bike --steps 5000``'s updates per second on the same machine;
3. the server's resident memory after 1, 10 and 20 cycles of "create a bike
   session, train it 1000 steps, delete it".

Both the server and ``bpnn train`` run with one BLAS thread, as the other
benchmarks do. Numbers go to stdout.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
ENV = {
    **os.environ,
    "PYTHONPATH": str(ROOT / "src"),
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
SECONDS = 10
BIKE = {
    "dataset": "bike",
    "hidden": [20],
    "activation": "sigmoid",
    "bias": False,
    "optimizer": "sgd",
    "lr": 0.5,
    "batch_size": 128,
}


def start():
    """(process, url, seconds from start to the first answered page)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bpnn", "playground", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    url = re.search(r"http://\S+", proc.stdout.readline()).group(0)
    assert httpx.get(url).status_code == 200
    return proc, url, time.perf_counter() - t0


def stop(proc):
    proc.terminate()
    proc.wait(timeout=30)


def rss_mib(pid):
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", text).group(1)) / 1024


def stream_rate(client, sid, seconds):
    """(weight updates per second, stream updates per second) while playing."""
    client.post(f"/api/sessions/{sid}/play", json={})
    first = last = None
    events = 0
    with client.stream("GET", f"/api/sessions/{sid}/events", timeout=60) as r:
        for line in r.iter_lines():
            if not line.startswith("data: "):
                continue
            snap = json.loads(line[6:])
            now = time.perf_counter()
            if first is None:
                first = (now, snap["step"])
                continue
            events += 1
            last = (now, snap["step"])
            if now - first[0] >= seconds:
                break
    client.post(f"/api/sessions/{sid}/pause", json={})
    elapsed = last[0] - first[0]
    return (last[1] - first[1]) / elapsed, events / elapsed


def cli_rate():
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bpnn",
                "train",
                "bike",
                "--steps",
                "5000",
                "--quiet",
                "--out",
                f"{out}/run",
            ],
            env=ENV,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        metrics = json.loads(Path(out, "run", "metrics.json").read_text())
    return metrics["weight_updates"] / metrics["wall_time_s"]


def cycle(client):
    sid = client.post("/api/sessions", json=BIKE).json()["session"]
    client.post(f"/api/sessions/{sid}/step", json={"steps": 1000})
    state = client.get(f"/api/sessions/{sid}/state", params={"after": 1}).json()
    assert state["step"] == 1000, state["step"]
    client.delete(f"/api/sessions/{sid}")


def main():
    starts = []
    for _ in range(3):
        proc, url, seconds = start()
        starts.append(seconds)
        stop(proc)
    print(
        f"start-up to the first answered page: median {statistics.median(starts):.2f} s"
        f" (of {', '.join(f'{s:.2f}' for s in starts)})"
    )

    proc, url, _ = start()
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            sid = client.post("/api/sessions", json=BIKE).json()["session"]
            steps, updates = stream_rate(client, sid, SECONDS)
            client.delete(f"/api/sessions/{sid}")
            print(
                f"server, bike network: {steps:.0f} weight updates/s, "
                f"stream {updates:.1f} updates/s over {SECONDS} s"
            )
            cycle(client)
            after_one = rss_mib(proc.pid)
            for _ in range(9):
                cycle(client)
            after_ten = rss_mib(proc.pid)
            for _ in range(10):
                cycle(client)
            after_twenty = rss_mib(proc.pid)
            print(
                f"server RSS: {after_one:.1f} MiB after 1 train/delete cycle, "
                f"{after_ten:.1f} MiB after 10, {after_twenty:.1f} MiB after 20"
            )
    finally:
        stop(proc)
    print(f"bpnn train bike --steps 5000: {cli_rate():.0f} weight updates/s")


if __name__ == "__main__":
    main()
