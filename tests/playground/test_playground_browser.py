"""The playground's page in headless Chromium (Playwright): it loads in both
languages without console errors, steps through the lecture's exercise,
checks hand-computed values, trains XOR and a CSV.

Needs Debian's chromium (``apt-get install chromium fonts-noto-cjk``) and the
playwright package; skipped without them. Every wait is for an event (the
server's printed URL, an element's text, a counted step), never for a time.
``BPNN_PLAYGROUND_SHOTS=DIR`` also saves the screenshots there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is missing")
pytest.importorskip("starlette", reason="starlette is missing (bpnn[playground])")
CHROMIUM = shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip(
        "chromium is missing (apt-get install chromium fonts-noto-cjk)",
        allow_module_level=True,
    )

import bpnn

expect = sync_api.expect
ROOT = Path(__file__).resolve().parents[2]
#: weight updates within which a 2-4-1 tanh network must learn XOR
XOR_STEPS = 40_000


@pytest.fixture(scope="module")
def server():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bpnn", "playground", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    line = proc.stdout.readline()  # the event: the server prints its URL
    match = re.search(r"serving on (http://\S+)", line)
    assert match, f"no URL line from bpnn playground: {line!r}"
    yield match.group(1)
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        viewport={"width": 1400, "height": 960}, accept_downloads=True
    )
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.on(
        "console",
        lambda msg: page.errors.append(msg.text) if msg.type == "error" else None,
    )
    yield page
    context.close()


def shot(page, tmp_path, name):
    page.screenshot(path=tmp_path / name, full_page=True)
    folder = os.environ.get("BPNN_PLAYGROUND_SHOTS")
    if folder:
        page.screenshot(path=Path(folder) / name, full_page=True)


def open_page(page, url, hash_=""):
    page.goto(url + hash_)
    expect(page.locator("body")).to_have_attribute("data-ready", "1")


@pytest.mark.parametrize(
    "lang, tab, stage",
    [
        ("en", "Step through one pass", "forward pass"),
        ("zh", "逐步推导一次传播", "正向传播"),
    ],
)
def test_the_page_loads_in_both_languages(server, page, tmp_path, lang, tab, stage):
    open_page(page, server, f"#lang={lang}")
    expect(page.locator("#tab-step")).to_have_text(tab)
    page.click("#step-forward")
    expect(page.locator("#card-stage")).to_have_text(stage)
    page.click("#step-all")
    if lang == "zh":
        expect(page.locator("#steps-table")).to_contain_text("隐藏节点的误差项")
        expect(page.locator("#steps-table")).to_contain_text("权重更新步长")
    shot(page, tmp_path, f"playground-{lang}.png")
    assert page.errors == []


def step_to(page, key):
    """Step forward until the card shows ``key`` (at most once per step)."""
    for _ in range(40):
        if page.locator("#step-card").get_attribute("data-key") == key:
            return
        page.click("#step-forward")
    raise AssertionError(f"never reached step {key}")


def test_stepping_through_the_exercise(server, page, tmp_path):
    open_page(page, server)
    for key, value in [
        ("output.a", "0.512372"),
        ("output.error_term", "0.121832"),
        ("layer1.error_term", "0.0030455"),
        ("output.weight_step_W", "0.0301535"),
    ]:
        step_to(page, key)
        expect(page.locator("#step-value")).to_have_text(value)
    expect(page.locator("#card-lecture")).to_contain_text("0.0302")
    # after the update the weight step is written on its edge
    expect(page.locator("#step-svg text.dw")).to_have_text(["Δ +0.0302"])
    expect(page.locator('#step-svg .edge[data-edge="2:0:0"]')).to_have_class(
        re.compile("hi")
    )
    shot(page, tmp_path, "playground-step.png")
    page.click("#step-back")
    expect(page.locator("#step-svg text.dw")).to_have_count(0)
    assert page.errors == []


def test_check_my_work(server, page):
    open_page(page, server)
    page.fill('input[data-key="output.a"]', "0.512")
    page.fill('input[data-key="output.error_term"]', "0.13")
    page.click("#check-work")
    expect(page.locator('tr[data-key="output.a"] td.mark')).to_have_text("✓")
    expect(page.locator('tr[data-key="output.error_term"] td.mark')).to_have_text("✗")
    expect(page.locator("#check-hint")).to_contain_text("δo")
    expect(page.locator("#check-hint")).to_contain_text("(1 − 0.5124) ⊙ 0.2498")
    assert page.errors == []


def boundary(page):
    return page.evaluate("document.getElementById('boundary').toDataURL()")


def test_training_xor_reaches_the_accuracy(server, page, tmp_path):
    open_page(page, server, "#view=train&t.data=xor&t.hidden=4&t.act=tanh&t.lr=0.1")
    expect(page.locator("#step-count")).to_have_text("0")
    expect(page.locator("#test-accuracy")).not_to_have_text("–")
    before = boundary(page)
    page.click("#train-play")
    page.wait_for_function(
        """(most) => {
            const acc = parseFloat(document.getElementById('test-accuracy').textContent);
            const steps = parseInt(document.getElementById('step-count').textContent);
            return acc >= 0.95 || steps > most;
        }""",
        arg=XOR_STEPS,
        timeout=300_000,
    )
    page.click("#train-play")  # pause
    accuracy = float(page.locator("#test-accuracy").text_content())
    steps = int(page.locator("#step-count").text_content())
    assert accuracy >= 0.95, f"test accuracy {accuracy} after {steps} steps"
    assert boundary(page) != before
    shot(page, tmp_path, "playground-train.png")
    assert page.errors == []


CSV = "size,rooms,kind,price\n" + "".join(
    f"{50 + 7 * i % 90},{1 + i % 4},{'ab'[i % 2]},{100 + 3 * i + (i % 4) * 20}\n"
    for i in range(80)
)


def test_an_uploaded_csv_trains_and_its_model_loads(server, page, tmp_path):
    csv_path = tmp_path / "houses.csv"
    csv_path.write_text(CSV)
    open_page(page, server, "#view=train&t.data=csv")
    page.set_input_files("#csv-file", str(csv_path))
    expect(page.locator("#csv-target")).to_have_value("price")
    expect(page.locator("#regression")).to_be_visible()
    # what was done with each column, as bpnn train csv prints it
    table = page.locator("#csv-columns")
    expect(table.locator("tr")).to_have_count(5)
    expect(table.locator("tr").nth(3)).to_contain_text("category → one-hot, 2 values")
    expect(table.locator("tr").nth(4)).to_contain_text("price")
    shot(page, tmp_path, "playground-csv-columns.png")
    page.click("[data-lang=zh]")
    expect(table.locator("tr").nth(3)).to_contain_text("类别 → 独热编码, 2 个取值")
    page.click("[data-lang=en]")
    # the learner decides: rooms as a category, size left out
    page.select_option("#csv-columns select[data-column=rooms]", "categorical")
    expect(table.locator("tr").nth(2)).to_contain_text("4 values (your choice)")
    page.select_option("#csv-columns select[data-column=size]", "drop")
    expect(table.locator("tr").nth(1)).to_contain_text("dropped (your choice)")
    expect(page.locator("#csv-columns select[data-column=size]")).to_have_value("drop")
    shot(page, tmp_path, "playground-csv-kinds.png")
    page.select_option("#csv-columns select[data-column=size]", "auto")
    page.select_option("#csv-columns select[data-column=rooms]", "auto")
    expect(table.locator("tr").nth(1)).to_contain_text("number → standardised")
    expect(table.locator("tr").nth(2)).to_contain_text("number → standardised")
    # the table is drawn once a session: a choice being made is not redrawn
    # under the learner's hand while training plays
    choice = page.locator("#csv-columns select[data-column=kind]").element_handle()
    page.click("#train-play")
    page.wait_for_function("+document.getElementById('step-count').textContent > 20")
    page.click("#train-play")
    assert choice.evaluate("e => e.isConnected")
    page.click("#train-reset")
    expect(page.locator("#step-count")).to_have_text("0")
    for k in range(1, 4):
        page.click("#train-step")
        expect(page.locator("#step-count")).to_have_text(str(k))
    with page.expect_download() as download:
        page.click("#download-model")
    path = tmp_path / "model.npz"
    download.value.save_as(path)
    net = bpnn.load(path)
    assert net.n_in == 4 and net.extra["preparation"]["target"] == "price"
    assert page.errors == []


def test_the_settings_live_in_the_url(server, page):
    view = "#view=step&lang=zh&s.net=random&s.sizes=3,4,2,1&s.batch=2&s.seed=7&s.i=12"
    open_page(page, server, view)
    expect(page.locator("#step-sizes")).to_have_value("3,4,2,1")
    expect(page.locator("#step-card")).to_have_attribute("data-key", "output.error")
    expect(page.locator("#card-stage")).to_have_text("反向传播")
    expect(page.locator("#step-svg .node")).to_have_count(10)
    page.click("#step-forward")
    assert "s.i=13" in page.evaluate("location.hash")
    page.click("#tab-train")
    page.select_option("#train-activation", "relu")
    expect(page.locator("#train-activation")).to_have_value("relu")
    page.wait_for_function("location.hash.includes('t.act=relu')")
    shared = page.evaluate("location.href")
    other = page.context.new_page()
    other.goto(shared)
    expect(other.locator("#view-train")).to_be_visible()
    expect(other.locator("#train-activation")).to_have_value("relu")
    expect(other.locator("#lang-zh")).to_have_class("active")
    assert page.errors == []


def test_editing_a_number_retraces(server, page):
    open_page(page, server)
    page.fill('input[data-field="x:0:0"]', "0.2")
    page.press('input[data-field="x:0:0"]', "Enter")
    page.locator('input[data-field="x:0:0"]').blur()
    page.select_option('select[data-field="f:1"]', "identity")
    step_to(page, "output.a")
    # ŷ = a1·W1 with h1 = 0.2·0.4 − 0.3·0.2 = 0.02: a1 = σ(0.02), ŷ = 0.1·a1
    expect(page.locator("#step-value")).to_have_text("0.0505")
    expect(page.locator("#card-lecture-row")).to_be_hidden()
    assert page.errors == []
