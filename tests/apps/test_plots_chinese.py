"""Chinese column names and class labels in plots: drawn in a CJK font when one
is installed (no missing-glyph warning), named by number when none is."""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pytest

pytest.importorskip("matplotlib")
pd = pytest.importorskip("pandas")

from bpnn.apps import fonts, plots
from bpnn.datasets import load_csv


@pytest.fixture
def chinese_csv(tmp_path):
    rng = np.random.default_rng(0)
    n = 90
    frame = pd.DataFrame(
        {
            "面积": rng.normal(80, 20, n).round(1),
            "楼层": rng.integers(1, 30, n),
            "城市": rng.choice(["北京", "上海", "广州"], n),
        }
    )
    frame["等级"] = np.where(frame["面积"] > 80, "高", "低")
    path = tmp_path / "房屋.csv"
    frame.to_csv(path, index=False)
    return path


def draw(path, fresh_state):
    import bpnn

    if fresh_state:
        fonts._state.update(checked=False, hinted=False, font=None)
    ds = load_csv(path, "等级", seed=0)
    net = bpnn.Network.from_sizes(
        [ds.X_train.shape[1], 4, 1], ["relu", "sigmoid"], loss="bce", seed=0
    )
    fig = plots.predictions_figure(net, ds)
    fig.canvas.draw()  # glyphs are looked up when the text is rendered
    return fig


def texts(fig):
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    return ax.get_xlabel(), ticks


def test_chinese_labels_are_drawn_without_missing_glyphs(chinese_csv, caplog):
    if fonts.cjk_font() is None:
        pytest.skip("no CJK font installed (apt install fonts-noto-cjk)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a UserWarning
        with caplog.at_level(logging.WARNING, logger="matplotlib"):
            fig = draw(chinese_csv, fresh_state=True)
    assert not [r for r in caplog.records if "missing" in r.getMessage()]
    xlabel, ticks = texts(fig)
    assert xlabel == "predicted 等级" and set(ticks) == {"低", "高"}


def test_without_a_cjk_font_labels_are_numbers_and_one_line_says_why(
    chinese_csv, monkeypatch, capsys
):
    fig = None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fonts._state.update(checked=True, hinted=False, font=None)
        monkeypatch.setattr(fonts, "cjk_font", lambda: None)
        fig = draw(chinese_csv, fresh_state=False)
    xlabel, ticks = texts(fig)
    assert xlabel == "predicted the target" and ticks == ["class 0", "class 1"]
    err = capsys.readouterr().err
    assert err.count("no Chinese font is installed") == 1 and "fonts-noto-cjk" in err
    fonts._state.update(checked=False, hinted=False, font=None)
