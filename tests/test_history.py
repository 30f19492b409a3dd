"""The documented history (model/history.py): every figure cited, read as an interval, measurable on its run."""

from __future__ import annotations

import csv
import tomllib

import numpy as np
import pytest
from conftest import ROOT

from model import history
from model.analysis import calibration
from model.analysis.calibration import historical_scenarios
from model.sim import EcosystemModel


def known_ids() -> set[str]:
    figures = tomllib.loads((ROOT / "calibration" / "figures.toml").read_text("utf-8"))["figure"]
    ids = {f["id"] for f in figures}
    evidence = ROOT / "calibration" / "data" / "policy-evidence.csv"
    if not evidence.is_file():
        evidence = ROOT.parent / "shared" / "data" / "policy-evidence.csv"
    with evidence.open(encoding="utf-8") as fh:
        ids |= {row["id"] for row in csv.DictReader(fh)}
    return ids


def test_every_figure_cites_a_documented_figure():
    ids = known_ids()
    missing = [f.id for f in history.FIGURES if f.figure_id not in ids]
    assert not missing, f"history figures citing no row of figures.toml or the evidence table: {missing}"


def test_figures_are_well_formed():
    assert len({f.id for f in history.FIGURES}) == len(history.FIGURES)
    for f in history.FIGURES:
        assert f.run in history.RUNS and f.role in history.ROLES, f.id
        assert f.low < f.high, f.id
        assert f.low <= f.value <= f.high, f"{f.id}: value outside its own interval"


def test_a_third_of_the_figures_are_out_of_sample():
    out = [f for f in history.FIGURES if f.role == "out"]
    assert len(out) >= len(history.FIGURES) / 3


def test_each_run_measures_every_figure_of_its_run():
    scenarios = historical_scenarios({"beijing": 50})
    for run, sc in scenarios.items():
        m = EcosystemModel(sc, replication=0).run()
        values = history.measure(run, history.Table(m.indicator_table(), m.start))
        mine = [f.id for f in history.FIGURES if f.run == run]
        assert sorted(values) == sorted(mine)
        assert all(np.isfinite(v) for v in values.values()), values


def test_interval_readings():
    assert history.more_than(1200, 100) == (1200, 1300)
    lo, hi = history.about(16000)
    assert (lo, hi) == pytest.approx((14400, 17600))
    f = history.BY_ID["bda-hightech-2020"]  # '超过1200家': 1200-1300
    assert history.miss(f.low, f.high, 1250) == 0
    assert history.miss(f.low, f.high, 1400) == pytest.approx(1.0)
    assert history.miss(f.low, f.high, 1150) == pytest.approx(0.5)


def test_a_tables_rows_are_the_ends_of_calendar_months():
    """Row 0 is the baseline (the end of the month before the run's start), row k the end of its k-th month: a month
    off by one would read every figure a month early or late, and a month before the baseline would have read from
    the end of the arrays."""
    t = history.Table({"x": np.arange(25.0)}, "2015-01")
    assert t.at("x", "2014-12") == 0 and t.at("x", "2015-01") == 1 and t.at("x", "2016-12") == 24
    assert t.flow("x", 2016) == 12 and t.end("x") == 24
    for outside in ("2014-11", "2017-01"):
        with pytest.raises(ValueError, match=outside):
            t.at("x", outside)
    f = history.BY_ID["bj-rd-2019"]  # 亿元 from the model's 万元
    assert f.measure(history.Table({"rd_spending": np.full(121, 2.2336e7)}, "2015-01")) == pytest.approx(2233.6)


def test_hold_out_takes_figures_out_of_the_fit():
    fitted = {t.name for t in calibration.targets(()) if t.fit}
    held = {t.name for t in calibration.targets(("bj-hightech-2019",)) if t.fit}
    assert "bj-hightech-2019" in fitted and fitted - held == {"bj-hightech-2019"}
    assert not any(t.fit for t in calibration.targets(()) if history.BY_ID.get(t.name) and
                   history.BY_ID[t.name].role != "fit")
    assert calibration.unknown_hold_out(["no-such-figure", "PE27"]) == ["no-such-figure"]


def test_an_unknown_hold_out_is_one_line(capsys):
    from model.cli import main

    assert main(["calibrate", "--hold-out", "bj-hightech-2019,no-such-figure"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("innosim: error: --hold-out: no-such-figure: not a figure") and "\n" not in err
