"""bpnn.export_onnx and `bpnn export`: ONNX Runtime gives bpnn's numbers, for
bare networks and for `bpnn train csv` models with their preparation."""

import numpy as np
import pytest

import bpnn
from bpnn.cli import main

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

ACTIVATIONS = ["sigmoid", "identity", "tanh", "relu"]
#: largest difference allowed, relative to the largest output (at least 1)
TOLERANCE = {np.float64: 1e-12, np.float32: 1e-6}


def session(path):
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def random_net(seed, depth, dtype, output):
    rng = np.random.default_rng(seed)
    sizes = [int(s) for s in rng.integers(1, 7, depth + 1)]
    acts = [str(rng.choice(ACTIVATIONS)) for _ in range(depth - 1)] + [output]
    if output == "softmax":
        sizes[-1] = max(sizes[-1], 3)
    loss = "cross_entropy" if output == "softmax" else "half_mse"
    bias = bool(rng.integers(0, 4))
    net = bpnn.Network.from_sizes(
        sizes, acts, bias=bias, loss=loss, seed=seed, dtype=dtype
    )
    for layer in net.layers:
        if layer.b is not None:
            layer.b[:] = rng.normal(0, 0.5, layer.b.shape)
    return net, rng.normal(0, 1, (23, sizes[0])).astype(dtype)


def assert_close(actual, expected, dtype):
    tol = TOLERANCE[dtype]
    scale = max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol * scale)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("depth", [1, 2, 3, 4])
@pytest.mark.parametrize("output", [*ACTIVATIONS, "softmax"])
def test_runtime_gives_bpnn_outputs(tmp_path, output, depth, dtype):
    net, X = random_net(depth * 7 + len(output), depth, dtype, output)
    path = tmp_path / "net.onnx"
    model = bpnn.export_onnx(net, path)
    onnx.checker.check_model(onnx.load(path), full_check=True)
    ops = {node.op_type for node in model.graph.node}
    assert "MatMul" in ops
    (y,) = session(path).run(None, {"X": X})
    assert y.dtype == dtype
    assert_close(y, net.predict(X), dtype)


def test_a_float64_network_exports_as_float32(tmp_path):
    net, X = random_net(5, 3, np.float64, "sigmoid")
    bpnn.export_onnx(net, tmp_path / "n.onnx", dtype="float32")
    (y,) = session(tmp_path / "n.onnx").run(None, {"X": X.astype(np.float32)})
    assert y.dtype == np.float32
    assert_close(y, net.predict(X), np.float32)


def make_table(kind, n=200, seed=0):
    """A numeric, an integer and a text column; the target depends on all."""
    rng = np.random.default_rng(seed)
    x = rng.normal(50, 10, n)
    rooms = rng.integers(1, 6, n)
    colour = rng.choice(["red", "green", "blue"], n)
    effect = pd.Series(colour).map({"red": 2.0, "green": 0.0, "blue": -2.0})
    signal = (x - 50) / 10 + effect.to_numpy() + 0.3 * (rooms - 3)
    df = pd.DataFrame({"x": x, "rooms": rooms, "colour": colour})
    if kind == "regression":
        df["y"] = 3 * signal + 100 + rng.normal(0, 0.3, n)
    elif kind == "binary":
        df["y"] = np.where(signal + rng.normal(0, 0.3, n) > 0, "yes", "no")
    else:
        df["y"] = np.select([signal < -1, signal < 1], ["low", "mid"], "high")
    return df


def feeds(frame, categorical=("colour",)):
    """One (N, 1) input per raw column: text as strings, numbers as float64."""
    out = {}
    for name in frame.columns:
        values = frame[name].to_numpy()
        if name in categorical:
            out[name] = np.array([str(v) for v in values], dtype=object)[:, None]
        else:
            out[name] = values.astype(np.float64)[:, None]
    return out


@pytest.mark.parametrize("kind", ["regression", "binary", "multiclass"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_train_csv_model_with_preparation_runs_on_raw_rows(tmp_path, kind, dtype):
    df = make_table(kind)
    df.to_csv(tmp_path / "t.csv", index=False)
    run = tmp_path / "run"
    train = ["train", "csv", str(tmp_path / "t.csv"), "--target", "y", "--epochs", "20"]
    assert main([*train, "--categorical", "rooms", "--quiet", "--out", str(run)]) == 0
    onnx_path = tmp_path / "m.onnx"
    export = ["export", str(run), "--onnx", str(onnx_path), "--with-preparation"]
    assert main([*export, "--dtype", dtype]) == 0
    onnx.checker.check_model(onnx.load(onnx_path), full_check=True)

    rows = make_table(kind, n=31, seed=1).drop(columns="y")
    rows.to_csv(tmp_path / "new.csv", index=False)
    assert main(["predict", "--model", str(run), "--csv", str(tmp_path / "new.csv"),
                 "--out", str(tmp_path / "p.csv"), "--precision", "0"]) == 0  # fmt: skip
    expected = pd.read_csv(tmp_path / "p.csv")
    sess = session(onnx_path)
    names = [i.name for i in sess.get_inputs()]
    assert names == ["x", "rooms", "colour"]
    outputs = dict(
        zip(
            [o.name for o in sess.get_outputs()],
            sess.run(None, feeds(rows, categorical=("colour", "rooms"))),
            strict=True,
        )
    )
    tol = np.float32 if dtype == "float32" else np.float64
    if kind == "regression":
        got = outputs["predicted_y"]
        assert got.dtype == np.float64 and got.shape == (31,)
        # predict's CSV (--precision 0) rounds nothing: 17 digits at most
        assert_close(got, expected["predicted_y"].to_numpy(), tol)
    else:
        labels = outputs["predicted_y"]
        assert list(labels) == [str(v) for v in expected["predicted_y"]]
        classes = sorted(set(df["y"]))
        columns = [f"probability_{c}" for c in classes]
        assert_close(outputs["probabilities"], expected[columns].to_numpy(), tol)


def test_with_preparation_equals_bpnn_exactly_in_float64(tmp_path):
    """Straight from the model file, no CSV in between: 1e-12."""
    from bpnn.data.preparation import Preparation

    df = make_table("regression")
    df.to_csv(tmp_path / "t.csv", index=False)
    args = ["train", "csv", str(tmp_path / "t.csv"), "--target", "y", "--epochs", "5"]
    assert main([*args, "--quiet", "--out", str(tmp_path / "run")]) == 0
    net = bpnn.load(tmp_path / "run" / "model.npz")
    bpnn.export_onnx(net, tmp_path / "m.onnx", with_preparation=True)
    prep = Preparation.from_dict(net.extra["preparation"])
    rows = make_table("regression", n=40, seed=3).drop(columns="y")
    expected = prep.to_units(net.predict(prep.features(rows)))
    (got,) = session(tmp_path / "m.onnx").run(None, feeds(rows))
    assert_close(got, expected, np.float64)


def test_unknown_category_fails_the_run(tmp_path):
    df = make_table("binary")
    df.to_csv(tmp_path / "t.csv", index=False)
    args = ["train", "csv", str(tmp_path / "t.csv"), "--target", "y", "--epochs", "2"]
    assert main([*args, "--quiet", "--out", str(tmp_path / "run")]) == 0
    net = bpnn.load(tmp_path / "run" / "model.npz")
    bpnn.export_onnx(net, tmp_path / "m.onnx", with_preparation=True)
    rows = make_table("binary", n=3).drop(columns="y").assign(colour="pink")
    with pytest.raises(Exception, match="Unknown Category"):
        session(tmp_path / "m.onnx").run(None, feeds(rows))


def test_export_errors_are_one_line(tmp_path, capsys):
    net = bpnn.Network.from_sizes([2, 3, 1], seed=0)
    net.save(tmp_path / "plain.npz")
    out = tmp_path / "p.onnx"
    args = ["export", str(tmp_path / "plain.npz"), "--onnx", str(out)]
    assert main([*args, "--with-preparation"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bpnn: error:") and "no data preparation" in err
    assert len(err.strip().splitlines()) == 1
    assert main(["export", str(tmp_path / "missing.npz"), "--onnx", str(out)]) == 2
    assert main(args) == 0 and out.exists()
    with pytest.raises(bpnn.errors.InputError, match="bpnn.Network"):
        bpnn.export_onnx("model.npz", out)
