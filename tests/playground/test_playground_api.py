"""The playground's HTTP API, through Starlette's TestClient: every endpoint
with good and bad input, and the Host and Origin checks."""

from __future__ import annotations

import json
import math
import signal
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

with warnings.catch_warnings():  # starlette's note on httpx versions
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

import bpnn
from bpnn.explain import exercises
from bpnn.playground.app import create_app

BASE = "http://127.0.0.1:8000"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def client():
    with TestClient(create_app(port=8000), base_url=BASE) as c:
        yield c


def error_of(response, status=400):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and "\n" not in body["error"], body
    return body["error"]


def test_the_page_its_files_and_the_labels(client):
    page = client.get("/")
    assert page.status_code == 200 and "bpnn playground" in page.text
    assert client.get("/static/main.js").status_code == 200
    # encoded, so that the client sends the dots as they are (it would fold
    # a plain ../ away before sending)
    assert client.get("/static/%2e%2e/app.py").status_code == 404
    labels = client.get("/api/labels").json()
    assert labels["stages"]["forward"]["zh"] == "正向传播"
    assert labels["stages"]["backward"]["zh"] == "反向传播"
    assert labels["labels"]["hidden_error_term"]["zh"][0] == "隐藏节点的误差项"
    assert labels["labels"]["weight_step_W"]["zh"][0] == "权重更新步长"
    assert client.get("/api/datasets").json()["toy"][0] == "xor"


def test_the_exercise_is_bpnn_trace_to_dict(client):
    answer = client.post("/api/trace", json={"network": "exercise"}).json()
    expected = bpnn.trace(*exercises.backprop()).to_dict()
    steps = answer["trace"].pop("steps")
    assert answer["trace"] == {k: v for k, v in expected.items() if k != "steps"}
    for got, want in zip(steps, expected["steps"], strict=True):
        got.pop("substituted", None)  # checked in its own test
        assert got == want
    by_key = {s["key"]: s for s in steps}
    assert by_key["output.a"]["value"][0][0] == pytest.approx(0.512372, abs=5e-7)
    assert answer["lecture"]["output.error_term"] == 0.122
    assert "0.00046" in answer["lecture_notes"]["en"]["layer1.weight_step_W"]
    assert "讲义" in answer["lecture_notes"]["zh"]["output.a"]


def test_formulas_with_their_numbers_put_in(client):
    steps = client.post("/api/trace", json={"network": "exercise"}).json()
    subst = {s["key"]: s["substituted"] for s in steps["trace"]["steps"]}
    assert subst["output.a"] == "sigmoid(0.0495)"
    assert subst["output.weight_step_W"] == "0.5·0.495ᵀ·0.1218"
    # the update of the first layer reads the old W1, not the updated one
    assert "0.1ᵀ" in subst["layer1.gradient_W"]


def test_a_random_network_and_an_edited_spec(client):
    body = {"network": "random", "sizes": "3,4,2,1", "batch": 2, "seed": 7}
    answer = client.post("/api/trace", json=body).json()
    spec = answer["spec"]
    assert spec["sizes"] == [3, 4, 2, 1] and np.shape(spec["x"]) == (2, 3)
    assert "lecture" not in answer
    net = bpnn.Network.from_sizes([3, 4, 2, 1], bias=False)
    for layer, w in zip(net.layers, spec["weights"]):
        layer.W[:] = w["W"]
    want = bpnn.trace(net, np.array(spec["x"]), np.array(spec["y"]), spec["lr"])
    got = {s["key"]: s["value"] for s in answer["trace"]["steps"]}
    assert list(got) == want.keys()
    for key, value in got.items():
        np.testing.assert_array_equal(value, want[key].value)
    exercise = client.post("/api/trace", json={"network": "exercise"}).json()["spec"]
    exercise["x"] = [[0.2, 0.3]]
    edited = client.post("/api/trace", json={"network": "spec", "spec": exercise})
    assert edited.json()["spec"]["x"] == [[0.2, 0.3]]
    assert "lecture" not in edited.json()


@pytest.mark.parametrize(
    "body, words",
    [
        ({"network": "random", "sizes": [2] * 10000}, "sizes must list"),
        ({"network": "random", "sizes": [2, 10**9, 1]}, "nodes"),
        ({"network": "random", "sizes": "2,x,1"}, "whole numbers"),
        ({"network": "random", "lr": float("nan")}, "finite"),
        ({"network": "random", "batch": 100000}, "batch"),
        ({"network": "random", "activations": "softmax,sigmoid"}, "softmax"),
        ({"network": "nonsense"}, "unknown network"),
        ({"network": "spec", "spec": {"sizes": [2, 1]}}, "lr"),
        ({"network": "spec", "spec": "x"}, "spec"),
    ],
)
def test_bad_trace_requests_are_400_with_one_line(client, body, words):
    content = json.dumps(body).encode()  # json.dumps writes NaN as NaN
    response = client.post("/api/trace", content=content)
    assert words in error_of(response)


def test_bad_bodies(client):
    assert "not JSON" in error_of(client.post("/api/trace", content=b"{oops"))
    assert "object" in error_of(client.post("/api/trace", content=b"[1, 2]"))
    big = b'{"x": "' + b"a" * 100_000 + b'"}'
    assert "over" in error_of(client.post("/api/trace", content=big), 413)
    sid = client.post("/api/sessions", json={"dataset": "xor"}).json()["session"]
    assert "command" in error_of(client.post(f"/api/sessions/{sid}/fly", json={}), 404)
    assert client.get("/api/nothing").status_code == 404


def test_check_my_work(client):
    answers = {
        "output.a": "0.512",  # right at 3 decimals
        "output.error_term": "0.13",  # wrong: 0.12 at 2 decimals
        "layer1.error_term": "0.0030",
        "layer1.weight_step_W": "0.00015, 0.00045",  # the lecture's rounding
    }
    body = {"network": "exercise", "answers": answers, "lang": "zh"}
    result = client.post("/api/check", json=body).json()
    marks = result["results"]
    assert marks["output.a"] == {"right": True, "decimals": 3, "note": None}
    assert marks["output.error_term"]["right"] is False
    assert marks["layer1.error_term"]["right"] is True
    assert marks["layer1.weight_step_W"] == {
        "right": True,
        "decimals": 5,
        "note": "lecture",
    }
    hint = result["hint"]
    assert hint["key"] == "output.error_term" and hint["name"] == "输出节点的误差项"
    assert hint["substituted"] == "(1 − 0.5124) ⊙ 0.2498"
    wrong = {"network": "exercise", "answers": {"output.a": "abc"}}
    assert "not a number" in error_of(client.post("/api/check", json=wrong))
    unknown = {"network": "exercise", "answers": {"nope": "1"}}
    assert "no step" in error_of(client.post("/api/check", json=unknown))


def wait_state(client, sid, after):
    return client.get(f"/api/sessions/{sid}/state", params={"after": after}).json()


def test_a_session_steps_plays_pauses_resets(client):
    body = {"dataset": "xor", "hidden": [4], "activation": "tanh", "lr": 0.1}
    first = client.post("/api/sessions", json=body).json()
    sid = first["session"]
    assert first["step"] == 0 and first["sizes"] == [2, 4, 1]
    assert len(first["boundary"]["p"]) == first["boundary"]["cells"] ** 2
    assert len(first["node_maps"][0]) == 4 and "points" in first
    client.post(f"/api/sessions/{sid}/step", json={"steps": 25})
    state = wait_state(client, sid, first["version"])
    assert state["step"] == 25 and state["state"] == "paused"
    assert (
        client.post(f"/api/sessions/{sid}/play", json={}).json()["state"] == "running"
    )
    later = wait_state(client, sid, state["version"])
    assert later["step"] > 25
    client.post(f"/api/sessions/{sid}/pause", json={})
    paused = wait_state(client, sid, later["version"])
    assert paused["state"] == "paused"
    client.post(f"/api/sessions/{sid}/reset", json={})
    reset = wait_state(client, sid, paused["version"])
    assert reset["step"] == 0 and reset["version"] > paused["version"]
    events = client.get(f"/api/sessions/{sid}/events", params={"max": 1})
    assert events.headers["content-type"].startswith("text/event-stream")
    data = [line for line in events.text.splitlines() if line.startswith("data: ")]
    assert json.loads(data[0][6:])["session"] == sid


def test_two_sessions_do_not_share_a_network(client):
    body = {"dataset": "circles", "hidden": [3]}
    a = client.post("/api/sessions", json=body).json()
    b = client.post("/api/sessions", json=body).json()
    assert a["session"] != b["session"]
    client.post(f"/api/sessions/{a['session']}/step", json={"steps": 10})
    assert wait_state(client, a["session"], a["version"])["step"] == 10
    assert wait_state(client, b["session"], -1)["step"] == 0
    client.delete(f"/api/sessions/{a['session']}")
    assert "no session" in error_of(
        client.get(f"/api/sessions/{a['session']}/state"), 404
    )


@pytest.mark.parametrize(
    "body, words",
    [
        ({"dataset": "mnist"}, "unknown dataset"),
        ({"dataset": "xor", "hidden": [4] * 10000}, "hidden"),
        ({"dataset": "xor", "hidden": [10**9]}, "nodes"),
        ({"dataset": "xor", "lr": float("nan")}, "finite"),
        ({"dataset": "xor", "lr": -1}, "lr"),
        ({"dataset": "xor", "batch_size": 0}, "batch_size"),
        ({"dataset": "xor", "points": 10**9}, "points"),
        ({"dataset": "xor", "activation": "softmax"}, "activation"),
        ({"dataset": "xor", "optimizer": "lbfgs"}, "optimizer"),
        ({"dataset": "csv", "upload": "nope", "target": "y"}, "no upload"),
        ({"dataset": "csv"}, "upload"),
    ],
)
def test_bad_session_requests(client, body, words):
    response = client.post("/api/sessions", content=json.dumps(body).encode())
    assert words in error_of(response, response.status_code)
    assert response.status_code in (400, 404)


def test_the_trained_model_downloads_and_loads(client, tmp_path):
    body = {"dataset": "moons", "hidden": [5], "lr": 0.3}
    sid = client.post("/api/sessions", json=body).json()["session"]
    client.post(f"/api/sessions/{sid}/step", json={"steps": 40})
    wait_state(client, sid, 1)
    model = client.get(f"/api/sessions/{sid}/model.npz")
    assert (
        model.status_code == 200
        and "attachment" in model.headers["content-disposition"]
    )
    path = tmp_path / "model.npz"
    path.write_bytes(model.content)
    net = bpnn.load(path)
    assert net.sizes == [2, 5, 1]
    assert net.extra["preparation"]["target"] == "label"
    history = client.get(f"/api/sessions/{sid}/history.csv").text.splitlines()
    assert history[0] == "step,epoch,train_loss,val_loss"
    assert history[-1].startswith("40,")


CSV = "size,rooms,kind,price\n" + "".join(
    f"{50 + 7 * i % 90},{1 + i % 4},{'ab'[i % 2]},{100 + 3 * i + (i % 4) * 20}\n"
    for i in range(60)
)


def test_an_uploaded_csv_trains_and_predicts(client, tmp_path):
    up = client.post("/api/uploads?name=houses.csv", content=CSV.encode()).json()
    assert up["columns"] == ["size", "rooms", "kind", "price"] and up["rows"] == 60
    body = {"dataset": "csv", "upload": up["upload"], "target": "price", "lr": 0.05}
    started = client.post("/api/sessions", json=body).json()
    assert started["dataset"]["task"] == "regression"
    kinds = {
        c["name"]: (c["kind"], c["features"]) for c in started["dataset"]["columns"]
    }
    assert kinds["kind"] == ("categorical", 2) and kinds["price"] == ("target", 0)
    assert list(kinds)[-1] == "price"
    assert len(started["regression"]["actual"]) == started["dataset"]["rows"]["test"]
    sid = started["session"]
    client.post(f"/api/sessions/{sid}/step", json={"steps": 30})
    wait_state(client, sid, started["version"])
    (tmp_path / "model.npz").write_bytes(
        client.get(f"/api/sessions/{sid}/model.npz").content
    )
    (tmp_path / "new.csv").write_text(CSV)
    from bpnn.cli import main

    out = tmp_path / "predictions.csv"
    args = [
        "predict",
        "--model",
        str(tmp_path / "model.npz"),
        "--csv",
        str(tmp_path / "new.csv"),
    ]
    assert main([*args, "--out", str(out)]) == 0
    assert out.read_text().splitlines()[0].endswith("predicted_price")
    missing = {**body, "target": "colour"}
    assert "colour" in error_of(client.post("/api/sessions", json=missing))


def test_a_learner_chooses_what_a_csv_column_is(client):
    up = client.post("/api/uploads?name=houses.csv", content=CSV.encode()).json()
    body = {"dataset": "csv", "upload": up["upload"], "target": "price"}
    kinds = {"rooms": "categorical", "size": "drop"}
    started = client.post("/api/sessions", json={**body, "kinds": kinds}).json()
    table = {c["name"]: c for c in started["dataset"]["columns"]}
    assert (table["rooms"]["kind"], table["rooms"]["features"]) == ("categorical", 4)
    assert table["size"]["kind"] == "dropped" and table["size"]["chosen"]
    assert not table["kind"]["chosen"]
    assert started["dataset"]["features"] == [
        "rooms_1", "rooms_2", "rooms_3", "rooms_4", "kind_a", "kind_b"
    ]  # fmt: skip
    for bad, words in (
        ({"rooms": "text"}, "kinds['rooms'] must be one of auto"),
        (["rooms"], "kinds must map column names to kinds"),
        ({"colour": "drop"}, "no column 'colour'"),
        ({"price": "drop"}, "--drop names the target column"),
    ):
        assert words in error_of(
            client.post("/api/sessions", json={**body, "kinds": bad})
        )


def test_bad_uploads(client):
    assert "empty" in error_of(client.post("/api/uploads", content=b"  "))
    assert "NUL" in error_of(client.post("/api/uploads", content=b"a,b\n1,\x00\n"))
    big = b"a,b\n" + b"1,2\n" * 2_000_000
    assert "over" in error_of(client.post("/api/uploads", content=big), 413)


def test_a_foreign_host_or_origin_is_refused(client):
    assert "own address" in error_of(
        client.get("/", headers={"host": "evil.example"}), 403
    )
    assert client.get("/", headers={"host": "127.0.0.1:9999"}).status_code == 403
    assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200
    foreign = {"origin": "http://evil.example"}
    response = client.post("/api/trace", json={}, headers=foreign)
    assert "not accepted" in error_of(response, 403)
    own = {"origin": BASE}
    assert client.post("/api/trace", json={}, headers=own).status_code == 200
    # no Origin: a client that is not a browser
    assert client.post("/api/trace", json={}).status_code == 200
    # reading needs no Origin check, but still the Host check
    assert client.get("/api/labels", headers=foreign).status_code == 200


def test_abandoned_sessions_are_closed_and_capped():
    with TestClient(
        create_app(port=8000, idle_s=3600, max_sessions=2), base_url=BASE
    ) as c:
        ids = [
            c.post("/api/sessions", json={"dataset": "xor"}).json()["session"]
            for _ in range(3)
        ]
        sessions = c.app.state.sessions
        assert len(sessions) == 2
        assert c.get(f"/api/sessions/{ids[0]}/state").status_code == 404
        first = sessions.get(ids[1])
        sessions.idle_s = 0
        sessions.sweep()
        assert len(sessions) == 0 and first.closed
        first.thread.join(timeout=10)
        assert not first.thread.is_alive()


def test_the_command_prints_its_url_and_stops_on_ctrl_c():
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bpnn", "playground", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("bpnn playground: serving on http://127.0.0.1:")
        import httpx

        url = line.split()[-1]
        assert httpx.get(url).status_code == 200
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err


def test_the_command_refuses_a_bad_port(capsys):
    from bpnn.cli import main

    assert main(["playground", "--port", "70000"]) == 2
    assert "--port" in capsys.readouterr().err


def test_toy_sets_are_seeded_and_in_the_plane():
    from bpnn.playground import toydata

    for name in toydata.SETS:
        a = toydata.make(name, 100, 0.1, 0.5, seed=3)
        b = toydata.make(name, 100, 0.1, 0.5, seed=3)
        for x, y in zip(a, b):
            np.testing.assert_array_equal(x, y)
        assert np.abs(a[0]).max() < toydata.EXTENT and len(a[0]) == 50
        assert set(np.unique(a[1])) == {0, 1}
    assert math.isclose(len(toydata.make("spiral", 90, 0, 0.5, classes=3)[0]), 45)


def test_the_lecture_data_sets(client):
    pytest.importorskip("pandas")
    admissions = client.post(
        "/api/sessions", json={"dataset": "admissions", "hidden": [2], "lr": 1}
    ).json()
    assert admissions["sizes"] == [6, 2, 1] and "boundary" not in admissions
    assert admissions["dataset"]["features"][:2] == ["gre", "gpa"]
    counts = admissions["confusion"]["counts"]
    assert sum(map(sum, counts)) == admissions["dataset"]["rows"]["test"] == 40
    bike = client.post("/api/sessions", json={"dataset": "bike", "hidden": [20]}).json()
    assert bike["val_name"] == "validation" and bike["sizes"] == [56, 20, 1]
    assert (
        bike["regression"]["target"] == "cnt"
        and len(bike["regression"]["actual"]) == 504
    )
