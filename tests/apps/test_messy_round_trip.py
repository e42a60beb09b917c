"""A model trained on a messy export predicts new messy rows exactly as one
trained on the cleaned file predicts the cleaned rows."""

import json

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

from bpnn.cli import main

N = 150


def rows(n, seed, first_id=0):
    """(messy, clean) frames of the same records."""
    rng = np.random.default_rng(seed)
    when = pd.Timestamp("2022-01-03") + pd.to_timedelta(
        rng.integers(0, 700, n), unit="D"
    )
    spend = rng.uniform(100, 5000, n).round(2)
    share = rng.integers(0, 60, n)
    city = rng.choice(["北京", "上海", "广州"], n)
    score = (
        spend / 1000 + share / 20 + (city == "上海") + rng.normal(0, 0.3, n)
    ).round(3)
    clean = pd.DataFrame(
        {
            "visited": when.strftime("%Y-%m-%d"),
            "spend": spend,
            "share": share.astype(float),
            "city": city,
            "score": score,
        }
    )
    messy = pd.DataFrame(
        {
            "客户": [f"K{first_id + i:05d}" for i in range(n)],
            "visited": clean["visited"],
            "spend": [f"{v:,.2f} €".replace(",", " ").replace(".", ",") for v in spend],
            "share": [f"{v}%" for v in share],
            "city": city,
            "score": [str(v).replace(".", ",") for v in score],
        }
    )
    messy["spend"] = [f"€{v:.2f}".replace(".", ",") for v in spend]
    return messy, clean


def write_messy(path, frame):
    text = frame.to_csv(index=False, sep=";").replace("\n", ";\n")
    path.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))


def predict(model, csv, out, *extra):
    assert (
        main(
            [
                "predict",
                "--model",
                str(model),
                "--csv",
                str(csv),
                "--out",
                str(out),
                *extra,
            ]
        )
        == 0
    )
    return pd.read_csv(out)


def test_messy_and_clean_give_the_same_model_and_predictions(tmp_path, capsys):
    messy, clean = rows(N, 0)
    write_messy(tmp_path / "messy.csv", messy)
    clean.to_csv(tmp_path / "clean.csv", index=False)
    args = ["--target", "score", "--epochs", "15", "--quiet", "--unknown", "ignore"]
    assert (
        main(
            [
                "train",
                "csv",
                str(tmp_path / "messy.csv"),
                *args,
                "--out",
                str(tmp_path / "m"),
            ]
        )
        == 0
    )
    said = capsys.readouterr().out
    assert "encoding gb18030, separator ';' (semicolon), decimal mark ','" in said
    assert "客户" in said and "ID (unique per row) → dropped" in said
    assert "dropped 1 empty column(s)" in said
    assert (
        main(
            [
                "train",
                "csv",
                str(tmp_path / "clean.csv"),
                *args,
                "--out",
                str(tmp_path / "c"),
            ]
        )
        == 0
    )
    record = json.loads((tmp_path / "m" / "metrics.json").read_text())
    assert record["data"]["csv_format"]["sep"] == ";"
    assert record["data"]["columns"]["客户"] == "id"
    assert (
        record["features"]
        == json.loads((tmp_path / "c" / "metrics.json").read_text())["features"]
    )
    for key in ("r2", "rmse", "mae", "test_mse"):
        assert record["metrics"][key] == pytest.approx(
            json.loads((tmp_path / "c" / "metrics.json").read_text())["metrics"][key]
        )

    new_messy, new_clean = rows(12, 1, first_id=90000)  # new IDs, new dates
    new_messy.loc[3, "city"] = new_clean.loc[3, "city"] = "深圳"  # unseen
    write_messy(tmp_path / "new_messy.csv", new_messy.drop(columns="score"))
    new_clean.drop(columns="score").to_csv(tmp_path / "new_clean.csv", index=False)
    a = predict(tmp_path / "m", tmp_path / "new_messy.csv", tmp_path / "a.csv")
    b = predict(tmp_path / "c", tmp_path / "new_clean.csv", tmp_path / "b.csv")
    np.testing.assert_allclose(a["predicted_score"], b["predicted_score"])
    assert "'city' 1" in capsys.readouterr().err
    # six significant digits by default, all of them on request
    assert all(
        len(str(v).replace(".", "").lstrip("-0")) <= 6 for v in a["predicted_score"]
    )
    full = predict(
        tmp_path / "c",
        tmp_path / "new_clean.csv",
        tmp_path / "f.csv",
        "--precision",
        "0",
    )
    np.testing.assert_allclose(full["predicted_score"], b["predicted_score"], rtol=1e-5)


def test_predict_refuses_an_unseen_category_by_default(tmp_path, capsys):
    _, clean = rows(N, 0)
    clean.to_csv(tmp_path / "clean.csv", index=False)
    assert (
        main(
            [
                "train",
                "csv",
                str(tmp_path / "clean.csv"),
                "--target",
                "score",
                "--epochs",
                "2",
                "--quiet",
                "--out",
                str(tmp_path / "c"),
            ]
        )
        == 0
    )
    _, new = rows(5, 1)
    new.loc[2, "city"] = "深圳"
    new.to_csv(tmp_path / "new.csv", index=False)
    capsys.readouterr()
    assert (
        main(
            [
                "predict",
                "--model",
                str(tmp_path / "c"),
                "--csv",
                str(tmp_path / "new.csv"),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "'深圳' (row 3) unseen in training" in err and "--unknown ignore" in err
    assert err.count("\n") == 1
    assert (
        main(
            [
                "predict",
                "--model",
                str(tmp_path / "c"),
                "--csv",
                str(tmp_path / "new.csv"),
                "--unknown",
                "ignore",
                "--out",
                str(tmp_path / "p.csv"),
            ]
        )
        == 0
    )
