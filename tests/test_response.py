"""Lever response curves (`innosim sensitivity --method sweep`): each lever alone on common random numbers, and
the effect per 1亿元 a year with its spread over replications."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from conftest import PLAN

from model import cli, load_scenario
from model import levers as lv
from model.analysis.response import sweep
from model.execution.context import RunContext
from model.execution.parallel import Pool
from model.parameters import ParameterSource
from model.scenario import select_targets

LEVERS = ["attracted_firms_per_year", "scenarios_for_attracted_share"]
TARGETS = ["future-eco-firms-2026", "high-tech-2026", "scenarios-for-attracted-2026"]
POSTERIOR = ParameterSource("posterior", ("exit_hazard_old",), ((0.08,),), (1.0,))  # lever effects drawn


@pytest.fixture(scope="module")
def response():
    sc = load_scenario(PLAN)
    space = lv.LeverSpace.from_scenario(sc, LEVERS)
    with Pool(workers=1) as pool:
        context = RunContext(pool, POSTERIOR, sc.scenario.seed)
        return sweep(sc, space, select_targets(sc, TARGETS, str(PLAN)), context, points=3, replications=3)


def test_every_lever_runs_its_range_and_the_scenarios_value_on_the_same_draws(response):
    assert [c.lever for c in response.curves] == LEVERS
    attract = response.curves[0]
    assert list(attract.values) == [0.0, 40.0, 50.0, 100.0]  # range [0, 100] at 3 points, and the plan's 40
    v = response.outcomes.values
    plan_row = attract.rows.start + 1
    assert np.array_equal(v[plan_row], v[0])  # the plan's value of a lever is the plan: same draws, same numbers
    assert attract.priced and not response.curves[1].priced  # 300万 per attracted firm; a share costs nothing


def test_commitments_get_no_curve(response):
    """A commitment moves with its lever by arithmetic: no response curve is drawn for it."""
    assert [t.id for t in response.targets] == ["future-eco-firms-2026", "high-tech-2026"]


def test_attraction_buys_future_industry_firms_per_yi(response):
    """At 300万 a firm, 1亿元 a year attracts 33 firms a year, 100 by 2026; a share drawn in 15-60% of them
    (attracted_future_share, central 35%) are in the future industries: about 15-60, fewer by exits."""
    [e] = [e for e in response.effects() if (e["lever"], e["target"]) == (LEVERS[0], "future-eco-firms-2026")]
    assert e["per"] == "1亿元 a year"
    assert 10 < e["p10"] <= e["p50"] <= e["p90"] < 65


def test_the_sweep_command_writes_its_folder(small_plan, tmp_path, capsys):
    out = tmp_path / "sweep"
    assert cli.main(["sensitivity", str(small_plan), "--method", "sweep", "--levers", LEVERS[0], "--targets",
                     "future-eco-firms-2026", "--points", "2", "--replications", "2", "--workers", "1",
                     "--lang", "en", "--out", str(out)]) == 0
    assert "per 1亿元 a year" in capsys.readouterr().out
    names = {p.name for p in out.iterdir()}
    assert {"response.md", "response.csv", "effects.csv", "response.json", "charts"} <= names
    rows = list(csv.DictReader((out / "response.csv").open(encoding="utf-8")))
    assert {r["value"] for r in rows} == {"0.0", "40.0", "100.0"}
    assert json.loads((out / "response.json").read_text("utf-8"))["effects"][0]["lever"] == LEVERS[0]
    assert (out / "charts" / "response-future-eco-firms-2026-zh.png").stat().st_size > 10_000


def test_sweep_of_commitments_only_is_a_one_line_error(tmp_path, capsys):
    out = tmp_path / "none"
    assert cli.main(["sensitivity", str(PLAN), "--method", "sweep", "--targets", "talents-placed-2026",
                     "--levers", LEVERS[0], "--workers", "1", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "outcome target" in err and not out.exists()
