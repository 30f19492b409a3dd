"""`innosim backtest`: a quick run has a complete table and writes its folder; bad options are one line."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from model import history
from model.analysis import backtest
from model.cli import main
from model.parameters import DEFAULTS


@pytest.fixture(scope="module")
def quick():
    return backtest.run_backtest(replications=3, workers=2, parameters=DEFAULTS, scale={"beijing": 40})


def test_the_table_has_every_documented_figure(quick):
    assert [r.figure.id for r in quick.rows] == [f.id for f in history.FIGURES]
    for r in quick.rows:
        assert r.values.shape == (3,) and np.isfinite(r.q).all(), r.figure.id
        assert r.role in ("fit", "out", "input")
    assert not any(r.role == "fit" for r in quick.rows)  # default parameters were fitted on nothing
    k, n = quick.coverage()
    assert n == len(history.FIGURES) and 0 <= k <= n


def test_the_folder_has_report_table_and_charts(quick, tmp_path):
    out = backtest.write(quick, tmp_path / "bt", "en")
    md = (out / "backtest.md").read_text("utf-8")
    assert "Does the model reproduce history?" in md and "## What each miss means" in md
    assert '<html lang="en">' in (out / "backtest.html").read_text("utf-8")  # the page says its language
    for r in quick.rows:
        assert f"| {r.figure.id} |" in md
    raw = (out / "backtest.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the Chinese
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(history.FIGURES)
    assert {r["role"] for r in rows} <= {"calibrated on", "out of sample", "input"}
    for run in history.RUNS:
        for lang in ("zh", "en"):
            assert (out / "charts" / f"{run}-high_tech-{lang}.png").is_file()
            assert (out / "charts" / f"{run}-certification-flows-{lang}.png").is_file()
    html = (out / "backtest.html").read_text("utf-8")
    assert "data:image/png;base64," in html


def test_bad_out_is_one_line(tmp_path, capsys):
    (tmp_path / "taken").mkdir()
    assert main(["backtest", "-n", "1", "--out", str(tmp_path / "taken"), "--no-progress"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("innosim: error:") and "exists" in err and "\n" not in err


def test_the_terminal_table_names_the_figures_in_the_language_chosen():
    """innosim backtest --lang sets the language of the figures printed, as in every command (it printed English
    whatever --lang was, while backtest.md followed it)."""
    f = history.FIGURES[0]
    bt = backtest.Backtest([backtest.Row(f, "out", np.full(3, f.value))], {}, DEFAULTS, 0.0)
    zh, en = backtest.console(bt, "zh"), backtest.console(bt, "en")
    assert f.zh in zh and f.en not in zh and "figure 编号" in zh and "样本外" in zh
    assert f.en in en and f.zh not in en and "out of sample" in en
