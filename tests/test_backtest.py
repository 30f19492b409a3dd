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


def test_a_figure_is_inside_when_the_band_meets_its_interval_and_the_stricter_count_asks_the_value():
    """'Inside' is the band meeting the documented interval (exact figures +-3%); the summary also counts the
    documented value inside the band, so a band 1% short of an exact figure shows as inside only by the interval."""
    f = history.Figure("x", "beijing", "x", "x", 100.0, *history.exact(100.0), "家", "exact", "out",
                       lambda t: 0.0, "high_tech", "2020-12")
    near = backtest.Row(f, "out", np.linspace(101.0, 111.0, 101))  # P10 102, P50 106, P90 110
    hit = backtest.Row(f, "fit", np.linspace(90.0, 110.0, 101))
    edge = backtest.Row(f, "input", np.full(11, 103.0))  # P10 = P90 = the interval's top
    off = backtest.Row(f, "out", np.full(11, 103.1))
    assert near.inside and not near.value_inside and near.error == pytest.approx(0.06)  # above the value: positive
    assert hit.inside and hit.value_inside and hit.error == pytest.approx(0.0)
    assert edge.inside and not off.inside and not off.value_inside
    assert backtest.Row(f, "out", np.full(11, 94.0)).error == pytest.approx(-0.06)
    bt = backtest.Backtest([near, hit, edge, off], {}, DEFAULTS, 0.0)
    assert bt.coverage() == (3, 4) and bt.coverage(strict=True) == (1, 4) and bt.coverage("out") == (1, 2)
    assert "the documented value itself inside the band: 1 of 4" in backtest.summary_line(bt)
    floor = history.Figure("y", "beijing", "y", "y", 8.0, 8.0, 12.0, "%", "'8%以上'", "out", lambda t: 0.0,
                           "exit_hazard_y4_7", "2024-12")
    above = backtest.Row(floor, "out", np.linspace(8.1, 18.0, 101))  # the source claims no value of 8 itself
    assert above.inside and above.value_inside
    md = backtest.markdown(bt, "en")
    close = md.split("## Inside only by the interval")[1].split("## How each figure")[0]
    assert close.count("- `x`") == 2 and "102.0 - 106.0 - 110.0" in close  # near and edge, with their bands


def test_the_committed_posteriors_figures_are_the_ones_marked_calibrated_on():
    """The backtest marks a figure 'calibrated on' from the posterior's own record; every other figure whose role is
    fit must be one the fit held out, and no input or out-of-sample figure may have been fitted."""
    from model.analysis.calibration import parameter_source

    source = parameter_source("posterior")
    fitted, held = backtest.fitted_ids(source), set(source.provenance["hold_out"])
    roles = {f.id: backtest.role_of(f, fitted) for f in history.FIGURES}
    assert len(fitted & set(history.BY_ID)) >= 5 and sum(r == "fit" for r in roles.values()) >= 5
    assert {f.id for f in history.FIGURES if f.role == "fit"} - fitted == held
    assert not [f.id for f in history.FIGURES if f.role != "fit" and f.id in fitted]
