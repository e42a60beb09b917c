"""``bpnn train ... --lang zh`` and ``bpnn predict --lang zh`` speak the
lecture's Chinese terms; the numbers are the same as in English."""

from __future__ import annotations

import re

import pytest

from bpnn.cli import main

pytest.importorskip("pandas")
pytest.importorskip("matplotlib")


def summary(capsys, tmp_path, lang, *extra):
    out = tmp_path / lang
    args = ["train", "bike", "--steps", "200", "--quiet", "--out", str(out), *extra]
    assert main([*args, "--lang", lang]) == 0
    return capsys.readouterr().out


def test_the_bike_summary_and_pass_mark_verdict_in_chinese(capsys, tmp_path):
    en = summary(capsys, tmp_path, "en")
    zh = summary(capsys, tmp_path, "zh")
    assert "训练结束（完成）：200 次权重更新" in zh
    assert "标准化后 cnt 的均方误差 (MSE)：训练集" in zh and "验证集" in zh
    assert re.search(
        r"课程及格线（训练集 MSE < 0\.09, 验证集 MSE < 0\.18）：(达到|未达到)", zh
    )
    assert "已写入" in zh and "stopped:" not in zh and "course pass mark" not in zh
    # the same run, the same numbers
    numbers = re.compile(r"\d+\.\d{4}")
    assert (
        numbers.findall(en.split("stopped:")[1])[:3]
        == numbers.findall(zh.split("训练结束")[1])[:3]
    )


def test_the_admissions_accuracy_lines_in_chinese(capsys, tmp_path):
    out = tmp_path / "adm"
    assert main(
        ["train", "admissions", "--quiet", "--lang", "zh", "--out", str(out)]
    ) in (0,)
    zh = capsys.readouterr().out
    assert "测试集准确率" in zh and "平衡准确率" in zh and "测试集 F1：宏平均" in zh
